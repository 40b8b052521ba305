"""The numeric building blocks: Cardinal's quantiles, fences, rounding and float text."""

from __future__ import annotations

import random

import numpy as np
import pytest

from tenderwatch.ocds.cardinal.indicators.jsonfmt import fmt_float, round4
from tenderwatch.ocds.cardinal.indicators.quantiles import fma, percentile, quantile, quartiles, upper_fence
from tenderwatch.ocds.cardinal.settings import parse_settings, pipe_set


def test_quantile_is_hyndman_fan_type_8() -> None:
    rng = random.Random(4)
    for n in (1, 2, 3, 4, 5, 9, 10, 57):
        data = [rng.uniform(0, 10) for _ in range(n)]
        for tau in (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0):
            assert quantile(data, tau) == pytest.approx(
                float(np.quantile(data, tau, method="median_unbiased"))
            )


def test_quantile_edges_follow_statrs() -> None:
    assert np.isnan(quantile([], 0.25))
    assert np.isnan(percentile([1.0, 2.0], 101))
    assert quartiles([0.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 0.0]) == pytest.approx(
        (66.6667, 100.0), abs=1e-4
    )


def test_fences_use_one_rounding() -> None:
    # Unfused, (1 + 2^-52)(1 - 2^-52) rounds to 1.0 and the sum is 0; fused keeps -2^-104.
    assert fma(1 + 2**-52, 1 - 2**-52, -1.0) == -(2**-104)
    assert (1 + 2**-52) * (1 - 2**-52) - 1.0 == 0.0
    assert upper_fence(0.0, 0.2) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.0, "1.0"),
        (0.2, "0.2"),
        (100.0, "100.0"),
        (1e-5, "0.00001"),
        (1.5e-5, "0.000015"),
        (1e-7, "1e-7"),
        (1e16, "1e16"),
        (1.25e20, "1.25e20"),
        (float("nan"), "null"),
        (float("inf"), "null"),
    ],
)
def test_floats_print_as_serde_json(value: float, text: str) -> None:
    assert fmt_float(value) == text


def test_meta_rounding_is_half_away_from_zero() -> None:
    assert round4(0.00005) == 0.0001  # Python's round() would give 0.0
    assert round4(-0.00005) == -0.0001
    assert round4(66.66666666) == 66.6667


def test_settings_layout() -> None:
    s = parse_settings(
        "currency = USD\n; comment\n[R003]\nthreshold = 10\n[R003.procurement_method_details]\nEmergency Call = 3\n"
        '[codelists.bid_status]\nqualified = "valid"\n[defaults]\nparty_roles = yes\n'
    )
    assert s.get_str("", "currency") == "USD"
    assert s.indicators() == ["R003"]
    assert s.table("R003.procurement_method_details") == {"Emergency Call": 3}
    assert s.table("codelists.bid_status") == {"qualified": "valid"}
    assert s.get_bool("defaults", "party_roles") is True
    assert parse_settings("[R003.procurement_method_details]\nx = 1\n").indicators() == ["R003"]
    assert pipe_set("open|selective|") == {"open", "selective"}
