"""What the case page needs for the journey from warning to credit: the guide's legal basis, a way from
the warning to its case, and from a concluded case to the credit of the subjects it names."""

from __future__ import annotations

import random
from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tenderwatch.case import flows, verify
from tenderwatch.case.models import Case
from tenderwatch.case.schemas import ConclusionIn
from tenderwatch.common.identifiers import make_uscc
from tenderwatch.db import Database
from tests.case.conftest import answer_all, make_warning, to_verifying, user
from tests.case.test_api import app  # noqa: F401 - the app fixture over the seeded database
from tests.case.test_pages import CSRF, VERSION
from tests.web.conftest import sign_in


def _open(db: Database) -> tuple[int, int]:
    with db.transaction() as session:
        warning = make_warning(session)
        # The warning page shows each model's explanation, which the case fixture leaves out.
        warning.models = [
            m | {"explanation_zh": "机器码一致", "explanation_en": "same machine"} for m in warning.models
        ]
        case = flows.open_case(
            db_session=session, settings=db.settings, warning=warning, today=date(2026, 9, 30)
        )
        return warning.id, case.id


def test_case_page_shows_the_guides_legal_basis(app: FastAPI, seeded: Database) -> None:  # noqa: F811
    _warning_id, case_id = _open(seeded)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = sign_in(client, "regulator").get(f"/cases/{case_id}").text
    assert 'id="guide-C01"' in page and "法律依据" in page and "为何预警" in page
    assert "《中华人民共和国招标投标法实施条例》第四十条第（一）项" in page


def test_a_warning_leads_to_its_case(app: FastAPI, seeded: Database) -> None:  # noqa: F811
    warning_id, case_id = _open(seeded)
    with seeded.transaction() as session:
        lonely = make_warning(session).id  # no case opened for it
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "regulator")
        assert f'href="/warnings/{warning_id}/case"' in client.get(f"/warnings/{warning_id}").text
        hop = client.get(f"/warnings/{warning_id}/case", follow_redirects=False)
        assert hop.status_code == 303 and hop.headers["location"] == f"/cases/{case_id}"
        assert client.get(f"/warnings/{lonely}/case", follow_redirects=False).status_code == 404
    with TestClient(app, raise_server_exceptions=False) as owner:
        sign_in(owner, "model_owner")  # reads warnings, works no cases: no link to follow
        assert "/case" not in owner.get(f"/warnings/{warning_id}").text.split("History")[0]
        assert owner.get(f"/warnings/{warning_id}/case", follow_redirects=False).status_code == 403


def test_a_concluded_case_links_to_the_credit_of_its_subjects(app: FastAPI, seeded: Database) -> None:  # noqa: F811
    company = make_uscc("330106", random.Random(7))
    _warning_id, case_id = _open(seeded)
    to_verifying(seeded, case_id, handler="demo-regulator")
    doc = answer_all(seeded, case_id, handler="demo-regulator")
    with seeded.transaction() as session:
        case = session.get_one(Case, case_id)
        conclusion = ConclusionIn.model_validate(
            {
                "outcome": "confirmed",
                "notes": "查实",
                "decision_no": "西建罚〔2026〕5号",
                "decision_attachment_id": doc,
                "decided_on": "2026-10-20",
                "subjects": [{"subject_id": company}],
            }
        )
        verify.submit(
            db_session=session,
            user=user(session, "demo-regulator"),
            case=case,
            version=case.version,
            conclusion=conclusion,
        )
    with TestClient(app, raise_server_exceptions=False) as client:
        page = sign_in(client, "regulator").get(f"/cases/{case_id}").text
    assert f'href="/credit/subjects/{company}"' in page and "西建罚〔2026〕5号" in page


def test_the_conclusion_form_checks_subjects_and_keeps_the_issuer(app: FastAPI, seeded: Database) -> None:  # noqa: F811
    company = make_uscc("330106", random.Random(8))
    _warning_id, case_id = _open(seeded)
    to_verifying(seeded, case_id, handler="demo-regulator")
    doc = answer_all(seeded, case_id, handler="demo-regulator")
    with TestClient(app, raise_server_exceptions=False) as client:
        page = sign_in(client, "regulator").get(f"/cases/{case_id}").text
        assert 'name="issuer"' in page
        form = {
            "csrf_token": CSRF.search(page).group(1),  # type: ignore[union-attr]
            "version": VERSION.search(page).group(1),  # type: ignore[union-attr]
            "outcome": "confirmed",
            "decision_no": "西建罚〔2026〕6号",
            "decision_attachment_id": str(doc),
            "decided_on": "2026-10-20",
            "issuer": "西湖区住房和城乡建设局",
        }
        # A typo in the USCC is the verifier's to fix now, not the reviewer's failure at approval.
        typo = client.post(f"/cases/{case_id}/conclude", data={**form, "subject_ids": company[:-1] + "X"})
        assert typo.status_code == 400 and "统一社会信用代码无效" in typo.text
        nobody = client.post(f"/cases/{case_id}/conclude", data=form)
        assert nobody.status_code == 400 and "须写明决定书所列主体" in nobody.text
        done = client.post(
            f"/cases/{case_id}/conclude", data={**form, "subject_ids": company}, follow_redirects=False
        )
        assert done.status_code == 303
    with seeded.session() as session:
        conclusion = session.get_one(Case, case_id).conclusion or {}
    assert (
        conclusion["issuer"] == "西湖区住房和城乡建设局"
        and conclusion["subjects"][0]["subject_id"] == company
    )


def test_grade_and_history_read_in_the_page_language(app: FastAPI, seeded: Database) -> None:  # noqa: F811
    _warning_id, case_id = _open(seeded)
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "regulator")
        page = client.get(f"/cases/{case_id}").text
        assert 'id="case-grade">红色<' in page and "<td>分办</td>" in page and "<td>生成</td>" in page
        assert "红色" in client.get("/cases").text
        client.get("/lang/en")
        english = client.get(f"/cases/{case_id}").text
        assert 'id="case-grade">Red<' in english and "<td>Assign</td>" in english
