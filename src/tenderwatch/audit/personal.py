"""Which shown values are a natural person's data, and recording a view or export outside a request's
session.

Pages that show lake records (warning evidence, collision rows, the correlation graph, rejected rows)
record one ``view_personal`` event when what they show names a person, and nothing when it does not: a
log that records every read of project codes and company names would drown the reads that matter.
The person identifiers themselves go to the event's erasable ``personal`` part, never to ``details``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tenderwatch.audit.service import record
from tenderwatch.catalog.schemas import Dataset
from tenderwatch.common.identifiers import is_valid_id_number
from tenderwatch.db import Database

# Validators whose values identify a person. ``id_or_uscc`` holds an ID number when the subject is a
# person, so a column of it may name people.
PERSONAL_VALIDATORS = frozenset({"id_number", "id_or_uscc", "phone", "email"})
# Person names in the catalogue; the other ``*_name`` fields name companies, projects or sections.
# holder_name and subject_name name a person when the shareholder or credit subject is one.
PERSON_NAME_FIELDS = frozenset(
    {"operator_name", "applicant_name", "person_name", "expert_name", "legal_rep_name", "payer_name"}
    | {"holder_name", "subject_name"}
)
# Graph node types that are a person or lead straight to one (a bank account, a phone, an e-mail).
PERSONAL_NODE_TYPES = frozenset({"person", "phone", "email", "account"})


def personal_fields(dataset: Dataset) -> frozenset[str]:
    """The fields of a dataset that may hold a natural person's data."""
    person_keyed = any(f.key and f.validator == "id_number" for f in dataset.fields)
    return frozenset(
        f.name
        for f in dataset.fields
        if f.validator in PERSONAL_VALIDATORS
        or f.name in PERSON_NAME_FIELDS
        or f.name.endswith("account")
        # A registry of persons (keyed by ID number) calls the person's name just "name".
        or (person_keyed and f.name == "name")
    )


def is_person_id(value: object) -> bool:
    return isinstance(value, str) and is_valid_id_number(value)


def person_ids(values: Iterable[object]) -> list[str]:
    """The ID numbers among ``values``, in order, without repeats."""
    return list(dict.fromkeys(v for v in values if isinstance(v, str) and is_person_id(v)))


def record_apart(
    database: Database,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    details: dict[str, Any] | None = None,
    personal: dict[str, Any] | None = None,
) -> None:
    """Record and commit in a transaction of its own: for handlers that have no database session of their
    own (the graph and collision pages read the lake, not the database)."""
    with database.transaction() as session:
        record(session, actor, action, subject_type, subject_id, details=details, personal=personal)
