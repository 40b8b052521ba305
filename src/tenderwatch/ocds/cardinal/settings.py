"""The INI settings file shared by `ocds prepare` and `ocds indicators`, as in OCDS Cardinal 0.0.8.

Every section and key of Cardinal's settings struct is accepted with Cardinal's types; an unknown
section or key is an error (Cardinal uses `deny_unknown_fields`). Our own additions live only in
the `[tenderwatch]` section, so a Cardinal settings file means the same here, and ours is refused
by Cardinal rather than silently read differently.

Parsing follows rust-ini as used by Cardinal: keys before any section are top-level, `;` or `#`
starts a comment line, `[a.b]` is the nested table `b` of `a`, surrounding quotes are removed, and
a repeated key keeps its last value. An empty section (e.g. `[R028]`) still enables its indicator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from tenderwatch.errors import UserError

Kind = Literal["str", "int", "uint", "float", "bool"]

# Scalar keys per section; "" is the top level (keys before any section header).
SCALARS: dict[str, dict[str, Kind]] = {
    "": {
        "currency": "str",
        "no_price_comparison_procurement_methods": "str",
        "price_comparison_procurement_methods": "str",
    },
    # prepare
    "defaults": {
        "currency": "str",
        "item_classification_scheme": "str",
        "bid_status": "str",
        "award_status": "str",
        "party_roles": "bool",
    },
    "redactions": {"amount": "str", "organization_id": "str"},
    "corrections": {"award_status_by_contract_status": "bool"},
    "modifications": {
        "move_auctions": "bool",
        "prefix_buyer_or_procuring_entity_id": "str",
        "prefix_tenderer_or_supplier_id": "str",
        "split_procurement_method_details": "str",
    },
    # indicators
    "exclusions": {"procurement_method_details": "str"},
    "output": {"info_currency_mismatches": "bool"},
    "R003": {"threshold": "int", "procurement_methods": "str"},
    "R018": {"procurement_methods": "str"},
    "R024": {"threshold": "float"},
    "R025": {"percentile": "uint", "threshold": "float"},
    "R028": {},
    "R030": {},
    "R035": {"threshold": "uint"},
    "R036": {},
    "R038": {"threshold": "float", "minimum_submitted_bids": "uint", "minimum_contracting_processes": "uint"},
    "R048": {"digits": "uint", "threshold": "uint", "minimum_contracting_processes": "uint"},
    "R058": {"threshold": "float"},
    # tenderwatch additions (documented in docs/ocds-indicators.md); all default to off.
    "tenderwatch": {
        "lots": "bool",
        "consortia": "bool",
        "related_bid": "bool",
        "iqr_zero_guard": "bool",
        "not_applicable": "bool",
        "coverage": "bool",
    },
}

# Nested tables whose keys are free (data values) and whose values all have one kind.
TABLES: dict[str, Kind] = {
    "R003.procurement_method_details": "int",
    "codelists.bid_status": "str",
    "codelists.award_status": "str",
}

INDICATORS = ("R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058")

Scalar = str | int | float | bool


@dataclass(frozen=True)
class Settings:
    """Parsed settings. `sections` holds each present section's scalar keys; `tables` the nested tables."""

    top: dict[str, Scalar] = field(default_factory=dict)
    sections: dict[str, dict[str, Scalar]] = field(default_factory=dict)
    tables: dict[str, dict[str, Scalar]] = field(default_factory=dict)

    def has(self, section: str) -> bool:
        """Whether a section is present (an indicator runs only if its section exists)."""
        return section in self.sections

    def get(self, section: str, key: str, default: Scalar | None = None) -> Scalar | None:
        """A scalar key of a section ("" = top level), or `default` if unset."""
        values = self.top if section == "" else self.sections.get(section, {})
        return values.get(key, default)

    def get_str(self, section: str, key: str) -> str | None:
        value = self.get(section, key)
        return value if isinstance(value, str) else None

    def get_int(self, section: str, key: str, default: int) -> int:
        value = self.get(section, key)
        return value if isinstance(value, int) and not isinstance(value, bool) else default

    def get_float(self, section: str, key: str) -> float | None:
        value = self.get(section, key)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    def get_bool(self, section: str, key: str) -> bool:
        return self.get(section, key) is True

    def table(self, name: str) -> dict[str, Scalar]:
        """A nested table such as "R003.procurement_method_details" or "codelists.bid_status"."""
        return self.tables.get(name, {})

    def indicators(self) -> list[str]:
        """Enabled indicators in Cardinal's order."""
        return [code for code in INDICATORS if self.has(code)]


