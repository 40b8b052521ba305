"""Filing: attachments stored by hash, routing and deadlines as a warning's, receipt codes, rate limit."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from tenderwatch.case import calendar
from tenderwatch.case import flows as case_flows
from tenderwatch.case.models import Case, Notification
from tenderwatch.complaint import receipt, service
from tenderwatch.complaint.files import Upload
from tenderwatch.complaint.flows import RateLimited
from tenderwatch.complaint.models import ComplainantIdentity, Complaint, ComplaintAttachment
from tenderwatch.db import Database
from tenderwatch.errors import UserError
from tests.case.conftest import ASSIGNED_ON, make_warning
from tests.complaint.conftest import PDF, PNG, Filer


def test_filing_stores_attachments_by_hash_and_routes_like_a_warning(
    seeded: Database, file_one: Filer
) -> None:
    filed = file_one(
        uploads=[Upload("../../etc/证据.pdf", "application/pdf", PDF), Upload("a.png", "image/png", PNG)]
    )
    with seeded.session() as session:
        case = session.get_one(Case, filed.case.id)
        assert case.complaint_id == filed.complaint.id and case.warning_id is None
        assert case.department_code == "330106-building" and case.state == "assigned"
        # 30 working days on the holiday calendar: filed the day before National Day.
        due, _ = calendar.add_working_days(ASSIGNED_ON, 30)
        assert case.due_date == due and (due - ASSIGNED_ON).days > 40
        assert case.accept_due == calendar.add_working_days(ASSIGNED_ON, 3)[0]
        notes = session.scalars(select(Notification).where(Notification.case_id == case.id)).all()
        assert any(n.department_code == "330106-building" for n in notes)
        assert any(n.username == "reg" for n in notes)
        rows = session.scalars(select(ComplaintAttachment).order_by(ComplaintAttachment.id)).all()
    assert [r.filename for r in rows] == ["证据.pdf", "a.png"]
    assert rows[0].sha256 == hashlib.sha256(PDF).hexdigest()
    stored = seeded.settings.data_dir / "complaint-files" / rows[0].sha256
    assert stored.read_bytes() == PDF


def test_attachment_type_is_checked_against_the_bytes(file_one: Filer) -> None:
    with pytest.raises(UserError):
        file_one(uploads=[Upload("x.pdf", "application/pdf", b"MZ\x90\x00 not a pdf")])
    with pytest.raises(UserError):
        file_one(uploads=[Upload("x.exe", "application/octet-stream", b"MZ")])


def test_receipt_code_finds_the_complaint_and_every_wrong_code_looks_the_same(
    seeded: Database, file_one: Filer
) -> None:
    filed = file_one()
    code = filed.receipt_code
    assert receipt.is_well_formed(code) and len(code) == 12
    key = seeded.settings.secret_key
    with seeded.session() as session:
        row = session.get_one(Complaint, filed.complaint.id)
        assert row.receipt_hash != code and code not in row.receipt_hash
        found = service.by_receipt(db_session=session, secret_key=key, code=receipt.display(code).lower())
        assert found.id == filed.complaint.id
        typo = code[:3] + ("0" if code[3] != "0" else "1") + code[4:]  # one character off: check fails
        other = receipt.new_code()  # well formed, but no such complaint
        messages = set()
        for wrong in (typo, other, "", "not-a-code", code[:-1]):
            with pytest.raises(service.NotFound) as caught:
                service.by_receipt(db_session=session, secret_key=key, code=wrong)
            messages.add(str(caught.value))
        assert len(messages) == 1


def test_named_complaint_and_anonymous_report(seeded: Database, file_one: Filer) -> None:
    with pytest.raises(UserError):
        file_one(anonymous=True, name=None, phone=None)  # a 投诉 must be named
    with pytest.raises(UserError):
        file_one(name=None)
    with pytest.raises(UserError):
        file_one(id_number="110105194912310021")  # wrong check digit
    with pytest.raises(UserError):
        file_one(consent=False)
    report = file_one(kind="report", anonymous=True, name=None, phone=None, id_number=None)
    with seeded.session() as session:
        assert session.get(ComplainantIdentity, report.complaint.id) is None


def test_filing_is_rate_limited_per_address(seeded: Database, file_one: Filer) -> None:
    limit = seeded.settings.complaint_rate_limit
    for _ in range(limit):
        file_one(address="203.0.113.9")
    with pytest.raises(RateLimited):
        file_one(address="203.0.113.9")
    file_one(address="203.0.113.10")  # another address is not affected


def test_warnings_still_open_cases_next_to_complaint_cases(seeded: Database, file_one: Filer) -> None:
    file_one()
    with seeded.transaction() as session:
        warning = make_warning(session)
        opened = case_flows.open_all(db_session=session, settings=seeded.settings, today=ASSIGNED_ON)
        assert len(opened) == 1
        assert session.get_one(Case, opened[0]).warning_id == warning.id
