"""C12 on hand-written records: own paragraphs shared beyond the tender document and the baseline."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c12_identical_content import IdenticalContent
from tests.detection.conftest import lake_from_csv
from tests.detection.trace_fixtures import A, B, C, D, E, bids, csv, hits, pairs, tender

HEAD = "section_code,bidder_uscc,paragraph_hashes"
TENDER = "t1;t2;t3;t4"


def test_shared_own_paragraphs_are_flagged_tender_paragraphs_are_not(tmp_path: Path) -> None:
    docs = [
        ("S1", A, "t1;t2;x1;x2;x3;a1"),
        ("S1", B, "t1;t2;x1;x2;x3;b1"),  # three own paragraphs shared with A: Jaccard 3/5, red
        ("S1", C, "t1;t2;t3;c1;c2"),
        ("S1", D, "t3;t4;d1;d2"),  # shares only the tender's paragraphs with C
        ("S1", E, "-"),
    ]
    lake = lake_from_csv(
        tmp_path,
        tender(paragraphs=TENDER)
        | {"bids": bids([("S1", u) for u in (A, B, C, D, E)]), "bid_documents": csv(HEAD, docs)},
    )
    found = hits(lake, IdenticalContent)
    assert pairs(found) == {("S1", frozenset({A, B}))}
    (hit,) = found
    assert hit.severity == "red"
    shared = {(e.entity_id, e.value) for e in hit.evidence if e.field == "paragraph_hashes"}
    assert shared == {(u, h) for u in (A, B) for h in ("x1", "x2", "x3")}
    assert {e.value for e in hit.evidence if e.field == "shared_count"} == {"3 shared; own 4/4"}
    assert "3段" in IdenticalContent.explain(hit, "zh")


def test_a_small_overlap_is_orange_and_a_section_wide_overlap_is_the_baseline(tmp_path: Path) -> None:
    docs = [
        # S1: two shared of nine own paragraphs each (Jaccard 2/16): orange
        ("S1", A, "y1;y2;" + ";".join(f"a{i}" for i in range(7))),
        ("S1", B, "y1;y2;" + ";".join(f"b{i}" for i in range(7))),
        ("S1", C, "c1;c2"),
        # S2: every pair shares the same two paragraphs, so no pair stands out from the section
        ("S2", A, "z1;z2;a9"),
        ("S2", B, "z1;z2;b9"),
        ("S2", C, "z1;z2;c9"),
    ]
    lake = lake_from_csv(
        tmp_path,
        tender(("S1", "S2"), paragraphs=TENDER)
        | {
            "bids": bids([(s, u) for s in ("S1", "S2") for u in (A, B, C)]),
            "bid_documents": csv(HEAD, docs),
        },
    )
    found = hits(lake, IdenticalContent)
    assert pairs(found) == {("S1", frozenset({A, B}))}
    assert found[0].severity == "orange"
