"""GET /api/v1/sections/{id}/award-clearance: a red warning raised before the award holds the section
until its case is signed for (签收) by the regulator."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from tenderwatch.auth import service as auth_service
from tenderwatch.case.flows import fire
from tenderwatch.case.models import Case
from tenderwatch.config import Settings
from tenderwatch.ingest import service as ingest_service
from tenderwatch.ingest.models import Batch
from tenderwatch.web.app import create_app
from tests.push.conftest import Live, push
from tests.push.helpers import event, lake_rows


def _clearance(live: Live, token: str, section: str) -> Any:
    return live.client.get(
        f"/api/v1/sections/{section}/award-clearance", headers={"Authorization": f"Bearer {token}"}
    )


def _planted_red_section(live: Live) -> str:
    return str(next(s for s in live.truth["schemes"] if s["model"] == "C01")["sections"][0])


def _withdraw_awards(live: Live) -> None:
    """The tiny province's history has every award; without them, no award notice is out yet."""
    with live.db.transaction() as session:
        batch = session.scalars(select(Batch).where(Batch.dataset == "awards")).one()
        ingest_service.rollback(db_session=session, batch_id=batch.id, actor="test")


def _accept(live: Live, warning_id: int) -> None:
    with live.db.transaction() as session:
        case = session.scalars(select(Case).where(Case.warning_id == warning_id)).one()
        regulator = auth_service.create_user(
            db_session=session,
            username="reg-1",
            display_name="regulator",
            password="pw-123456",
            grants=[("regulator", case.region_prefix, [case.industry])],
        )
        fire(db_session=session, user=regulator, case=case, action="accept", version=case.version)


def test_a_red_warning_before_the_award_holds_until_the_regulator_signs_for_it(live: Live) -> None:
    _withdraw_awards(live)
    section = _planted_red_section(live)
    token = live.make_token()
    assert _clearance(live, token, section).json()["clear"] is True

    opened = push(live.client, token, event("o-1", "section_opened", {"section_code": section})).json()
    red = next(w for w in opened["warnings"] if w["grade"] == "red")
    held = _clearance(live, token, section).json()

    assert held["clear"] is False
    (reason,) = [r for r in held["reasons"] if r["warning_id"] == red["id"]]
    assert (reason["code"], reason["case_state"]) == ("warning_not_accepted", "assigned")
    assert "签收" in reason["zh"] and "accepted" in reason["en"]
    assert "evidence" not in held["warnings"][0]  # the platform learns that, not why

    _accept(live, red["id"])
    released = _clearance(live, token, section).json()
    assert not [r for r in released["reasons"] if r["warning_id"] == red["id"]]


def test_a_warning_raised_after_the_award_does_not_hold_it(live: Live) -> None:
    section = _planted_red_section(live)
    token = live.make_token()
    push(live.client, token, event("o-1", "section_opened", {"section_code": section}))

    answer = _clearance(live, token, section).json()

    assert answer["clear"] is True and answer["warnings"]


def test_clearance_is_for_platforms_of_the_section_region(live: Live) -> None:
    section = _planted_red_section(live)
    assert _clearance(live, live.make_token("data_steward"), section).status_code == 403
    assert live.client.get(f"/api/v1/sections/{section}/award-clearance").status_code == 401
    elsewhere = "3301" if not section[1:5].startswith("3301") else "3302"
    assert _clearance(live, live.make_token("platform", elsewhere), section).status_code == 404
    assert _clearance(live, live.make_token(), "NO-SUCH").status_code == 404


def test_an_exempt_procedure_is_never_held(live: Live) -> None:
    _withdraw_awards(live)
    section = _planted_red_section(live)
    (row,) = lake_rows(live.db, f"SELECT procedure FROM sections WHERE section_code = '{section}'")
    settings = Settings(data_dir=live.db.settings.data_dir, award_hold_exempt_procedures=[row["procedure"]])
    token = live.make_token()
    push(live.client, token, event("o-1", "section_opened", {"section_code": section}))

    with TestClient(create_app(settings)) as exempt:
        answer = exempt.get(
            f"/api/v1/sections/{section}/award-clearance", headers={"Authorization": f"Bearer {token}"}
        ).json()

    assert answer["clear"] is True
    assert [r["code"] for r in answer["reasons"]] == ["exempt"]
    assert any(w["grade"] == "red" for w in answer["warnings"])
