"""The state machine as data: which action moves a case from which states to which, and who may fire it.

Who is a role plus a relationship to the case:

- ``department``: a grant of the role that covers the case's jurisdiction and industry;
- ``handler``: the user who signed for the case (签收) and verifies it;
- ``not_verifier``: a reviewer who is not the verifier (separation of duties, DOMAIN.md §5.6);
- ``system``: only the platform itself (routing, the deadline tick).
"""

from __future__ import annotations

from dataclasses import dataclass

STATES = (
    "generated",  # 已生成
    "assigned",  # 已分办
    "accepted",  # 已签收
    "verifying",  # 核查中
    "feedback_submitted",  # 已反馈
    "closed",  # 已办结
    "transferred",  # 已移送
    "reopened",  # 已重启
    "merged",  # 已合并
)
STATE_LABELS: dict[str, tuple[str, str]] = {
    "generated": ("已生成", "Generated"),
    "assigned": ("已分办", "Assigned"),
    "accepted": ("已签收", "Accepted"),
    "verifying": ("核查中", "Verifying"),
    "feedback_submitted": ("已反馈待审核", "Feedback submitted"),
    "closed": ("已办结", "Closed"),
    "transferred": ("已移送", "Transferred"),
    "reopened": ("已重启", "Reopened"),
    "merged": ("已合并", "Merged"),
}
FINAL = frozenset({"closed", "transferred", "merged"})
OPEN = frozenset(STATES) - FINAL


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: decided by the flow (approve → closed or transferred) or no move
    who: tuple[tuple[str, str], ...]  # (role, relationship) pairs; any one suffices
    label_zh: str
    label_en: str


def _t(
    action: str,
    sources: set[str] | frozenset[str],
    target: str | None,
    who: list[tuple[str, str]],
    zh: str,
    en: str,
) -> Transition:
    return Transition(action, frozenset(sources), target, tuple(who), zh, en)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("assign", {"generated"}, "assigned", [("system", "system")], "分办", "Assign"),
        _t("accept", {"assigned"}, "accepted", [("regulator", "department")], "签收", "Accept"),
        _t("start", {"accepted", "reopened"}, "verifying", [("regulator", "handler")], "开始核查", "Start"),
        _t("submit", {"verifying"}, "feedback_submitted", [("regulator", "handler")], "提交反馈", "Submit"),
        _t("approve", {"feedback_submitted"}, None, [("reviewer", "not_verifier")], "审核通过", "Approve"),
        _t("return", {"feedback_submitted"}, "verifying", [("reviewer", "not_verifier")], "退回", "Return"),
        _t(
            "reopen",
            {"closed", "transferred"},
            "reopened",
            [("inspector", "department"), ("reviewer", "not_verifier")],
            "重启",
            "Reopen",
        ),
        _t("transfer", OPEN, "transferred", [("inspector", "department")], "移送", "Transfer"),
        _t("merge", OPEN, "merged", [("regulator", "handler"), ("inspector", "department")], "合并", "Merge"),
        _t(
            "comment",
            frozenset(STATES),
            None,
            [("inspector", "department"), ("regulator", "department"), ("reviewer", "department")],
            "批注",
            "Comment",
        ),
    )
}


def allowed_from(state: str) -> list[str]:
    return [t.action for t in TRANSITIONS.values() if state in t.sources]
