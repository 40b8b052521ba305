"""C03 on hand-written records: bid files sharing identity properties, minus the tender's template."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.detection.c03_same_document_identity import SameDocumentIdentity
from tests.detection.conftest import lake_from_csv
from tests.detection.trace_fixtures import NAMES, P1, P2, P3, P4, A, B, C, D, csv, hits, pairs, tender

HEAD = "section_code,bidder_uscc,author,last_modified_by,rsid_root,pdf_document_id"
BIDS = "section_code,bidder_uscc,bidder_name,bid_price,submit_time,operator_name,operator_id"


def _bids(rows: list[tuple[str, str, str, str]]) -> str:
    return csv(BIDS, [(s, u, NAMES[u], "9000000.00", "2024-06-19 10:00:00", n, i) for s, u, n, i in rows])


def test_same_pdf_id_is_red_same_personal_author_orange(tmp_path: Path) -> None:
    docs = [
        ("S1", A, "Administrator", "Administrator", "00A1B2C3", "9F8E7D6C5B4A39281706F5E4D3C2B1A0"),
        ("S1", B, "Administrator", "Administrator", "00D4E5F6", "9F8E7D6C5B4A39281706F5E4D3C2B1A0"),
        ("S1", C, "李明-PC", "李明-PC", "00C0FFEE", "11111111111111111111111111111111"),
        ("S1", D, "微软用户", "李明-PC", "00BADBAD", "22222222222222222222222222222222"),
    ]
    rows = [("S1", A, "张三", P1), ("S1", B, "李四", P2), ("S1", C, "王五", P3), ("S1", D, "赵六", P4)]
    lake = lake_from_csv(tmp_path, tender() | {"bids": _bids(rows), "bid_documents": csv(HEAD, docs)})
    (hit,) = hits(lake, SameDocumentIdentity)
    assert set(hit.entities) == {A, B, C, D} and hit.severity == "red"
    red = {(e.entity_id, e.field, e.value) for e in hit.evidence if e.severity == "red"}
    assert red == {(A, "pdf_document_id", "9F8E7D6C5B4A39281706F5E4D3C2B1A0"),
                   (B, "pdf_document_id", "9F8E7D6C5B4A39281706F5E4D3C2B1A0")}  # fmt: skip
    orange = {(e.entity_id, e.field) for e in hit.evidence if e.severity == "orange"}
    # C's author and last editor match D's last editor; D's default author matches nothing.
    assert orange == {(C, "author"), (C, "last_modified_by"), (D, "last_modified_by")}
    assert "Administrator" not in {e.value for e in hit.evidence}


def test_tender_template_rsid_and_author_defaults_namesakes_and_placeholders_do_not_match(
    tmp_path: Path,
) -> None:
    docs = [
        ("S1", A, "招标代理", "招标代理", "00AB12CD", "-"),  # template rsid and author, from the tender
        ("S1", B, "招标代理", "招标代理", "00AB12CD", "-"),
        ("S1", C, "王伟", "王伟", "0", "0"),  # each file by the bidder's own operator, both named 王伟
        ("S1", D, "王伟", "王伟", "0", "0"),
    ]
    rows = [("S1", A, "张三", P1), ("S1", B, "李四", P2), ("S1", C, "王伟", P3), ("S1", D, "王伟", P4)]
    lake = lake_from_csv(
        tmp_path,
        tender(author="招标代理", rsid="00AB12CD") | {"bids": _bids(rows), "bid_documents": csv(HEAD, docs)},
    )
    assert hits(lake, SameDocumentIdentity) == []


def test_the_same_operator_writing_both_files_still_matches(tmp_path: Path) -> None:
    docs = [("S1", C, "王伟", "王伟", "", ""), ("S1", D, "王伟", "王伟", "", "")]
    rows = [("S1", C, "王伟", P3), ("S1", D, "王伟", P3)]
    lake = lake_from_csv(tmp_path, tender() | {"bids": _bids(rows), "bid_documents": csv(HEAD, docs)})
    assert pairs(hits(lake, SameDocumentIdentity)) == {("S1", frozenset({C, D}))}
