"""Complaint fixtures: the case fixtures (seeded departments and users) and a helper that files one."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tenderwatch.complaint import flows
from tenderwatch.complaint.files import Upload
from tenderwatch.complaint.schemas import ComplaintIn
from tenderwatch.db import Database
from tests.case.conftest import ASSIGNED_ON, _cheap_password_hashing, seeded

__all__ = ["_cheap_password_hashing", "seeded"]

PDF = b"%PDF-1.4 evidence of a tailored qualification clause"
PNG = b"\x89PNG\r\n\x1a\n screenshot"


def complaint_in(**overrides: object) -> ComplaintIn:
    values: dict[str, object] = {
        "kind": "complaint",
        "section_code": "S-2026-001",
        "region_code": "330106",
        "industry": "building",
        "subject": "资格条件量身定做",
        "description": "招标文件要求的业绩只有一家公司满足。",
        "name": "张三",
        "phone": "13800000000",
        "id_number": "11010519491231002X",
        "consent": True,
    }
    values.update(overrides)
    return ComplaintIn.model_validate(values)


Filer = Callable[..., flows.FiledComplaint]


@pytest.fixture
def file_one(seeded: Database) -> Filer:
    def make(
        address: str = "198.51.100.7", uploads: list[Upload] | None = None, **overrides: object
    ) -> flows.FiledComplaint:
        with seeded.transaction() as session:
            filed = flows.file(
                db_session=session,
                settings=seeded.settings,
                data=complaint_in(**overrides),
                uploads=uploads or [],
                address=address,
                today=ASSIGNED_ON,
            )
            session.expunge_all()
            return filed

    return make
