"""Small builders shared by tests: valid identifiers and minimal valid files for the core datasets."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

from tenderwatch.common.identifiers import make_id_number, make_uscc

RNG = random.Random(20261128)
USCC = [make_uscc("330106", RNG) for _ in range(6)]
IDS = [make_id_number("330106", date(1980, 1, 1 + i), RNG) for i in range(6)]

PROJECTS = (
    "tender_project_code,name,industry,region_code,tenderer_uscc,registered_at\n"
    f"P1,西湖区学校改造工程,building,330106,{USCC[0]},2024-01-01\n"
)
SECTIONS = (
    "section_code,tender_project_code,name,industry,region_code,procedure,evaluation_method,control_price,"
    "announce_time,bid_deadline\n"
    "S1,P1,一标段,building,330106,open,comprehensive,1000000,2024-01-02 09:00:00,2024-01-25 09:30:00\n"
    "S2,P1,二标段,building,330106,open,lowest_price,2000000,2024-01-02 09:00:00,2024-01-25 09:30:00\n"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def run_cli(
    args: list[str], data_dir: Path, extra_env: dict[str, str] | None = None, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    # A wide terminal, so rich tables do not wrap the messages the tests look for.
    env = {**os.environ, "TENDERWATCH_DATA_DIR": str(data_dir), "COLUMNS": "300"}
    env.pop("TENDERWATCH_DATABASE_URL", None)
    if database_url:
        env["TENDERWATCH_DATABASE_URL"] = database_url
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "tenderwatch.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