def pipe_set(value: str | None) -> frozenset[str]:
    """A pipe-separated list (`open|selective`), as Cardinal's `split_terminator('|')`."""
    if not value:
        return frozenset()
    parts = value.split("|")
    if parts and parts[-1] == "":
        parts.pop()
    return frozenset(parts)


def _convert(kind: Kind, raw: str, where: str) -> Scalar:
    def bad(expected_zh: str, expected_en: str) -> UserError:
        return UserError(
            f"设置 {where} 的值 {raw!r} 无效：应为{expected_zh}",
            f"settings {where}: invalid value {raw!r}, expected {expected_en}",
        )

    if kind == "str":
        return raw
    if kind == "bool":
        lowered = raw.lower()
        if lowered in ("true", "yes", "on", "1"):
            return True
        if lowered in ("false", "no", "off", "0"):
            return False
        raise bad("布尔值（true/false）", "a boolean (true/false)")
    if kind in ("int", "uint"):
        try:
            number = int(raw)
        except ValueError:
            raise bad("整数", "an integer") from None
        if kind == "uint" and number < 0:
            raise bad("非负整数", "a non-negative integer")
        return number
    try:
        return float(raw)
    except ValueError:
        raise bad("数字", "a number") from None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_settings(text: str, source: str = "settings") -> Settings:
    """Parse INI text; raise UserError on syntax errors, unknown sections/keys or bad values."""
    settings = Settings()
    section = ""
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line or line[0] in ";#":
            continue
        where_line = f"{source}:{number}"
        if line.startswith("["):
            if not line.endswith("]"):
                raise UserError(f"{where_line}：节标题缺少 ]", f"{where_line}: section header lacks ]")
            section = line[1:-1].strip()
            if section in SCALARS and section:
                settings.sections.setdefault(section, {})
            elif section in TABLES:
                settings.tables.setdefault(section, {})
                parent = section.split(".", 1)[0]
                # A nested table creates its parent, as in Cardinal (e.g. it enables R003).
                if parent in SCALARS:
                    settings.sections.setdefault(parent, {})
            else:
                known = ", ".join([s for s in SCALARS if s] + list(TABLES))
                raise UserError(
                    f"{where_line}：未知的设置节 [{section}]（可用：{known}）",
                    f"{where_line}: unknown settings section [{section}] (expected one of: {known})",
                )
            continue
        key, sep, value = line.partition("=")
        if not sep:
            raise UserError(f"{where_line}：应为 键 = 值", f"{where_line}: expected key = value")
        key, value = key.strip(), _unquote(value.strip())
        label = f"{section}.{key}" if section else key
        if section in TABLES:
            settings.tables[section][key] = _convert(TABLES[section], value, f"{where_line} {label}")
            continue
        allowed = SCALARS[section]
        if key not in allowed:
            expected = ", ".join(allowed) or "(none)"
            raise UserError(
                f"{where_line}：未知的设置键 {label}（允许：{expected}）",
                f"{where_line}: unknown settings key {label} (expected one of: {expected})",
            )
        converted = _convert(allowed[key], value, f"{where_line} {label}")
        (settings.top if section == "" else settings.sections[section])[key] = converted
    return settings


def load_settings(path: str | Path | None) -> Settings:
    """Read a settings file; None means no file (no indicator enabled, all defaults)."""
    if path is None:
        return Settings()
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise UserError(
            f"无法读取设置文件 {file}：{error.strerror}",
            f"cannot read settings file {file}: {error.strerror}",
        ) from None
    except UnicodeDecodeError:
        raise UserError(
            f"设置文件 {file} 不是 UTF-8 文本", f"settings file {file} is not UTF-8 text"
        ) from None
    return parse_settings(text, str(file))
