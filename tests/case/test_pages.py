"""The case pages: list, the checklist form with the guide text, form posts with CSRF, 409 on a stale page."""

from __future__ import annotations

import re
from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tenderwatch.case import flows
from tenderwatch.db import Database
from tests.case.conftest import make_warning
from tests.case.test_api import app  # noqa: F401 - the app fixture over the seeded database
from tests.web.conftest import sign_in

VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_regulator_works_a_case_through_the_pages(app: FastAPI, seeded: Database) -> None:  # noqa: F811
    with seeded.transaction() as session:
        warning = make_warning(session)
        case_id = flows.open_case(
            db_session=session, settings=seeded.settings, warning=warning, today=date(2026, 9, 30)
        ).id
    with TestClient(app, raise_server_exceptions=False) as client:
        sign_in(client, "regulator")
        listing = client.get("/cases")
        assert (
            listing.status_code == 200
            and f'href="/cases/{case_id}"' in listing.text
            and "已分办" in listing.text
        )
        page = client.get(f"/cases/{case_id}")
        assert page.status_code == 200 and "核查指引" in page.text and "核查事项" in page.text
        version, token = VERSION.search(page.text).group(1), CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        form = {"csrf_token": token, "version": version, "action": "accept"}
        assert client.post(f"/cases/{case_id}/action", data={**form, "csrf_token": "x"}).status_code == 400
        done = client.post(f"/cases/{case_id}/action", data=form, follow_redirects=False)
        assert done.status_code == 303
        assert "已签收" in client.get(f"/cases/{case_id}").text
        stale = client.post(f"/cases/{case_id}/action", data={**form, "action": "start"})
        assert stale.status_code == 409 and "刷新" in stale.text
        page = client.get(f"/cases/{case_id}")
        form["version"] = VERSION.search(page.text).group(1)  # type: ignore[union-attr]
        client.post(f"/cases/{case_id}/action", data={**form, "action": "start"})
        page = client.get(f"/cases/{case_id}")
        assert f'action="/cases/{case_id}/answer"' in page.text and "提交审核" in page.text
        upload = client.post(
            f"/cases/{case_id}/upload", data={"csrf_token": token}, files={"file": ("记录.pdf", b"x")}
        )
        assert upload.status_code == 200 and "记录.pdf" in upload.text  # followed the redirect to the case
