"""Every sign-in attempt lands in the audit log; what the person typed stays out of it."""

from __future__ import annotations

from sqlalchemy import select

from tenderwatch.audit.models import AuditEvent
from tenderwatch.audit.service import personal_payload
from tenderwatch.audit.verify import verify_database
from tenderwatch.auth import flows
from tenderwatch.db import Database
from tests.audit.conftest import make_inspector


def test_successful_and_failed_sign_ins_are_recorded(db: Database) -> None:
    make_inspector(db)
    with db.session() as session:
        assert flows.sign_in(db_session=session, username="insp", password="wrong", client="10.0.0.7") is None
        user = flows.sign_in(db_session=session, username="insp", password="pw-123456", client="10.0.0.7")
        assert user is not None
    with db.session() as session:
        failed, ok = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert (failed.action, failed.actor, failed.details) == ("login_failed", "anonymous", {})
        assert (ok.action, ok.actor, ok.subject_id) == ("login", "insp", str(user.id))
        assert "10.0.0.7" not in repr((failed.details, ok.details))
        assert failed.personal_hash is not None
        assert personal_payload(session, failed.personal_hash) == {"username": "insp", "client": "10.0.0.7"}
        assert verify_database(session).ok
