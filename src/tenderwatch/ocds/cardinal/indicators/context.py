"""What every fold and finalize step needs from the settings, in a picklable form for workers."""

from __future__ import annotations

from dataclasses import dataclass

from tenderwatch.ocds.cardinal.settings import Settings, pipe_set


@dataclass(frozen=True)
class Extensions:
    """Our `[tenderwatch]` additions; all off by default so output stays Cardinal's."""

    lots: bool = False
    consortia: bool = False
    related_bid: bool = False
    iqr_zero_guard: bool = False
    not_applicable: bool = False
    coverage: bool = False


@dataclass(frozen=True)
class Context:
    settings: Settings
    enabled: frozenset[str]
    exclude_pmd: frozenset[str]
    price_include: frozenset[str]
    price_exclude: frozenset[str]
    currency: str | None
    map: bool
    ext: Extensions

    @property
    def ratio_step(self) -> bool:
        """R024 and R058 share one step: the ratio of the second-lowest bid to the winning bid."""
        return "R024" in self.enabled or "R058" in self.enabled


def make_context(settings: Settings, map_: bool = False) -> Context:
    ext = Extensions(
        **{key: settings.get_bool("tenderwatch", key) for key in Extensions.__dataclass_fields__}
    )
    return Context(
        settings=settings,
        enabled=frozenset(settings.indicators()),
        exclude_pmd=pipe_set(settings.get_str("exclusions", "procurement_method_details")),
        price_include=pipe_set(settings.get_str("", "price_comparison_procurement_methods")),
        price_exclude=pipe_set(settings.get_str("", "no_price_comparison_procurement_methods")),
        currency=settings.get_str("", "currency"),
        map=map_,
        ext=ext,
    )
