"""Reading the OCDS file shapes: which release of which process is used, and where it was found."""

from __future__ import annotations

import json
from pathlib import Path

from tenderwatch.ocds.exchange.packages import read_ocds
from tenderwatch.ocds.exchange.processes import compile_processes
from tests.ocds.exchange.ocds_samples import OCID, award_release, tender_release


def test_a_record_with_a_compiled_release_is_taken_as_published(tmp_path: Path) -> None:
    compiled = dict(tender_release(), id="C", tag=["compiled"])
    compiled["tender"] = dict(compiled["tender"], title="published compiled title")
    path = tmp_path / "records.json"
    record = {"ocid": OCID, "releases": [tender_release(), award_release()], "compiledRelease": compiled}
    path.write_text(json.dumps({"records": [record]}), encoding="utf-8")
    [process], problems, _ = compile_processes(read_ocds(path))
    assert problems == []
    assert process.release["tender"]["title"] == "published compiled title"
    assert (process.line, process.path) == (1, "records[0].compiledRelease")


def test_a_json_array_of_releases_numbers_them_from_one(tmp_path: Path) -> None:
    path = tmp_path / "releases.json"
    path.write_text(json.dumps([tender_release(), {"no": "ocid"}]), encoding="utf-8")
    read = read_ocds(path)
    assert [(e.line, e.kind) for e in read.entries] == [(1, "release")]
    assert [(p.line, p.code) for p in read.problems] == [(2, "no_ocid")]


def test_jsonl_lines_may_hold_packages(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"releases": [tender_release()]}), "", json.dumps(award_release())]
    path.write_text("\n".join(lines), encoding="utf-8")
    [process], problems, seen = compile_processes(read_ocds(path))
    assert (problems, seen) == ([], 2)
    assert process.release["tag"] == ["compiled"]
    assert process.release["awards"][0]["id"] == "A1"
