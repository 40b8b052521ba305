"""C13 on hand-written records: a bid file carrying another bidder's USCC."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c13_mixed_files import MixedFiles
from tests.detection.conftest import lake_from_csv
from tests.detection.trace_fixtures import TENDERER, A, B, C, D, E, bids, csv, hits, pairs, tender

HEAD = "section_code,bidder_uscc,named_usccs"


def test_a_file_naming_a_competitor_is_red_for_both_and_outsiders_or_placeholders_are_not(
    tmp_path: Path,
) -> None:
    docs = [
        ("S1", A, f"{A};{TENDERER};{B}"),  # A's file carries B's code: mixed
        ("S1", B, f"{B};{TENDERER}"),
        ("S1", C, f"{C};{TENDERER};{E}"),  # E does not bid in S1 (a supplier): not mixed
        ("S1", D, "无"),
        ("S2", B, f"{B};{A}"),  # A does not bid in S2
        ("S2", E, f"{E}"),
    ]
    lake = lake_from_csv(
        tmp_path,
        tender(("S1", "S2"))
        | {
            "bids": bids([("S1", A), ("S1", B), ("S1", C), ("S1", D), ("S2", B), ("S2", E)]),
            "bid_documents": csv(HEAD, docs),
        },
    )
    found = hits(lake, MixedFiles)
    assert pairs(found) == {("S1", frozenset({A, B}))}
    (hit,) = found
    assert hit.severity == "red"
    assert {(e.entity_id, e.rule, e.field, e.value) for e in hit.evidence} == {
        (A, "names_other_bidder", "named_usccs", B),
        (B, "named_in_other_bid", "named_usccs", B),
    }
    assert f"投标人{A}的投标文件中出现投标人{B}" in MixedFiles.explain(hit, "zh")
