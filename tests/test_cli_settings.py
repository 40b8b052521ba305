"""A bad TENDERWATCH_* setting is reported by name and reason, with exit code 2, never as a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_invalid_setting_is_named_not_a_traceback(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TENDERWATCH_DATA_DIR": str(tmp_path),
        "TENDERWATCH_JOBS_DEADLINE_TICK": "99 x",
        "TENDERWATCH_JOBS_LOCK_LEASE_SECONDS": "5",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tenderwatch.cli", "lake"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert "TENDERWATCH_JOBS_DEADLINE_TICK" in done.stderr and "'99 x'" in done.stderr
    assert "TENDERWATCH_JOBS_LOCK_LEASE_SECONDS" in done.stderr
    assert not (tmp_path / "tenderwatch.db").exists()  # nothing was opened, let alone written
