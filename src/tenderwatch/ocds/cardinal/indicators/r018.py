"""R018 Single bid received: tender.numberOfTenderers is 1 in a competitive procurement method."""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.context import Context
from tenderwatch.ocds.cardinal.indicators.partial import Out, Partial
from tenderwatch.ocds.cardinal.indicators.process import Process
from tenderwatch.ocds.cardinal.settings import pipe_set


class R018(Step):
    code = "R018"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        methods = ctx.settings.get_str("R018", "procurement_methods")
        self.methods = pipe_set("open|selective" if methods is None else methods)

    def fold(self, p: Process, out: Out, acc: Partial) -> bool:
        if not p.tender or not p.matches_method(self.methods):
            return False
        count = p.tender.get("numberOfTenderers")
        # Cardinal reads the count as an unsigned integer: 1.0, -1 and true are not 1.
        if type(count) is not int and type(count) is not float:
            return False
        if type(count) is int and count == 1:
            out.flag(self.code)
        return True
