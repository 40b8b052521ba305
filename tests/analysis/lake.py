"""A hand-made lake for the graph and collision tests: three companies, four persons, three sections,
with placeholders where a careless join would link records that have nothing in common."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from tenderwatch.catalog import get_catalog
from tenderwatch.common.identifiers import make_id_number, make_uscc
from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.ingest import service
from tenderwatch.ingest.flows import ingest_paths
from tenderwatch.lake.views import connect

_rng = random.Random(4242)
A, B, C = (make_uscc("330106", _rng) for _ in range(3))
TENDERER = make_uscc("330100", _rng, authority="1", kind="1")
P1, P2, P3, P4 = (make_id_number("330106", date(1970 + i, 5, 1 + i), _rng) for i in range(4))


def _csv(header: str, rows: Iterable[Sequence[Any]]) -> str:
    return "\n".join([header, *(",".join("" if v is None else str(v) for v in r) for r in rows)]) + "\n"


def files() -> dict[str, str]:
    sections = ("S1", "S2", "S3")
    return {
        "tender_projects": _csv(
            "tender_project_code,name,industry,region_code,tenderer_uscc,registered_at",
            [("TP1", "道路工程", "building", "330106", TENDERER, "2024-05-01")],
        ),
        "sections": _csv(
            "section_code,tender_project_code,name,industry,region_code,procedure,evaluation_method,"
            "control_price,announce_time,bid_deadline",
            [
                (
                    s,
                    "TP1",
                    f"{s}标段",
                    "building",
                    "330106",
                    "open",
                    "comprehensive",
                    "1000000",
                    "2024-05-02 09:00:00",
                    "2024-06-01 09:30:00",
                )
                for s in sections
            ],
        ),
        # A and B bid together in S1 and S3, A and C in S2.
        "bids": _csv(
            "section_code,bidder_uscc,bidder_name,bid_price,submit_time,operator_id,operator_phone",
            [
                ("S1", A, "甲公司", "900000", "2024-05-30 10:00:00", "", ""),
                ("S1", B, "乙公司", "910000", "2024-05-30 10:00:00", "", "-"),
                ("S2", A, "甲公司", "900000", "2024-05-30 10:00:00", "", ""),
                ("S2", C, "丙公司", "920000", "2024-05-30 10:00:00", P4, "13700000004"),
                ("S3", A, "甲公司", "900000", "2024-05-30 10:00:00", "", ""),
                ("S3", B, "乙公司", "930000", "2024-05-30 10:00:00", "", ""),
            ],
        ),
        "companies": _csv(
            "uscc,name,legal_rep_name,legal_rep_id,phone,address,basic_account,founded_on",
            [
                (A, "甲公司", "张一", P1, "13800000001", "杭州市西湖路1号", "ACC-A", "2010-01-01"),
                (B, "乙公司", "张二", P2, "-", "无", "0", "2011-01-01"),
                (C, "丙公司", "张三", P3, "/", "-", "", "2012-01-01"),
            ],
        ),
        "persons": _csv("person_id,name,phone", [(P1, "张一", "13900000009"), (P2, "张二", "-")]),
        "shareholders": _csv(
            "company_uscc,holder_id,holder_type,holder_name,share_pct", [(B, P1, "person", "张一", "60")]
        ),
        # A and C made their S2 bids on one disk; A and B both wrote "-" as MAC in S1 (no link).
        "bid_fingerprints": _csv(
            "section_code,bidder_uscc,mac,disk_serial,upload_ip",
            [
                ("S1", A, "-", "", ""),
                ("S1", B, "-", "", ""),
                ("S2", A, "", "DISK1", ""),
                ("S2", C, "", "DISK1", ""),
            ],
        ),
        # Bonds: A pays from its own basic account; B from A's; C gives a placeholder account.
        "bid_bonds": _csv(
            "bond_id,section_code,bidder_uscc,pay_method,payer_account,amount,paid_at",
            [
                ("BD1", "S1", A, "transfer", "ACC-A", "10000", "2024-05-29 10:00:00"),
                ("BD2", "S1", B, "transfer", "ACC-A", "10000", "2024-05-29 10:00:00"),
                ("BD3", "S2", C, "transfer", "-", "10000", "2024-05-29 10:00:00"),
            ],
        ),
        "bid_personnel": _csv(
            "section_code,bidder_uscc,role,person_id,person_name",
            [
                ("S1", A, "project_manager", P1, "张一"),
                ("S1", B, "project_manager", P2, "张二"),
                ("S2", C, "project_manager", P3, "张三"),
            ],
        ),
        # P1 insured by A (two months), P2 by A (not by B, who names P2), P3 by C.
        "social_insurance": _csv(
            "person_id,month,employer_uscc",
            [
                (P1, "2024-04", A),
                (P1, "2024-05", A),
                (P2, "2024-05", A),
                (P3, "2024-05", C),
                (P4, "2024-05", C),
            ],
        ),
    }


def build_lake(root: Path) -> tuple[Database, duckdb.DuckDBPyConnection]:
    folder = root / "delivery"
    folder.mkdir(parents=True, exist_ok=True)
    for dataset, text in files().items():
        (folder / f"{dataset}.csv").write_text(text, encoding="utf-8")
    db = Database(Settings(data_dir=root / "var"))
    db.upgrade()
    results = ingest_paths(db, [folder])
    problems = [(r.file_name, r.rejected, r.status) for r in results if r.rejected or r.status != "committed"]
    assert not problems, f"fixture records were rejected: {problems}"
    with db.session() as session:
        batches = service.committed_lake_batches(db_session=session, lake_dir=db.settings.lake_dir)
    return db, connect(get_catalog(), batches)
