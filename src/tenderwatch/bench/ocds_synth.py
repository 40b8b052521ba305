"""Deterministic synthetic OCDS compiled releases for `tenderwatch bench ocds`.

Two shapes. "mixed" resembles a national feed: every method, a third of processes without bids
(direct awards), 2–8 bids elsewhere, some lots and consortia, a few currencies, cancelled and
pending stages, parties and items filling each line to a few kilobytes. "bid-heavy" gives every
process 8–40 bids, which is where Cardinal slows to about half its speed. Same seed, same bytes.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

METHODS = (("open", 0.55), ("selective", 0.15), ("limited", 0.12), ("direct", 0.18))
DETAILS = {
    "open": ("公开招标", "竞争性磋商"),
    "selective": ("邀请招标",),
    "limited": ("竞争性谈判", "询价"),
    "direct": ("单一来源",),
}
BID_STATUS = (
    ("valid", 0.8),
    ("disqualified", 0.12),
    ("pending", 0.03),
    ("withdrawn", 0.03),
    ("invited", 0.02),
)
CURRENCIES = (("CNY", 0.97), ("USD", 0.02), ("EUR", 0.01))
EPOCH = datetime(2021, 1, 1, tzinfo=UTC)


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    x = rng.random()
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _org(prefix: str, number: int) -> dict[str, str]:
    return {"id": f"{prefix}-{number:06d}", "name": f"{prefix} 组织 {number} 有限公司"}


def release(i: int, rng: random.Random, heavy: bool) -> dict[str, object]:
    method = "open" if heavy else _pick(rng, METHODS)
    start = EPOCH + timedelta(minutes=rng.randrange(0, 4 * 365 * 24 * 60))
    end = start + timedelta(
        days=rng.choice((3, 5, 7, 10, 14, 15, 20, 21, 30, 45)), hours=rng.randrange(-12, 12)
    )
    sector = rng.randrange(10, 99)
    items = [
        {
            "id": str(k + 1),
            "description": f"货物或服务 {sector}-{k} 规格说明",
            "classification": {
                "scheme": "CPV",
                "id": f"{rng.choice((sector, rng.randrange(10, 99)))}{rng.randrange(0, 999999):06d}",
            },
            "quantity": rng.randrange(1, 500),
        }
        for k in range(rng.randrange(1, 5))
    ]
    buyer = _org("BUYER", rng.randrange(3000))
    entity = _org("PE", rng.randrange(5000))
    budget = round(rng.lognormvariate(12, 1.4), 2)
    tender: dict[str, object] = {
        "id": f"T-{i}",
        "title": f"采购项目 {i}",
        "status": "cancelled" if rng.random() < 0.02 else "complete",
        "procuringEntity": entity,
        "procurementMethod": method,
        "procurementMethodDetails": rng.choice(DETAILS[method]),
        "tenderPeriod": {"startDate": _date(start), "endDate": _date(end)},
        "value": {"amount": budget, "currency": "CNY"},
        "items": items,
    }
    doc: dict[str, object] = {
        "ocid": f"ocds-bench-{i:08d}",
        "id": f"{i}-compiled",
        "date": _date(end + timedelta(days=20)),
        "tag": ["compiled"],
        "initiationType": "tender",
        "buyer": buyer,
        "tender": tender,
    }
    parties = [dict(buyer, roles=["buyer"]), dict(entity, roles=["procuringEntity"])]
    bidders = [
        _org("FIRM", rng.randrange(40000))
        for _ in range(rng.randrange(8, 41) if heavy else rng.randrange(2, 9))
    ]
    has_bids = heavy or (method != "direct" and rng.random() < 0.8)
    currency = _pick(rng, CURRENCIES)
    details: list[dict[str, Any]] = []
    if has_bids:
        tender["numberOfTenderers"] = len(bidders)
        for k, bidder in enumerate(bidders):
            tenderers = [bidder] if rng.random() > 0.03 else [bidder, _org("FIRM", rng.randrange(40000))]
            late = rng.random() < 0.02
            details.append(
                {
                    "id": f"B-{i}-{k}",
                    "date": _date(
                        end + timedelta(hours=5) if late else end - timedelta(hours=rng.randrange(1, 200))
                    ),
                    "status": _pick(rng, BID_STATUS),
                    "value": {"amount": round(budget * rng.uniform(0.7, 1.05), 2), "currency": currency},
                    "tenderers": tenderers,
                }
            )
            parties.append(dict(bidder, roles=["tenderer"]))
        doc["bids"] = {
            "statistics": [{"id": "1", "measure": "bids", "value": len(details)}],
            "details": details,
        }
    else:
        tender["numberOfTenderers"] = 1
    valid = [bid for bid in details if bid["status"] == "valid"]
    winners: list[dict[str, Any]] = sorted(valid, key=lambda bid: bid["value"]["amount"])[
        : 2 if rng.random() < 0.08 else 1
    ]
    if not has_bids:
        winners = [{"id": None, "value": {"amount": budget, "currency": "CNY"}, "tenderers": [bidders[0]]}]
    awards: list[dict[str, Any]] = []
    for k, bid in enumerate(winners):
        status = "active" if rng.random() > 0.05 else rng.choice(("pending", "cancelled", "unsuccessful"))
        award = {
            "id": f"A-{i}-{k}",
            "status": status,
            "date": _date(end + timedelta(days=10)),
            "value": bid["value"],
            "suppliers": bid["tenderers"],
            "items": [{"id": item["id"], "classification": item["classification"]} for item in items],
            "relatedLots": [str(k + 1)],
        }
        if bid["id"] is not None:
            award["relatedBid"] = bid["id"]
        awards.append(award)
        for supplier in bid["tenderers"]:
            parties.append(dict(supplier, roles=["supplier"]))
    if awards:
        doc["awards"] = awards
        doc["contracts"] = [
            {"id": f"C-{a['id']}", "awardID": a["id"], "status": "active", "value": a["value"]}
            for a in awards
        ]
    doc["parties"] = parties
    return doc


def generate(path: Path, processes: int, heavy: bool, seed: int = 1, pool: int = 20_000) -> int:
    """Write `processes` lines to `path`; return the bytes written.

    Building releases in Python costs more than the indicators themselves, so `pool` distinct
    releases are drawn and line i repeats release i mod pool under its own ocid. Organizations
    then recur across lines as they do in real feeds; every line is still parsed in full.
    """
    rng = random.Random(f"{seed}-{'heavy' if heavy else 'mixed'}")
    templates = [orjson.dumps(release(j, rng, heavy)) for j in range(min(pool, processes))]
    written = 0
    with path.open("wb") as out:
        buffer: list[bytes] = []
        for i in range(processes):
            j = i % len(templates)
            line = templates[j]
            if i != j:
                line = line.replace(
                    f'"ocid":"ocds-bench-{j:08d}"'.encode(), f'"ocid":"ocds-bench-{i:08d}"'.encode(), 1
                )
            buffer.append(line)
            if len(buffer) == 2000:
                data = b"\n".join(buffer) + b"\n"
                out.write(data)
                written += len(data)
                buffer.clear()
        if buffer:
            data = b"\n".join(buffer) + b"\n"
            out.write(data)
            written += len(data)
    return written
