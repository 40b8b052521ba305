"""Reading cases: permission checks, the visible set of a user, a case's checklist, unread counts."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tenderwatch.auth.models import User
from tenderwatch.case.lifecycle import TRANSITIONS, Transition
from tenderwatch.case.models import Case, ChecklistAnswer, Notification
from tenderwatch.case.routing import covers
from tenderwatch.errors import UserError
from tenderwatch.guides.loader import get_guide
from tenderwatch.guides.schema import Guide, Item
from tenderwatch.warning.models import Warning

WATCHERS = ("inspector", "regulator", "reviewer")
P = ParamSpec("P")
R = TypeVar("R")


class StaleCase(Exception):
    """The case changed since the caller read it (HTTP 409); carries a bilingual message."""

    message_zh = "该预警已被他人更新，请刷新后重试"
    message_en = "This case was changed by someone else; reload it and try again"

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


def guarded(step: Callable[P, R]) -> Callable[P, R]:
    """Turn SQLAlchemy's stale-version error into ``StaleCase`` wherever the flush happens (an autoflush
    before the audit append, or the final flush)."""

    @functools.wraps(step)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return step(*args, **kwargs)
        except StaleDataError as exc:
            raise StaleCase() from exc

    return run


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    model_id: str
    item: Item


def may(user: User | None, case: Case, transition: Transition) -> bool:
    """Whether ``user`` (None = the platform itself) may fire ``transition`` on ``case``."""
    for role, relation in transition.who:
        if relation == "system":
            if user is None:
                return True
            continue
        if user is None or not covers(user, role, case.region_prefix, case.industry):
            continue
        if relation == "department":
            return True
        if relation == "handler" and case.handler == user.username:
            return True
        verifier = (case.conclusion or {}).get("verifier") or case.handler
        if relation == "not_verifier" and verifier != user.username:
            return True
    return False


def allowed_actions(user: User | None, case: Case) -> list[str]:
    return [t.action for t in TRANSITIONS.values() if case.state in t.sources and may(user, case, t)]


def visible(user: User) -> ColumnElement[bool]:
    """The SQL condition: cases in the jurisdiction of one of the user's watcher grants."""
    conditions: list[ColumnElement[bool]] = []
    for grant in user.grants:
        if grant.role not in WATCHERS:
            continue
        cond = Case.region_prefix.startswith(grant.region_prefix, autoescape=True)
        if grant.industries:
            cond = cond & Case.industry.in_(grant.industries)
        conditions.append(cond)
    return or_(*conditions) if conditions else false()


def can_see(user: User, case: Case) -> bool:
    return any(covers(user, role, case.region_prefix, case.industry) for role in WATCHERS)


def list_cases(
    *, db_session: Session, user: User, state: str | None = None, overdue: bool | None = None
) -> list[Case]:
    query = select(Case).where(visible(user))
    if state:
        query = query.where(Case.state == state)
    if overdue is not None:
        query = query.where(Case.overdue == overdue)
    return list(db_session.scalars(query.order_by(Case.due_date, Case.id)))


def get_case(*, db_session: Session, case_id: int, user: User | None = None) -> Case:
    case = db_session.get(Case, case_id)
    if case is None or (user is not None and not can_see(user, case)):
        # Out of jurisdiction looks the same as missing: the id says nothing about other regions.
        raise UserError(f"没有编号为{case_id}的案件", f"No case {case_id}")
    return case


def check_version(case: Case, version: int | None) -> None:
    if version is not None and case.version != version:
        raise StaleCase()


def guides_of(warning: Warning) -> list[tuple[Guide, list[str]]]:
    out: list[tuple[Guide, list[str]]] = []
    for model in warning.models:
        try:
            guide = get_guide(str(model.get("id", "")))
        except KeyError:
            continue  # a model without a guide yet: its warning still has the other models' items
        out.append((guide, [str(r) for r in model.get("rules") or []]))
    return out


def checklist(warning: Warning) -> list[ChecklistEntry]:
    return [
        ChecklistEntry(g.model_id, item) for g, rules in guides_of(warning) for item in g.items_for(rules)
    ]


def answers_of(*, db_session: Session, case_id: int) -> dict[tuple[str, str], ChecklistAnswer]:
    rows = db_session.scalars(select(ChecklistAnswer).where(ChecklistAnswer.case_id == case_id))
    return {(a.model_id, a.item_id): a for a in rows}


def unread_count(*, db_session: Session, user: User) -> int:
    query = select(func.count()).where(Notification.username == user.username, Notification.read_at.is_(None))
    return int(db_session.scalar(query) or 0)
