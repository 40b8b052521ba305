"""Page fixes found by the browser journey (tests/web/test_browser_brokers.py): a refused manual entry
keeps what was typed, and a C18 reason is shown in the page's language only."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tenderwatch.broker.models import BrokerEntry
from tenderwatch.db import Database
from tests.web.conftest import csrf_of, sign_in


def test_a_refused_manual_entry_shows_the_form_again_as_typed(client: TestClient) -> None:
    sign_in(client, "regulator")
    typed = {
        "display_name": "赵建国",
        "id_number": "330106198503171213",  # the check digit is wrong
        "phone": "139-0571-2468",
        "account": "6222 0000 1111 2222",
        "reason": "群众举报：代多家公司办理投标",
    }
    page = client.post("/brokers", data={**typed, "csrf_token": csrf_of(client, "/brokers")})
    assert page.status_code == 400
    assert 'id="add-error"' in page.text and "身份证号无效" in page.text
    for value in typed.values():
        assert f'value="{value}"' in page.text
    assert client.get("/api/v1/brokers").json()["total"] == 0  # nothing was stored


def test_a_c18_reason_is_shown_in_the_page_language(db: Database, client: TestClient) -> None:
    with db.transaction() as session:
        entry = BrokerEntry(
            display_name="王泽泽",
            source="c18",
            source_key="C18|330112198206143765",
            reason="C18：为3家企业办理投标 | C18: handles bids for 3 firms",
        )
        session.add(entry)
        session.flush()
        entry_id = entry.id
    sign_in(client, "inspector")
    reason = re.compile(r'id="broker-reason">([^<]*)<')
    zh = reason.search(client.get(f"/brokers/{entry_id}").text)
    assert zh and zh.group(1) == "C18：为3家企业办理投标"
    client.get("/lang/en")
    en = reason.search(client.get(f"/brokers/{entry_id}").text)
    assert en and en.group(1) == "C18: handles bids for 3 firms"
