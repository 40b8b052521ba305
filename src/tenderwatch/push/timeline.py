"""A synthetic province as a timeline of push events, and the history that precedes it.

Sections announced before the cut-off are *history*: every record about them, and the registries
(companies, persons, certificates, insurance …), are imported as files first. Sections announced from the
cut-off on are *live*: their records become the ten kinds of events at the moments the synthetic data
gives (announcement, download, submission, bond, opening, expert check-in, candidates, award, contract,
start of works), sorted in time order. Times are the platform's local time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from tenderwatch.catalog import get_catalog

# Datasets the events carry; every other dataset is registry data, always history.
EVENT_DATASETS = (
    "tender_projects",
    "sections",
    "document_downloads",
    "bids",
    "bid_fingerprints",
    "bid_documents",
    "bid_personnel",
    "bid_guarantees",
    "bid_bonds",
    "experts",
    "expert_scores",
    "awards",
    "contracts",
)
_FMT = "%Y-%m-%d %H:%M:%S"


@dataclass(frozen=True, slots=True)
class Timeline:
    history_dir: Path  # files to import first
    events: list[dict[str, Any]]  # EventIn bodies in time order
    live_sections: int
    cutoff: datetime


def _read(synth_dir: Path, dataset: str) -> pl.DataFrame:
    return pl.read_csv(synth_dir / f"{dataset}.csv", infer_schema=False)


def _record(row: dict[str, Any], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None and v != "" and k not in drop}


def _at(text: str | None, default: datetime) -> datetime:
    if not text:
        return default
    return datetime.strptime(text, _FMT) if len(text) > 10 else datetime.strptime(text + " 10:00:00", _FMT)


def build(synth_dir: Path, out_dir: Path, days: float) -> Timeline:
    """Split the province at ``days`` before its last announcement; write the history files."""
    sections = _read(synth_dir, "sections")
    announced = sections.get_column("announce_time").str.to_datetime(_FMT)
    latest = announced.max()
    assert isinstance(latest, datetime)
    cutoff = latest - timedelta(days=days)
    live = sections.filter(announced >= cutoff)
    live_codes = set(live.get_column("section_code").to_list())
    out_dir.mkdir(parents=True, exist_ok=True)
    frames: dict[str, pl.DataFrame] = {}
    history_projects = set(
        sections.filter(~pl.col("section_code").is_in(list(live_codes)))
        .get_column("tender_project_code")
        .to_list()
    )
    for dataset in get_catalog().datasets:
        frame = _read(synth_dir, dataset.id)
        if dataset.id == "tender_projects":
            is_live = ~pl.col("tender_project_code").is_in(list(history_projects))
        elif dataset.id == "construction_projects":
            is_live = pl.col("section_code").is_in(list(live_codes)).fill_null(False)
        elif dataset.id in EVENT_DATASETS:
            is_live = pl.col("section_code").is_in(list(live_codes))
        else:
            is_live = pl.lit(False)
        frames[dataset.id] = frame.filter(is_live)
        frame.filter(~is_live).write_csv(out_dir / f"{dataset.id}.csv", null_value="")
    announced_at = {str(r["section_code"]): str(r["announce_time"]) for r in live.iter_rows(named=True)}
    events = list(_events(frames))
    for event in events:
        # A record dated before its section's announcement (the synthetic province plants such
        # anomalies) reaches the platform no earlier than the section: the catalogue wants the section
        # first. Its own fields keep the dates as recorded.
        opened = announced_at.get(str(event["payload"].get("section_code")))
        if opened is not None and event["type"] != "section_announced" and event["occurred_at"] < opened:
            event["occurred_at"] = opened
    events.sort(key=lambda e: (e["occurred_at"], e["_order"]))
    for event in events:
        del event["_order"]
    return Timeline(out_dir, events, len(live_codes), cutoff)


def _by(frame: pl.DataFrame, *keys: str) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    grouped: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in frame.iter_rows(named=True):
        grouped.setdefault(tuple(str(row[k]) for k in keys), []).append(row)
    return grouped


def _event(kind: str, event_id: str, at: datetime, payload: dict[str, Any], order: int) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "type": kind,
        "occurred_at": at.strftime(_FMT),
        "payload": payload,
        "_order": order,
    }


def _events(frames: dict[str, pl.DataFrame]) -> Iterator[dict[str, Any]]:
    projects = {str(r["tender_project_code"]): r for r in frames["tender_projects"].iter_rows(named=True)}
    submitted: dict[tuple[str, str], datetime] = {}
    fingerprints = _by(frames["bid_fingerprints"], "section_code", "bidder_uscc")
    documents = _by(frames["bid_documents"], "section_code", "bidder_uscc")
    personnel = _by(frames["bid_personnel"], "section_code", "bidder_uscc")
    guarantees = _by(frames["bid_guarantees"], "section_code", "bidder_uscc")
    scores = _by(frames["expert_scores"], "section_code", "expert_id")
    # The order key breaks ties at one timestamp so references come first (a bid before its bond).
    for row in frames["sections"].sort("announce_time").iter_rows(named=True):
        code = str(row["section_code"])
        at = _at(row["announce_time"], datetime.min)
        payload = _record(row)
        project = projects.pop(str(row["tender_project_code"]), None)
        if project is not None:  # the project rides with its first announced section
            payload["tender_projects"] = _record(project)
        yield _event("section_announced", f"sa-{code}", at, payload, 0)
        opened = _at(row["open_time"] or row["bid_deadline"], at)
        yield _event("section_opened", f"so-{code}", opened, {"section_code": code}, 5)
        if row["candidate_pub_start"]:
            changes = {k: row[k] for k in ("candidate_pub_start", "candidate_pub_end") if row[k]}
            yield _event(
                "candidates_published",
                f"cp-{code}",
                _at(row["candidate_pub_start"], opened) + timedelta(hours=-1),
                {"section_code": code, **changes},
                7,
            )
    for row in frames["document_downloads"].iter_rows(named=True):
        yield _event(
            "documents_downloaded",
            f"dd-{row['download_id']}",
            _at(row["download_time"], datetime.min),
            _record(row),
            1,
        )
    for row in frames["bids"].iter_rows(named=True):
        key = (str(row["section_code"]), str(row["bidder_uscc"]))
        at = _at(row["submit_time"], datetime.min)
        submitted[key] = at
        payload = _record(row)
        if key in fingerprints:
            payload["bid_fingerprints"] = _record(fingerprints[key][0], ("section_code", "bidder_uscc"))
        if key in documents:
            payload["bid_documents"] = _record(documents[key][0], ("section_code", "bidder_uscc"))
        if key in personnel:
            payload["bid_personnel"] = [_record(p, ("section_code", "bidder_uscc")) for p in personnel[key]]
        if key in guarantees:
            payload["bid_guarantees"] = [_record(g) for g in guarantees[key]]
        yield _event("bid_submitted", f"bs-{key[0]}-{key[1]}", at, payload, 2)
    for row in frames["bid_bonds"].iter_rows(named=True):
        key = (str(row["section_code"]), str(row["bidder_uscc"]))
        # The catalogue wants the bid first; a bond paid earlier is pushed right after the bid.
        at = max(_at(row["paid_at"], datetime.min), submitted.get(key, datetime.min))
        yield _event("bond_paid", f"bp-{row['bond_id']}", at, _record(row), 3)
    for row in frames["experts"].iter_rows(named=True):
        key = (str(row["section_code"]), str(row["expert_id"]))
        payload = _record(row)
        payload["expert_scores"] = [_record(s, ("section_code", "expert_id")) for s in scores.get(key, [])]
        yield _event(
            "evaluation_scored",
            f"es-{key[0]}-{key[1]}",
            _at(row["check_in_time"], datetime.min) + timedelta(hours=2),
            payload,
            6,
        )
    for row in frames["awards"].iter_rows(named=True):
        yield _event(
            "award", f"aw-{row['section_code']}", _at(row["award_date"], datetime.min), _record(row), 8
        )
    for row in frames["contracts"].iter_rows(named=True):
        yield _event(
            "contract",
            f"ct-{row['contract_id']}",
            _at(row["signed_date"], datetime.min) + timedelta(hours=1),
            _record(row),
            9,
        )
    for row in frames["construction_projects"].iter_rows(named=True):
        yield _event(
            "project_manager_change",
            f"pm-{row['project_id']}",
            _at(row["start_date"], datetime.min),
            _record(row),
            10,
        )
