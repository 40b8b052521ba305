"""OCDS import into the lake: merge, mapping, and the normal quarantine for whatever does not fit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tenderwatch.catalog import get_catalog
from tenderwatch.db import Database
from tenderwatch.ingest import service
from tenderwatch.lake.views import connect
from tenderwatch.ocds.exchange.flows import import_file
from tests.ocds.exchange.ocds_samples import BUYER, FIRM_A, FIRM_B, OCID, award_release, tender_release


def _other_process() -> dict[str, Any]:
    """A compiled release whose bids break catalogue rules: a non-USCC tenderer, a price in dollars."""
    release = tender_release()
    release.update(ocid="ocds-abc123-S2", id="S2-compiled", tag=["compiled"])
    release["tender"] = dict(release["tender"], id="P1", title="某道路工程（标段二）")
    release["bids"] = {
        "details": [
            {
                "id": "1",
                "date": "2024-03-20T08:00:00+08:00",
                "status": "valid",
                "tenderers": [{"id": "ACME-42", "name": "Acme"}],
                "value": {"amount": 1, "currency": "CNY"},
            },
            {
                "id": "2",
                "date": "2024-03-20T08:00:00+08:00",
                "status": "valid",
                "tenderers": [{"id": f"CN-USCC-{FIRM_B}", "name": "乙"}],
                "value": {"amount": 9, "currency": "USD"},
            },
            {
                "id": "3",
                "date": "2024-03-20T08:00:00+08:00",
                "status": "valid",
                "tenderers": [{"id": f"CN-USCC-{FIRM_A}", "name": "甲"}],
                "value": {"amount": 7, "currency": "CNY"},
            },
        ]
    }
    return release


def _invalid() -> dict[str, Any]:
    release = tender_release()
    release.update(ocid="ocds-abc123-S3", id="S3-tender", date="yesterday")
    release["bids"] = {"details": [{"id": "1", "status": "won"}]}
    return release


def _write(path: Path, lines: list[Any]) -> Path:
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
        encoding="utf-8",
    )
    return path


def _lake(db: Database, sql: str) -> list[tuple[Any, ...]]:
    with db.session() as session:
        batches = service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
    con = connect(get_catalog(), batches)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _mixed_file(tmp_path: Path) -> Path:
    linked = {
        "records": [
            {
                "ocid": "ocds-abc123-S4",
                "releases": [
                    {"url": "https://x.example/r.json", "date": "2024-01-01T00:00:00Z", "tag": ["tender"]}
                ],
            }
        ]
    }
    return _write(
        tmp_path / "mixed.jsonl",
        [award_release(), tender_release(), _other_process(), _invalid(), "{not json", linked],
    )


def test_releases_of_one_process_are_compiled_then_mapped(db: Database, tmp_path: Path) -> None:
    import_file(db, _mixed_file(tmp_path))
    sections = _lake(
        db,
        "SELECT section_code, tender_project_code, industry, region_code, procedure, evaluation_method, "
        "CAST(control_price AS VARCHAR), CAST(bid_deadline AS VARCHAR) FROM sections ORDER BY 1",
    )
    assert sections[0] == (
        OCID,
        "P1",
        "transport",
        "330102",
        "open",
        "lowest_price",
        "990000.50",
        "2024-03-21 09:30:00",
    )
    assert [s[0] for s in sections] == [OCID, "ocds-abc123-S2"]
    bids = _lake(db, f"SELECT bidder_uscc, disqualified FROM bids WHERE section_code = '{OCID}' ORDER BY 1")
    assert bids == sorted([(FIRM_A, False), (FIRM_B, True)])
    assert _lake(db, "SELECT section_code, winner_uscc FROM awards") == [(OCID, FIRM_A)]
    assert _lake(db, "SELECT tender_project_code, tenderer_uscc FROM tender_projects") == [("P1", BUYER)]
    # The CN-USCC-… form of an id gives the code.
    assert _lake(db, "SELECT bidder_uscc FROM bids WHERE section_code = 'ocds-abc123-S2'") == [(FIRM_A,)]


def test_what_does_not_fit_is_quarantined_with_line_and_json_path(db: Database, tmp_path: Path) -> None:
    summary = import_file(db, _mixed_file(tmp_path))
    by_dataset = {r.dataset: r for r in summary.results}
    for result in summary.results:
        assert result.received == result.accepted + result.rejected
    sections, bids = by_dataset["sections"], by_dataset["bids"]
    assert (sections.accepted, sections.rejected) == (2, 3)  # schema error, broken line, linked release
    assert (bids.accepted, bids.rejected) == (3, 2)
    with db.session() as session:
        rejects = {
            (r.line, r.field, r.code)
            for b in (sections, bids)
            for r in service.get_rejects(db_session=session, batch_id=b.batch_id or 0)
        }
    assert (4, "bids.details[0].status", "ocds_schema") in rejects
    assert (5, "$", "bad_json") in rejects
    assert (6, "records[0].releases[0]", "linked_release") in rejects
    lines_fields = {(line, field) for line, field, _ in rejects}
    assert (3, "bids.details[0].tenderers[0].id") in lines_fields
    assert (3, "bids.details[1].value.amount") in lines_fields


def test_schema_errors_of_one_release_make_one_reject(db: Database, tmp_path: Path) -> None:
    summary = import_file(db, _write(tmp_path / "bad.jsonl", [_invalid()]))
    sections = summary.results[0]
    assert (sections.dataset, sections.received, sections.rejected) == ("sections", 1, 1)
    with db.session() as session:
        [reject] = service.get_rejects(db_session=session, batch_id=sections.batch_id or 0)
    assert {e["field"] for e in reject.errors} >= {"date", "bids.details[0].status"}
    assert reject.raw["ocid"] == "ocds-abc123-S3"


def test_a_release_package_and_a_record_package_import_alike(db: Database, tmp_path: Path) -> None:
    package = tmp_path / "package.json"
    package.write_text(json.dumps({"releases": [tender_release(), award_release()]}), encoding="utf-8")
    records = tmp_path / "records.json"
    records.write_text(
        json.dumps({"records": [{"ocid": OCID, "releases": [award_release(), tender_release()]}]}),
        encoding="utf-8",
    )
    first = import_file(db, package)
    second = import_file(db, records)
    assert first.rejected == second.rejected == 0
    counts = {r.dataset: r.accepted for r in first.results}
    assert counts == {r.dataset: r.accepted for r in second.results}
    assert counts == {"tender_projects": 1, "sections": 1, "bids": 2, "awards": 1}


def test_a_second_import_of_the_same_file_is_a_duplicate(db: Database, tmp_path: Path) -> None:
    path = _write(tmp_path / "one.jsonl", [tender_release(), award_release()])
    import_file(db, path)
    again = import_file(db, path)
    assert {r.status for r in again.results} == {"duplicate"}
    assert _lake(db, "SELECT count(*) FROM bids") == [(2,)]


def test_a_second_winner_in_one_process_is_a_duplicate_named_by_file_line(
    db: Database, tmp_path: Path
) -> None:
    first, second = tender_release(), award_release()
    second["awards"].append(dict(second["awards"][0], id="A2", suppliers=[{"id": FIRM_B, "name": "乙"}]))
    summary = import_file(db, _write(tmp_path / "two.jsonl", [first, second]))
    awards = next(r for r in summary.results if r.dataset == "awards")
    assert (awards.received, awards.accepted, awards.rejected) == (2, 1, 1)
    with db.session() as session:
        [reject] = service.get_rejects(db_session=session, batch_id=awards.batch_id or 0)
    assert (reject.line, reject.field, reject.code) == (1, "awards[1]", "duplicate_key")
    assert "line 1 " in reject.message_en
