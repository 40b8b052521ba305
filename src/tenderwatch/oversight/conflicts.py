"""Conflicts of interest: the people who decide a case linked to a company it names in the correlation graph.

A handler, verifier or reviewer whose person node (ID number) reaches a company of the warning within
``max_hops`` relations — shareholder, officer, legal representative, a shared phone, address or account —
must recuse (回避). The finding is recorded on the case as a ``recusal_required`` event; the case flow refuses
the conclusion and the review of that user while the event stands (case/verify.py).

Where the ID numbers come from: ``auth_user`` has no identity column and this work ships without a
migration, so the link user → person lives in ``<data_dir>/oversight/identities.yaml``
(``username: [ID number, …]``), kept by the administrator, readable by the service account only. A later
migration should move it to ``auth_user.id_number``; ``load_identities`` is the one place to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from tenderwatch.case.models import Case
from tenderwatch.config import Settings
from tenderwatch.graph.service import Graph

MAX_HOPS = 2  # person → company directly (1), or through one shared phone/address/account (2)


def identities_path(settings: Settings) -> Path:
    return settings.data_dir / "oversight" / "identities.yaml"


def load_identities(settings: Settings) -> dict[str, list[str]]:
    path = identities_path(settings)
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping of username to ID numbers")
    out: dict[str, list[str]] = {}
    for user, ids in raw.items():
        values = ids if isinstance(ids, list) else [ids]
        out[str(user)] = [str(v).strip().upper() for v in values if str(v).strip()]
    return out


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
