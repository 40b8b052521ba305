"""`tenderwatch jobs list` and `tenderwatch jobs run NAME`, through the real command."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.config import Settings
from tenderwatch.db import Database
from tests.helpers import run_cli
from tests.jobs.conftest import runs


def test_list_shows_every_job_with_its_schedule_and_last_run(data_dir: Path) -> None:
    listed = run_cli(["jobs", "list"], data_dir, {"TENDERWATCH_JOBS_DETECT": "off"})
    assert listed.returncode == 0, listed.stderr
    lines = {line.split("│")[1].strip(): line for line in listed.stdout.splitlines() if line.count("│") > 2}
    assert {"deadline_tick", "notify_retry", "audit_checkpoint", "detect"} <= set(lines)
    assert "every 5m" in lines["notify_retry"] and "off" in lines["detect"]
    assert "Asia/Shanghai" in listed.stdout

    ran = run_cli(["jobs", "run", "deadline_tick"], data_dir)
    assert ran.returncode == 0, ran.stderr
    assert "deadline_tick: 成功 ok" in ran.stdout and "0 overdue" in ran.stdout
    listed = run_cli(["jobs", "list"], data_dir)
    tick = next(line for line in listed.stdout.splitlines() if "deadline_tick" in line)
    assert "成功 ok" in tick and "0 overdue" in tick
    [run] = runs(Database(Settings(data_dir=data_dir)), "deadline_tick")
    assert run.trigger.startswith("cli") and run.status == "ok"


def test_run_reports_a_skip_a_failure_and_an_unknown_job(data_dir: Path) -> None:
    skipped = run_cli(["jobs", "run", "audit_checkpoint"], data_dir)
    assert skipped.returncode == 0 and "skipped" in skipped.stdout and "no signing key" in skipped.stdout
    key = data_dir / "keys" / "audit-signing.pem"
    key.parent.mkdir()
    key.write_text("not a key\n", encoding="utf-8")
    failed = run_cli(["jobs", "run", "audit_checkpoint"], data_dir)
    assert failed.returncode == 1 and "cannot read key file" in failed.stdout
    assert "Traceback" not in failed.stdout + failed.stderr
    assert "jobs.log" in failed.stdout and (data_dir / "logs" / "jobs.log").exists()
    unknown = run_cli(["jobs", "run", "nightly"], data_dir)
    assert unknown.returncode == 2 and "no job 'nightly'" in unknown.stderr
