"""Our additions (`[tenderwatch]` settings, --format): each changes output only when asked for."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import orjson
import pyarrow.parquet as pq
from typer.testing import CliRunner

from tenderwatch.cli import app


def run(
    tmp_path: Path, settings: str, releases: list[dict[str, object]], *args: str
) -> tuple[dict[str, object], str]:
    data = tmp_path / "in.jsonl"
    data.write_bytes(b"\n".join(orjson.dumps(r) for r in releases) + b"\n")
    ini = tmp_path / "settings.ini"
    ini.write_text(settings, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["ocds", "indicators", str(data), "-s", str(ini), *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    return (json.loads(result.stdout) if result.stdout else {}), result.stdout


def bid(
    tenderers: list[str], amount: float, bid_id: str = "", lots: list[str] | None = None
) -> dict[str, object]:
    doc: dict[str, object] = {
        "id": bid_id,
        "status": "valid",
        "value": {"amount": amount, "currency": "CNY"},
        "tenderers": [{"id": t} for t in tenderers],
    }
    if lots:
        doc["relatedLots"] = lots
    return doc


def award(suppliers: list[str], **extra: object) -> dict[str, object]:
    return {"status": "active", "suppliers": [{"id": s} for s in suppliers], **extra}


R024 = "[R024]\nthreshold = 0.05\n"


def test_consortia_lets_a_joint_bid_win(tmp_path: Path) -> None:
    releases = [
        {
            "ocid": "P",
            "bids": {"details": [bid(["A", "B"], 100), bid(["C"], 101)]},
            "awards": [award(["A", "B"])],
        }
    ]
    default, _ = run(tmp_path, R024, releases, "--no-meta")
    assert default == {}  # Cardinal skips awards with several suppliers
    joint, _ = run(tmp_path, R024 + "[tenderwatch]\nconsortia = true\n", releases, "--no-meta")
    assert joint == {
        "OCID": {"P": {"R024": 0.01}},
        "Tenderer": {"C": {"R024": 0.0}, "A": {"R024": 0.0}, "B": {"R024": 0.0}},
    }


def test_related_bid_names_the_winning_bid(tmp_path: Path) -> None:
    bids = [bid(["W"], 90, "b1"), bid(["W"], 100, "b2"), bid(["L"], 101, "b3")]
    releases = [{"ocid": "P", "bids": {"details": bids}, "awards": [award(["W"], relatedBid="b2")]}]
    default, _ = run(tmp_path, R024, releases, "--no-meta")
    assert default == {}  # Cardinal takes W's lowest bid (90): ratio 0.12 is not close
    related, _ = run(tmp_path, R024 + "[tenderwatch]\nrelated_bid = true\n", releases, "--no-meta")
    assert related == {"OCID": {"P": {"R024": 0.01}}, "Tenderer": {"L": {"R024": 0.0}, "W": {"R024": 0.0}}}


def test_lots_split_a_process_with_several_active_awards(tmp_path: Path) -> None:
    bids = [
        bid(["W"], 100, lots=["1"]),
        bid(["L"], 101, lots=["1"]),
        bid(["X"], 200, lots=["2"]),
        bid(["Y"], 250, lots=["2"]),
    ]
    awards = [award(["W"], relatedLots=["1"]), award(["X"], relatedLots=["2"])]
    releases = [{"ocid": "P", "bids": {"details": bids}, "awards": awards}]
    default, _ = run(tmp_path, R024, releases, "--no-meta")
    assert default == {}  # Cardinal skips processes with several active awards
    lots, _ = run(tmp_path, R024 + "[tenderwatch]\nlots = true\n", releases, "--no-meta")
    assert lots == {"OCID": {"P/1": {"R024": 0.01}}, "Tenderer": {"L": {"R024": 0.0}, "W": {"R024": 0.0}}}


def test_iqr_zero_guard_stops_r048_flagging_everyone(tmp_path: Path) -> None:
    releases = [
        {"ocid": str(i), "awards": [award([f"S{i}"], items=[{"classification": {"id": "10000000"}}])]}
        for i in range(5)
    ]
    settings = "[R048]\nminimum_contracting_processes = 1\n"
    default, _ = run(tmp_path, settings, releases)
    assert len(default["Tenderer"]) == 5  # type: ignore[arg-type]  # IQR = 0: the fence is 1, all have 1
    assert default["Meta"] == {"R048": {"q1": 1.0, "q3": 1.0, "upper_fence": 1.0}}
    guarded, _ = run(tmp_path, settings + "[tenderwatch]\niqr_zero_guard = true\n", releases)
    assert guarded == {"Meta": {"R048": {"q1": 1.0, "q3": 1.0, "upper_fence": 1.0}}}


def test_not_applicable_and_coverage(tmp_path: Path) -> None:
    short = {"startDate": "2000-01-01T00:00:00Z", "endDate": "2000-01-05T00:00:00Z"}
    releases = [
        {"ocid": "short", "tender": {"tenderPeriod": short}},
        {"ocid": "long", "tender": {"tenderPeriod": {**short, "endDate": "2000-03-01T00:00:00Z"}}},
        {"ocid": "undated", "tender": {}},
    ]
    default, _ = run(tmp_path, "[R003]\n", releases, "--no-meta")
    assert default == {"OCID": {"short": {"R003": 1.0}}}
    marked, text = run(
        tmp_path, "[R003]\n[tenderwatch]\nnot_applicable = true\ncoverage = true\n", releases, "--no-meta"
    )
    assert text.startswith('{"OCID":{"short":{"R003":1.0},"undated":{"R003":null}},')
    assert marked["Coverage"] == {"R003": {"processes": 3, "applicable": 2, "results": 1}}


def test_csv_and_parquet_tables(tmp_path: Path) -> None:
    releases = [
        {"ocid": "P", "bids": {"details": [bid(["W"], 100), bid(["L"], 101)]}, "awards": [award(["W"])]}
    ]
    _, json_text = run(tmp_path, R024, releases, "--no-meta")
    expected = [["OCID", "P", "R024", "0.01"], ["Tenderer", "L", "R024", "0"], ["Tenderer", "W", "R024", "0"]]
    out_csv = tmp_path / "out.csv"
    _, text = run(tmp_path, R024, releases, "--format", "csv", "--out", str(out_csv))
    assert text == ""
    with out_csv.open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["group", "id", "indicator", "value"]
    assert rows[1:] == expected
    out_parquet = tmp_path / "out.parquet"
    run(tmp_path, R024, releases, "--format", "parquet", "--out", str(out_parquet))
    table = pq.read_table(out_parquet).to_pylist()
    assert table[0] == {"group": "OCID", "id": "P", "indicator": "R024", "value": 0.01}
    assert len(table) == 3
    assert json_text == '{"OCID":{"P":{"R024":0.01}},"Tenderer":{"L":{"R024":0.0},"W":{"R024":0.0}}}\n'
