"""The enabled steps, in Cardinal's order (which fixes the order of results and of Meta)."""

from __future__ import annotations

from tenderwatch.ocds.cardinal.indicators.base import Step
from tenderwatch.ocds.cardinal.indicators.context import Context
from tenderwatch.ocds.cardinal.indicators.r003 import R003
from tenderwatch.ocds.cardinal.indicators.r018 import R018
from tenderwatch.ocds.cardinal.indicators.r024 import R024
from tenderwatch.ocds.cardinal.indicators.r025 import R025
from tenderwatch.ocds.cardinal.indicators.r028 import R028
from tenderwatch.ocds.cardinal.indicators.r030 import R030
from tenderwatch.ocds.cardinal.indicators.r035 import R035
from tenderwatch.ocds.cardinal.indicators.r036 import R036
from tenderwatch.ocds.cardinal.indicators.r038 import R038
from tenderwatch.ocds.cardinal.indicators.r048 import R048
from tenderwatch.ocds.cardinal.indicators.r058 import R058
from tenderwatch.ocds.cardinal.indicators.ratio import SecondLowestBidRatio
from tenderwatch.ocds.cardinal.indicators.tenderers import Tenderers

INDICATOR_STEPS: tuple[type[Step], ...] = (R003, R018, R024, R025, R028, R030, R035, R036, R038, R048, R058)


def build_steps(ctx: Context) -> list[Step]:
    steps: list[Step] = []
    if ctx.map and ctx.enabled & {"R025", "R038", "R048"}:
        steps.append(Tenderers(ctx))
    if ctx.ratio_step:
        steps.append(SecondLowestBidRatio(ctx))
    steps.extend(step(ctx) for step in INDICATOR_STEPS if step.code in ctx.enabled)
    return steps
