"""C09 regular price differences: a formula-made progression hidden among honest bids and a whole
geometric field are flagged; round discounts off the control price, three-bid fields and disqualified
bids are not."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c09_regular_price_differences import RegularPriceDifferences
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import bid, csv, project, section, uscc

F = [uscc(i) for i in range(1, 8)]


def test_regular_price_differences(tmp_path: Path) -> None:
    bids = [
        # S1: four bids step 40,000 yuan apart, two honest bids in and around them.
        bid("S1", F[0], "4000000.00"),
        bid("S1", F[1], "4040000.00"),
        bid("S1", F[2], "4080000.00"),
        bid("S1", F[3], "4120000.00"),
        bid("S1", F[4], "4061234.56"),
        bid("S1", F[5], "4555555.55"),
        # S2: each bidder took a round discount off the control price (5,000,000 × 0.95 … 0.98).
        *(bid("S2", F[k], p) for k, p in enumerate(("4750000.00", "4800000.00", "4850000.00", "4900000.00"))),
        # S3: only three bidders, an exact progression: three prices always lie on a line.
        *(bid("S3", F[k], p) for k, p in enumerate(("4000000.00", "4100000.00", "4200000.00"))),
        # S4: the whole field grows by 1 % a step; a disqualified bid does not break it.
        *(
            bid("S4", F[k], p)
            for k, p in enumerate(("4000000.00", "4040000.00", "4080400.00", "4121204.00", "4162416.04"))
        ),
        bid("S4", F[5], "4500000.00", disqualified="true", disqualify_reason="未按要求签章"),
        # S5: a progression only if the disqualified bid were counted.
        bid("S5", F[0], "4000000.00"),
        bid("S5", F[1], "4040000.00", disqualified="true", disqualify_reason="未按要求签章"),
        bid("S5", F[2], "4080000.00"),
        bid("S5", F[3], "4120000.00"),
        bid("S5", F[4], "4377777.77"),
    ]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(9, authority="1"))]),
            "sections": csv("sections", [section(f"S{i}", "P1") for i in range(1, 6)]),
            "bids": csv("bids", bids),
        },
    )
    hits = {h.subject_id: h for h in run_model(lake, RegularPriceDifferences, ModelConfig())[0].hits}
    assert set(hits) == {"S1", "S4"}
    assert hits["S1"].entities == sorted(F[:4])
    assert hits["S1"].rules == ["subset_arithmetic"]
    assert hits["S1"].severity == "orange"
    assert {(e.entity_id, e.field, e.value) for e in hits["S1"].evidence} == {
        (F[0], "bid_price", "4000000.00 (step=40000.00)"),
        (F[1], "bid_price", "4040000.00 (step=40000.00)"),
        (F[2], "bid_price", "4080000.00 (step=40000.00)"),
        (F[3], "bid_price", "4120000.00 (step=40000.00)"),
    }
    assert hits["S4"].entities == sorted(F[:5])
    assert hits["S4"].rules == ["field_geometric", "subset_geometric"]
    assert all("ratio=1.01" in e.value for e in hits["S4"].evidence)
    assert "等比数列" in RegularPriceDifferences.explain(hits["S4"], "zh")
    assert "arithmetic" in RegularPriceDifferences.explain(hits["S1"], "en")


def test_looser_subset_tolerance_is_a_parameter(tmp_path: Path) -> None:
    # Steps 40,000 / 40,300 / 39,800: regular to 0.6 %, not a formula to the yuan.
    prices = ("4000000.00", "4040000.00", "4080300.00", "4120100.00")
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(9, authority="1"))]),
            "sections": csv("sections", [section("S1", "P1")]),
            "bids": csv("bids", [bid("S1", F[k], p) for k, p in enumerate(prices)]),
        },
    )
    assert not run_model(lake, RegularPriceDifferences, ModelConfig())[0].hits
    loose = run_model(lake, RegularPriceDifferences, ModelConfig(params={"cv_subset": 0.01}))[0].hits
    assert [h.entities for h in loose] == [sorted(F[:4])]
