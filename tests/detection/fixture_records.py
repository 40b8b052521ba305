"""Hand-written records for fixture lakes (C15–C18, C27, C29, C31–C33 tests): valid identifiers and
catalogue-shaped CSV with sensible defaults, so each test states only the fields it is about."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from tenderwatch.catalog import get_catalog
from tenderwatch.common.identifiers import make_id_number, make_uscc


def uscc(n: int, region: str = "330102", authority: str = "9") -> str:
    return make_uscc(region, random.Random(n), authority=authority)


def pid(n: int, region: str = "330102") -> str:
    return make_id_number(region, date(1970, 1, 1) + timedelta(days=97 * n), random.Random(n))


def csv(dataset: str, rows: list[dict[str, Any]]) -> str:
    """CSV text with the catalogue's full header; fields a row does not name are left empty."""
    names = get_catalog().dataset(dataset).field_names
    for row in rows:
        unknown = set(row) - set(names)
        assert not unknown, f"{dataset}: unknown fields {unknown}"
    lines = [",".join(names)]
    lines += [",".join("" if row.get(n) is None else str(row[n]) for n in names) for row in rows]
    return "\n".join(lines) + "\n"


def project(code: str, tenderer: str, **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "tender_project_code": code,
        "name": f"项目{code}",
        "industry": "building",
        "region_code": "330102",
        "tenderer_uscc": tenderer,
        "registered_at": "2024-01-01",
    }
    return row | kw


def section(code: str, project_code: str, deadline: datetime | None = None, **kw: Any) -> dict[str, Any]:
    """A works section with lawful periods (20-day bid period, 5-day sale, 3-day publication)."""
    dl = deadline or datetime(2024, 3, 1, 9, 0)
    announce = dl - timedelta(days=25)
    row: dict[str, Any] = {
        "section_code": code,
        "tender_project_code": project_code,
        "name": f"标段{code}",
        "industry": "building",
        "region_code": "330102",
        "procedure": "open",
        "evaluation_method": "comprehensive",
        "control_price": "5000000.00",
        "announce_time": f"{announce:%Y-%m-%d %H:%M:%S}",
        "doc_issue_start": f"{announce:%Y-%m-%d %H:%M:%S}",
        "doc_issue_end": f"{announce + timedelta(days=7):%Y-%m-%d %H:%M:%S}",
        "bid_deadline": f"{dl:%Y-%m-%d %H:%M:%S}",
        "candidate_pub_start": f"{dl + timedelta(days=5):%Y-%m-%d}",
        "candidate_pub_end": f"{dl + timedelta(days=9):%Y-%m-%d}",
    }
    return row | kw


def bid(section_code: str, bidder: str, price: str = "4500000.00", **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "section_code": section_code,
        "bidder_uscc": bidder,
        "bidder_name": f"公司{bidder[-4:]}",
        "bid_price": price,
        "submit_time": "2024-02-28 10:00:00",
        "disqualified": "false",
    }
    return row | kw


def award(section_code: str, winner: str, price: str = "4500000.00", **kw: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "section_code": section_code,
        "winner_uscc": winner,
        "award_price": price,
        "award_date": "2024-03-20",
    }
    return row | kw
