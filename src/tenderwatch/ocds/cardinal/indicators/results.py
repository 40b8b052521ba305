"""Final results: groups of organizations or processes, each id with its indicator values."""

from __future__ import annotations

from dataclasses import dataclass, field

GROUPS = ("OCID", "Buyer", "ProcuringEntity", "Tenderer")

MAP_NAMES = (
    "ocid_buyer_r038",
    "ocid_procuringentity_r038",
    "ocid_tenderer",
    "ocid_tenderer_r024",
    "ocid_tenderer_r028",
    "ocid_tenderer_r030",
    "ocid_tenderer_r035",
    "ocid_tenderer_r058",
)


@dataclass
class Results:
    groups: dict[str, dict[str, dict[str, float | None]]] = field(
        default_factory=lambda: {group: {} for group in GROUPS}
    )
    meta: dict[str, dict[str, float]] = field(default_factory=dict)
    maps: dict[str, dict[str, object]] = field(default_factory=lambda: {name: {} for name in MAP_NAMES})
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)
    currency: str | None = None
    # one shared string per organization id (see collect.py)
    names: dict[str, str] = field(default_factory=dict)
    # key -> (ratio, winner ids, lowest other bidder ids), in the main currency (R024, R058)
    ratios: dict[str, tuple[float, tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    currency_skipped: int = 0

    def set(self, group: str, key: str, code: str, value: float | None) -> None:
        entry = self.groups[group].get(key)
        if entry is None:
            self.groups[group][key] = {code: value}
        else:
            entry[code] = value

    def set_meta(self, code: str, key: str, value: float) -> None:
        self.meta.setdefault(code, {})[key] = value

    def map_ids(self, name: str, ocid: str, ids: tuple[str, ...] | list[str]) -> None:
        """Add ids to an ocid's set (dict keys keep insertion order)."""
        table = self.maps[name]
        entry = table.get(ocid)
        if not isinstance(entry, dict):
            entry = table[ocid] = {}
        for tenderer_id in ids:
            entry[tenderer_id] = None
