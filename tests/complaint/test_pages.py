"""Page fixes found by the browser journey (tests/web/test_browser_complaints.py): the form preselects no
county or industry, a re-shown form keeps the consent tick and asks for the attachments again, the staff list names the state in words, a second
answer is refused as final, and the handler's merge action has its target field."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.complaint.conftest import PDF
from tests.complaint.test_web import FORM, _file_by_page, _staff, app, public  # noqa: F401
from tests.web.conftest import csrf_of


def test_the_form_makes_the_visitor_choose_county_and_industry(public: TestClient) -> None:  # noqa: F811
    page = public.get("/complaints/new").text
    for name in ("region_code", "industry"):
        select = page[page.index(f'<select name="{name}"') :]
        first = re.search(r"<option[^>]*>", select)
        assert (
            first
            and first.group(0) == '<option value="">'
            and "selected" not in select[: select.index("</select>")]
        )


def test_a_refused_form_keeps_what_was_typed_and_asks_for_the_files_again(public: TestClient) -> None:  # noqa: F811
    token = csrf_of(public, "/complaints/new")
    unsigned = {**FORM, "name": "", "csrf_token": token}
    page = public.post("/complaints/new", data=unsigned, files=[("files", ("a.pdf", PDF, "application/pdf"))])
    assert page.status_code == 400
    assert "请填写姓名和联系电话" in page.text
    assert f'value="{FORM["subject"]}"' in page.text and FORM["description"] in page.text
    assert re.search(r'name="consent" required\s+checked', page.text)
    assert 'id="files-again"' in page.text and "重新选择" in page.text


def test_staff_list_names_the_state(app: FastAPI, public: TestClient) -> None:  # noqa: F811
    _file_by_page(public)
    reg, _ = _staff(app, "regulator")
    rows = reg.get("/complaints").text
    assert "已分办" in rows and ">assigned<" not in rows
    reg.close()


def test_merge_has_its_target_and_answer_is_final(app: FastAPI, public: TestClient) -> None:  # noqa: F811
    _, case_id = _file_by_page(public)
    reg, headers = _staff(app, "regulator")
    cid = int(reg.get("/api/v1/complaints").json()[0]["id"])
    for action in ("accept", "start"):
        version = reg.get(f"/api/v1/cases/{case_id}").json()["version"]
        moved = reg.post(
            f"/api/v1/cases/{case_id}/transitions",
            json={"version": version, "action": action},
            headers=headers,
        )
        assert moved.status_code == 200, moved.text
    page = reg.get(f"/complaints/{cid}").text
    assert '<option value="merge">' in page and 'name="into_case_id"' in page
    token = csrf_of(reg, f"/complaints/{cid}")
    first = reg.post(f"/complaints/{cid}/answer", data={"text": "投诉成立。", "csrf_token": token})
    assert first.status_code == 200 and 'id="answer"' in first.text
    again = reg.post(f"/complaints/{cid}/answer", data={"text": "改为不成立。", "csrf_token": token})
    assert again.status_code == 400 and "答复一经作出不得修改" in again.text
    assert "改为不成立" not in reg.get(f"/complaints/{cid}").text
    reg.close()
