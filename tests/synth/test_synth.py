"""The synthetic province: determinism, catalogue conformity, references and truth consistency."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tenderwatch.catalog import get_catalog
from tenderwatch.common.identifiers import id_number_valid_expr, uscc_valid_expr
from tenderwatch.common.regions import REGIONS
from tenderwatch.synth import SCALES, generate

PATTERNS = {
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "datetime": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$",
    "month": r"^\d{4}-(0[1-9]|1[0-2])$",
    "bool": r"^(true|false)$",
    "decimal": r"^\d+(\.\d{1,2})?$",
    "int": r"^-?\d+$",
    "float": r"^-?\d+(\.\d+)?$",
}
VALIDATORS = {
    "phone": r"^(1[3-9]\d{9}|0\d{2,3}-\d{7,8})$",
    "ip": r"^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$",
    "mac": r"^([0-9A-F]{2}-){5}[0-9A-F]{2}$",
    "email": r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}$",
}
MODELS = [f"C{i:02d}" for i in (*range(1, 22), 24, 25, 26, 27, 29, 30, 31, 32, 33)]
LOOKALIKES = {
    "agency_shared_ip", "common_cpu_model", "virtual_mac", "tender_template_text", "tender_template_rsid",
    "default_author", "corporate_group", "job_changer", "round_discount_prices", "state_owned_group",
    "agency_contact_phone", "guarantee_batch_numbers", "water_specialist_market",
}  # fmt: skip


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    generate("tiny", 1, out)
    return out


@pytest.fixture(scope="module")
def frames(province: Path) -> dict[str, pl.DataFrame]:
    return {
        d.id: pl.read_csv(province / f"{d.id}.csv", infer_schema=False).fill_null("")
        for d in get_catalog().datasets
    }


@pytest.fixture(scope="module")
def truth(province: Path) -> dict[str, Any]:
    return json.loads((province / "truth.json").read_text(encoding="utf-8"))


def test_same_seed_gives_identical_bytes(province: Path, tmp_path: Path) -> None:
    generate("tiny", 1, tmp_path)
    for path in sorted(province.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_other_seed_gives_other_data(province: Path, tmp_path: Path) -> None:
    generate("tiny", 2, tmp_path)
    assert (tmp_path / "bids.csv").read_bytes() != (province / "bids.csv").read_bytes()


def test_tiny_size_and_summary(province: Path, frames: dict[str, pl.DataFrame], tmp_path: Path) -> None:
    assert 800 <= frames["bids"].height <= 1300
    assert set(SCALES) == {"tiny", "small", "province"}
    summary = generate("tiny", 3, tmp_path, progress=lambda *_: None)
    assert summary.counts["bids"] == pl.read_csv(tmp_path / "bids.csv", infer_schema=False).height
    assert summary.schemes > 0 and summary.lookalikes > 0


def test_every_file_has_the_catalogue_header(province: Path) -> None:
    for d in get_catalog().datasets:
        header = (province / f"{d.id}.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(",") == list(d.field_names), d.id


def test_every_value_passes_its_field_rules(frames: dict[str, pl.DataFrame]) -> None:
    catalog = get_catalog()
    for d in catalog.datasets:
        df = frames[d.id]
        assert df.height > 0, d.id
        for f in d.fields:
            col = df[f.name]
            present = col.filter(col != "")
            if f.required:
                assert present.len() == df.height, f"{d.id}.{f.name} has blanks"
            frame = present.to_frame("v")
            if f.type in PATTERNS:
                bad = frame.filter(~pl.col("v").str.contains(PATTERNS[f.type]))
                assert bad.height == 0, f"{d.id}.{f.name}: {bad.head(3)}"
            if f.type == "enum":
                assert set(present.to_list()) <= set(catalog.enums[f.enum or ""]), f"{d.id}.{f.name}"
            if f.min is not None or f.max is not None:
                values = present.cast(pl.Float64)
                assert f.min is None or values.min() is None or float(values.min()) >= f.min  # type: ignore[arg-type]
                assert f.max is None or values.max() is None or float(values.max()) <= f.max  # type: ignore[arg-type]
            _check_validator(d.id, f.name, f.validator, frame)
        if d.key:
            assert df.select(d.key).is_duplicated().sum() == 0, f"{d.id}: duplicate keys"


def _check_validator(dataset: str, field: str, validator: str | None, frame: pl.DataFrame) -> None:
    v = pl.col("v")
    if validator == "uscc":
        ok = uscc_valid_expr(v)
    elif validator == "id_number":
        ok = id_number_valid_expr(v)
    elif validator == "id_or_uscc":
        ok = uscc_valid_expr(v) | id_number_valid_expr(v)
    elif validator == "region":
        ok = v.is_in(list(REGIONS))
    elif validator in VALIDATORS:
        ok = v.str.contains(VALIDATORS[validator])
    else:
        return
    bad = frame.filter(~ok)
    assert bad.height == 0, f"{dataset}.{field}: {bad.head(3)}"


def test_every_reference_is_satisfied(frames: dict[str, pl.DataFrame]) -> None:
    catalog = get_catalog()
    for d in catalog.datasets:
        for ref in d.references:
            target = catalog.dataset(ref.dataset)
            keys = frames[ref.dataset].select(
                [pl.col(k).alias(f) for k, f in zip(target.key, ref.fields, strict=True)]
            )
            missing = frames[d.id].select(ref.fields).join(keys, on=list(ref.fields), how="anti")
            assert missing.height == 0, f"{d.id} -> {ref.dataset}: {missing.head(3)}"


def test_dates_follow_the_procedure(frames: dict[str, pl.DataFrame]) -> None:
    s = frames["sections"]
    assert (s["announce_time"] <= s["bid_deadline"]).all()
    assert (s["doc_issue_start"] <= s["doc_issue_end"]).all()
    assert (s["bid_deadline"].str.slice(0, 10) < s["candidate_pub_start"]).all()
    awards = frames["awards"].join(s, on="section_code")
    assert (awards["candidate_pub_end"] < awards["award_date"]).all()
    bids = frames["bids"].join(s.select("section_code", "bid_deadline"), on="section_code")
    assert (bids["submit_time"] <= bids["bid_deadline"]).all()


def test_honest_bidders_do_not_share_machines(frames: dict[str, pl.DataFrame], truth: dict[str, Any]) -> None:
    planted = {
        (s, c) for e in truth["schemes"] if e["model"] == "C01" for s in e["sections"] for c in e["companies"]
    }
    fp = frames["bid_fingerprints"]
    shared = fp.filter(pl.col("disk_serial").is_duplicated().over("section_code"))
    assert {(r["section_code"], r["bidder_uscc"]) for r in shared.iter_rows(named=True)} <= planted
    assert len(planted) > 0 and shared.height > 0


def test_truth_refers_to_existing_records(frames: dict[str, pl.DataFrame], truth: dict[str, Any]) -> None:
    sections = set(frames["sections"]["section_code"])
    companies = (set(frames["companies"]["uscc"]) | set(frames["tender_projects"]["tenderer_uscc"])
                 | set(frames["shareholders"]["holder_id"]))  # fmt: skip
    persons = set(frames["persons"]["person_id"])
    assert truth["scale"] == "tiny" and truth["seed"] == 1
    assert truth["counts"]["bids"] == frames["bids"].height
    for entry in truth["schemes"] + truth["lookalikes"]:
        assert set(entry["sections"]) <= sections, entry["id"]
        assert set(entry["companies"]) <= companies, entry["id"]
        assert set(entry["persons"]) <= persons, entry["id"]
    ids = [e["id"] for e in truth["schemes"]]
    assert len(ids) == len(set(ids)) and all(i.startswith("S") for i in ids)


def test_every_model_and_lookalike_is_planted(truth: dict[str, Any]) -> None:
    assert set(MODELS) <= {e["model"] for e in truth["schemes"]}
    assert {e["kind"] for e in truth["lookalikes"]} >= LOOKALIKES
    touched = {s for e in truth["schemes"] for s in e["sections"]}
    assert len(touched) < truth["counts"]["sections"] / 2  # schemes stay a minority of sections


def test_planted_signals_are_in_the_data(frames: dict[str, pl.DataFrame], truth: dict[str, Any]) -> None:
    bids = frames["bids"]
    for e in truth["schemes"]:
        (sec, *_rest) = e["sections"] or [""]
        rows = bids.filter(pl.col("section_code") == sec)
        if e["type"] == "identical_prices":
            prices = rows.filter(pl.col("bidder_uscc").is_in(e["companies"]))["bid_price"]
            assert prices.n_unique() == 1
        if e["type"] == "arithmetic_progression":
            prices = sorted(
                float(p) for p in rows.filter(pl.col("bidder_uscc").is_in(e["companies"]))["bid_price"]
            )
            steps = [b - a for a, b in itertools.pairwise(prices)]
            assert len(prices) >= 4 and max(steps) - min(steps) < 0.01 * max(steps) + 1
        if e["model"] == "C14" or e["model"] == "C06":
            assert rows.filter(pl.col("bidder_uscc").is_in(e["companies"])).height == 2
        if e["type"] == "same_operator":
            ops = rows.filter(pl.col("bidder_uscc").is_in(e["companies"]))["operator_id"]
            assert ops.n_unique() == 1 and ops[0] == e["persons"][0]
        if e["model"] in ("C11", "C24", "C26", "C30") and e["type"] != "no_competition":
            award = frames["awards"].filter(pl.col("section_code") == sec)
            assert award["winner_uscc"][0] == e["companies"][0]
        if e["model"] == "C16":
            awards = frames["awards"]
            assert awards.filter(pl.col("winner_uscc") == e["companies"][0]).height == 0
            assert bids.filter(pl.col("bidder_uscc") == e["companies"][0]).height >= 5


def test_only_planted_pms_have_a_live_project_at_bid_time(
    frames: dict[str, pl.DataFrame], truth: dict[str, Any]
) -> None:
    deadline = frames["sections"].select("section_code", "bid_deadline")
    pms = (
        frames["bid_personnel"].filter(pl.col("role") == "project_manager").join(deadline, on="section_code")
    )
    day = pl.col("bid_deadline").str.slice(0, 10)
    live = pms.join(
        frames["construction_projects"], left_on="person_id", right_on="project_manager_id"
    ).filter(
        (pl.col("start_date") <= day)
        & (
            pl.when(pl.col("completion_date") != "").then(pl.col("completion_date")).otherwise(pl.lit("9"))
            > day
        )
        & (pl.col("section_code") != pl.col("section_code_right"))
    )
    hits = set(live.select("section_code", "bidder_uscc").iter_rows())
    planted = {
        (s, c) for e in truth["schemes"] if e["model"] == "C20" for s in e["sections"] for c in e["companies"]
    }
    assert planted and hits == planted
