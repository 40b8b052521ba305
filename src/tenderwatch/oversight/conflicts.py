"""Conflicts of interest: the people who decide a case linked to a company it names in the correlation graph.

A handler, verifier or reviewer whose person node (ID number) reaches a company of the warning within
``max_hops`` relations — shareholder, officer, legal representative, a shared phone, address or account —
must recuse (回避). The finding is recorded on the case as a ``recusal_required`` event; the case flow refuses
the conclusion and the review of that user while the event stands (case/verify.py).

Where the ID numbers come from: ``auth_identity`` (migration 0010), kept by the administrator with
``tenderwatch users identity add`` and audited; ``load_identities`` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tenderwatch.auth import admin
from tenderwatch.case.models import Case
from tenderwatch.graph.service import Graph

MAX_HOPS = 2  # person → company directly (1), or through one shared phone/address/account (2)


def load_identities(db_session: Session) -> dict[str, list[str]]:
    """username → the ID numbers recorded for that account."""
    return admin.identities(db_session=db_session)


@dataclass(frozen=True, slots=True)
class Conflict:
    case_id: int
    username: str
    role: str  # handler | verifier | reviewer
    company: str  # USCC
    path: tuple[str, ...]  # node ids from the person to the company
    relations: tuple[str, ...]


def deciders(case: Case) -> list[tuple[str, str]]:
    """(username, role) of everyone who decides the case so far."""
    conclusion = case.conclusion or {}
    found: list[tuple[str, str]] = []
    for name, role in (
        (case.handler, "handler"),
        (conclusion.get("verifier"), "verifier"),
        (conclusion.get("reviewer"), "reviewer"),
    ):
        if name and all(name != n for n, _ in found):
            found.append((str(name), role))
    return found


def find_conflicts(
    graph: Graph,
    case: Case,
    companies: list[str],
    identities: dict[str, list[str]],
    max_hops: int = MAX_HOPS,
) -> list[Conflict]:
    out: list[Conflict] = []
    for username, role in deciders(case):
        for person in identities.get(username, []):
            for company in sorted(set(companies)):
                path = graph.shortest_path(f"person:{person}", f"company:{company}", max_length=max_hops)
                if path is None:
                    continue
                relations = tuple(e.relation for e in path.edges)
                out.append(Conflict(case.id, username, role, company, tuple(path.nodes), relations))
    return out
