"""With --map: the tenderers that submitted bids in each process (Cardinal's `ocid_tenderer`)."""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process


class Tenderers(Step):
    code = "tenderers"

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        ids: dict[str, None] = {}
        for bid in p.submitted_bids():
            ids.update(dict.fromkeys(bid[3]))
        if ids:
            acc.map_union("ocid_tenderer", p.ocid, ids)
        return bool(ids)
