"""C10 identical or clustered prices: identical totals and a squeezed field are flagged; bids at the
control price, fixed-price lots, a normal spread and the reasonable-low-price method are not."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c10_identical_prices import IdenticalPrices
from tenderwatch.engine.config import ModelConfig
from tenderwatch.engine.runner import run_model
from tests.detection.conftest import lake_from_csv
from tests.detection.fixture_records import bid, csv, project, section, uscc

A, B, C, D = (uscc(i) for i in range(1, 5))
TIGHT = ("4500000.00", "4510000.00", "4490000.00", "4505000.00")
SPREAD = ("4300000.00", "4500000.00", "4700000.00", "4900000.00")


def test_identical_and_clustered_prices(tmp_path: Path) -> None:
    sections = [
        section("S1", "P1"),  # two identical totals in a normal spread
        section("S2", "P1"),  # two bids at the control price (5,000,000): not a coincidence
        section("S3", "P1", evaluation_method="lowest_price"),  # a squeezed field
        section("S4", "P1", evaluation_method="reasonable_low"),  # the same field, clustering is legitimate
        section("S5", "P1"),  # a fixed-price lot: everybody quotes one price
        section("S6", "P1"),  # an ordinary spread of valid bids and one disqualified outlier
    ]
    bids = [
        bid("S1", A, "4612345.67"),
        bid("S1", B, "4612345.67"),
        bid("S1", C, "4300000.00"),
        bid("S2", A, "5000000.00"),
        bid("S2", B, "5000000.00"),
        bid("S2", C, "4400000.00"),
        *(bid("S3", x, p) for x, p in zip((A, B, C, D), TIGHT, strict=True)),
        *(bid("S4", x, p) for x, p in zip((A, B, C, D), TIGHT, strict=True)),
        *(bid("S5", x, "4800000.00") for x in (A, B, C)),
        *(bid("S6", x, p) for x, p in zip((A, B, C), SPREAD, strict=False)),
        bid("S6", D, "3900000.00", disqualified="true", disqualify_reason="未按要求签章"),
    ]
    lake = lake_from_csv(
        tmp_path,
        {
            "tender_projects": csv("tender_projects", [project("P1", uscc(9, authority="1"))]),
            "sections": csv("sections", sections),
            "bids": csv("bids", bids),
        },
    )
    hits = {h.subject_id: h for h in run_model(lake, IdenticalPrices, ModelConfig())[0].hits}
    assert {k: (h.entities, h.rules, h.severity) for k, h in hits.items()} == {
        "S1": (sorted([A, B]), ["identical_price"], "orange"),
        "S3": (sorted([A, B, C, D]), ["price_cluster"], "yellow"),
    }
    assert {(e.entity_id, e.field, e.value) for e in hits["S1"].evidence} == {
        (A, "bid_price", f"4612345.67 = {B}"),
        (B, "bid_price", f"4612345.67 = {A}"),
    }
    assert {e.value for e in hits["S3"].evidence if e.entity_id == B} == {"4510000.00 (0.19% from mean)"}
    assert "4612345.67" in IdenticalPrices.explain(hits["S1"], "zh")
    # The published ±3 % band flags the ordinary spread of S6's valid bids (4.3–4.7 m around 4.5 m).
    wide = ModelConfig(params={"cluster_band": 0.05, "cluster_max": 0.05})
    assert "S6" in {h.subject_id for h in run_model(lake, IdenticalPrices, wide)[0].hits}
