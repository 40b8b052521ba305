"""Which bids compete for which award: Cardinal's single-award rule, and our `lots` addition.

Cardinal evaluates a process only if exactly one award is active and it has one supplier; it then
assumes every bid competed for it. With `lots = true`, a process with several active awards is
split by lot: each active award with `relatedLots` competes with the bids that share one of its
lots, and the unit is reported as "ocid/lotID" (the award's first lot). With `consortia = true`
an award may have several suppliers (all must have string ids).
"""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.context import Extensions
from tenderwatch.ocds.cardinal.indicators.process import Bid, Json, Process, bid_tuples, string_ids

# (result key, winner ids, award.relatedBid, bids competing for the award)
Unit = tuple[str, tuple[str, ...], object, list[Bid]]


def supplier_ids(award: dict[str, Json], ext: Extensions) -> tuple[str, ...] | None:
    suppliers = award.get("suppliers")
    if not isinstance(suppliers, list) or not suppliers:
        return None
    ids = string_ids(suppliers)
    if len(ids) != len(suppliers):
        return None
    if len(ids) == 1 or ext.consortia:
        return tuple(ids)
    return None


def _lots(value: Json) -> list[str]:
    return [lot for lot in value if isinstance(lot, str)] if isinstance(value, list) else []


def award_units(p: Process, awards: list[dict[str, Json]], ext: Extensions) -> list[Unit] | None:
    if len(awards) == 1:
        winners = supplier_ids(awards[0], ext)
        return None if winners is None else [(p.ocid, winners, awards[0].get("relatedBid"), p.bids())]
    if not ext.lots or not awards:
        return None
    units: list[Unit] = []
    for award in awards:
        winners = supplier_ids(award, ext)
        lots = _lots(award.get("relatedLots"))
        if winners is None or not lots:
            continue
        wanted = set(lots)
        competing = [
            bid
            for bid in p.details or ()
            if isinstance(bid, dict) and wanted & set(_lots(bid.get("relatedLots")))
        ]
        units.append((f"{p.ocid}/{lots[0]}", winners, award.get("relatedBid"), bid_tuples(competing)))
    return units or None
