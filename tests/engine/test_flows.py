"""``detect`` end to end on the tiny province: runs and hits stored, warnings raised once, monitor mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tenderwatch.config import Settings
from tenderwatch.db import Database
from tenderwatch.engine.flows import detect
from tenderwatch.engine.models import Hit, ModelRun
from tenderwatch.errors import UserError
from tenderwatch.warning.models import Warning
from tests.detection.conftest import Province, build_province


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Province:
    return build_province(tmp_path_factory.mktemp("engine-flows"))


def _count(db: Database, table: type) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_detect_raises_each_warning_once_and_keeps_every_run(province: Province) -> None:
    db = province.db
    first = detect(db, ["C01"])
    hits = first.models[0].hits
    assert hits > 0 and first.warnings["raised"] == hits
    second = detect(db, ["C01"])
    assert second.warnings == {"raised": 0, "updated": 0, "unchanged": hits}
    assert _count(db, Warning) == hits
    assert _count(db, ModelRun) == 2 and _count(db, Hit) == 2 * hits
    with db.session() as session:
        versions = set(session.scalars(select(Hit.model_version)))
        assert versions == {1}
        # Lineage: every evidence record names the import batch its value came from.
        warning = session.scalars(select(Warning)).first()
        assert warning is not None
        batches = {e["batch"] for e in warning.evidence}
        assert batches and "" not in batches and all(b.isdigit() for b in batches)


def test_monitor_mode_keeps_hits_but_raises_no_warning(province: Province, tmp_path: Path) -> None:
    settings_file = tmp_path / "models.yaml"
    settings_file.write_text("C01:\n  mode: monitor\n", encoding="utf-8")
    # The province's own database and lake, read with a settings file that puts C01 in monitor mode.
    db = Database(Settings(data_dir=province.settings.data_dir, model_settings_file=settings_file))
    before = _count(db, Warning)
    summary = detect(db, ["C01"])
    assert summary.models[0].mode == "monitor" and summary.models[0].hits > 0
    assert summary.warnings == {"raised": 0, "updated": 0, "unchanged": 0}
    assert _count(db, Warning) == before


def test_unknown_model_engine_or_region_is_a_clear_error(province: Province) -> None:
    with pytest.raises(UserError):
        detect(province.db, ["C99"])
    with pytest.raises(UserError):
        detect(province.db, ["C01"], engine="oracle")
    with pytest.raises(UserError):
        detect(province.db, ["C01"], region="33'; --")
