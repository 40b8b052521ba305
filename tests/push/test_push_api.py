"""POST /api/v1/events through the real app: validation like file import, quarantine, idempotency, the
real-time path, and who may call it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from tenderwatch.ingest.flows import ingest_file
from tenderwatch.ingest.models import Batch, Reject
from tenderwatch.push.models import PushEvent
from tests.push.conftest import Live, push
from tests.push.helpers import a_bid, event


def test_the_same_bad_value_gives_the_same_reason_as_file_import(live: Live, tmp_path: Path) -> None:
    bid = a_bid(live.db) | {"bid_price": "一百万", "operator_id": "330106199001011234"}
    csv = tmp_path / "bids.csv"
    csv.write_text(",".join(bid) + "\n" + ",".join(str(v) for v in bid.values()) + "\n", encoding="utf-8")
    imported = ingest_file(live.db, csv)
    with live.db.session() as session:
        (reject,) = session.scalars(select(Reject).where(Reject.batch_id == imported.batch_id))
        by_file = [(e["field"], e["code"], e["message_zh"], e["message_en"]) for e in reject.errors]

    answer = push(live.client, live.make_token(), event("b-1", "bid_submitted", bid)).json()

    (result,) = answer["results"]
    assert result["status"] == "rejected"
    assert [(p["field"], p["code"], p["zh"], p["en"]) for p in result["problems"]] == by_file
    assert {p["code"] for p in result["problems"]} == {"not_decimal", "bad_id_number"}


def test_a_partial_batch_counts_every_event_and_quarantines_the_rejects(live: Live) -> None:
    bid = a_bid(live.db)
    good = event("b-1", "bid_submitted", bid | {"bid_price": "1000.00"})
    bad = event("b-2", "bid_submitted", bid | {"bidder_uscc": "91330000XXXXXXXXXX"})
    unknown = event("o-1", "section_opened", {"section_code": "NO-SUCH-SECTION"})

    answer = push(live.client, live.make_token(), good, bad, unknown).json()

    assert (answer["received"], answer["accepted"], answer["rejected"]) == (3, 1, 2)
    assert [r["status"] for r in answer["results"]] == ["accepted", "rejected", "rejected"]
    assert answer["results"][1]["problems"][0]["field"] == "bidder_uscc"
    assert answer["results"][2]["problems"][0]["code"] == "unknown_section"
    with live.db.session() as session:
        (batch,) = session.scalars(select(Batch).where(Batch.source == "push", Batch.dataset == "bids"))
        assert (batch.received, batch.accepted, batch.rejected) == (2, 1, 1)
        (reject,) = session.scalars(select(Reject).where(Reject.batch_id == batch.id))
        assert (reject.field, reject.code) == ("bidder_uscc", "bad_uscc")
        stored = {e.event_id: e for e in session.scalars(select(PushEvent))}
        assert stored["b-1"].status == "accepted" and stored["b-1"].batch_ids == [batch.id]
        assert stored["o-1"].status == "rejected" and stored["o-1"].body is not None
        assert stored["o-1"].errors[0]["code"] == "unknown_section"


def test_a_nested_record_rejected_rejects_its_event_and_quarantines_the_rest(live: Live) -> None:
    bid = a_bid(live.db) | {"bid_fingerprints": {"mac": "not-a-mac"}}

    answer = push(live.client, live.make_token(), event("b-1", "bid_submitted", bid)).json()

    assert answer["rejected"] == 1
    assert answer["results"][0]["problems"][0]["dataset"] == "bid_fingerprints"
    with live.db.session() as session:
        codes = {
            (b.dataset, r.code)
            for b, r in session.execute(select(Batch, Reject).join(Reject, Reject.batch_id == Batch.id))
        }
    assert codes == {("bid_fingerprints", "bad_mac"), ("bids", "event_rejected")}


def test_a_repeat_answers_the_original_outcome_and_a_changed_body_is_refused(live: Live) -> None:
    token = live.make_token()
    bid = a_bid(live.db)
    first = push(live.client, token, event("b-1", "bid_submitted", bid)).json()
    assert first["accepted"] == 1

    again = push(live.client, token, event("b-1", "bid_submitted", bid)).json()
    changed = push(live.client, token, event("b-1", "bid_submitted", bid | {"bid_price": "1.00"})).json()

    assert again["results"][0] | {"problems": []} == {
        "event_id": "b-1",
        "status": "duplicate",
        "outcome": "accepted",
        "problems": [],
    }
    assert (again["received"], again["accepted"], again["duplicates"]) == (1, 1, 1)
    assert changed["results"][0]["status"] == "rejected"
    assert changed["results"][0]["problems"][0]["code"] == "event_id_conflict"
    with live.db.session() as session:
        assert len(list(session.scalars(select(Batch).where(Batch.source == "push")))) == 1
    # Event ids are the caller's own: another platform may use the same id.
    other = push(live.client, live.make_token(), event("b-1", "bid_submitted", bid)).json()
    assert other["results"][0]["status"] == "accepted"


def test_a_malformed_event_is_rejected_alone(live: Live) -> None:
    bid = a_bid(live.db)
    answer = push(
        live.client, live.make_token(), {"event_id": "x", "type": "lunch"}, event("b-1", "bid_submitted", bid)
    ).json()
    assert [r["status"] for r in answer["results"]] == ["rejected", "accepted"]
    assert answer["results"][0]["problems"][0]["code"] == "bad_envelope"


def test_opening_a_section_raises_its_planted_warning_before_the_answer(live: Live) -> None:
    scheme = next(s for s in live.truth["schemes"] if s["model"] == "C01")
    section = scheme["sections"][0]

    answer = push(
        live.client, live.make_token(), event("o-1", "section_opened", {"section_code": section})
    ).json()

    assert answer["accepted"] == 1 and answer["opened_sections"] == [section]
    raised = [w for w in answer["warnings"] if "C01" in w["models"]]
    assert raised and all(w["section_code"] == section for w in raised)
    assert all(w["case_id"] is not None for w in raised)  # routed to the department at once


def test_the_push_needs_a_platform_or_data_steward_token(live: Live) -> None:
    one = event("b-1", "bid_submitted", a_bid(live.db))
    assert push(live.client, None, one).status_code == 401
    assert push(live.client, "tw_000000000000_nope", one).json()["error"]["code"] == "token_invalid"
    assert push(live.client, live.make_token("regulator"), one).status_code == 403
    assert push(live.client, live.make_token("data_steward"), one).status_code == 200


def test_the_openapi_document_shows_what_an_event_looks_like(live: Live) -> None:
    spec = live.client.get("/api/openapi.json").json()
    items = spec["components"]["schemas"]["PushRequest"]["properties"]["events"]["items"]
    assert set(items["required"]) == {"event_id", "type", "occurred_at", "payload"}
    assert (
        "section_opened" in items["properties"]["type"]["enum"]
        and len(items["properties"]["type"]["enum"]) == 10
    )
