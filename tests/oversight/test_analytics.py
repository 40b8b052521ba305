"""Selective-enforcement analytics over cases closed through the real flows, and the pure fence rules."""

from __future__ import annotations

from datetime import date

from tenderwatch.db import Database
from tenderwatch.oversight import analytics, service
from tenderwatch.oversight.analytics import ClosedCase
from tests.case.conftest import user
from tests.oversight.conftest import BAD, BAD_COUNTY, FAVOURED, build_selective


def flagged(rows: list[analytics.GroupRate]) -> set[tuple[str, ...]]:
    return {g.key for g in rows if g.flagged}


def test_the_handler_who_clears_everything_is_flagged_on_every_analytic(seeded: Database) -> None:
    ids = build_selective(seeded)
    with seeded.session() as session:
        report = service.report(db_session=session, user=user(session, "insp"))
    assert report.cases == 25
    assert flagged(report.handlers) == {(BAD,)}
    bad = next(g for g in report.handlers if g.key == (BAD,))
    assert bad.rate == 1.0 and bad.case_ids == ids[BAD] and bad.fence is not None and bad.fence < 1.0
    peer = next(g for g in report.handlers if g.key == ("h_gongshu",))
    assert peer.rate == 0.2 and peer.case_ids == ids["h_gongshu"][:1]
    assert flagged(report.pairs) == {(BAD, FAVOURED)}
    assert flagged(report.regions) == {(BAD_COUNTY,)}
    assert flagged(report.deadline_edge) == {(BAD,)}
    assert all(g.hits == 0 for g in report.deadline_edge if g.key != (BAD,))


def test_an_inspector_sees_only_the_cases_of_his_jurisdiction(seeded: Database) -> None:
    build_selective(seeded)
    with seeded.session() as session:
        xihu = service.report(db_session=session, user=user(session, "insp_xihu"))
        ningbo = service.report(db_session=session, user=user(session, "insp_ningbo"))
        regulator = service.report(db_session=session, user=user(session, "reg"))
    assert xihu.cases == 5 and {g.key for g in xihu.handlers} == {(BAD,)}
    assert not flagged(xihu.handlers)  # no peers in his jurisdiction: listed, never flagged
    assert ningbo.cases == 0 and regulator.cases == 0  # the regulator's grant is not an oversight grant


def _case(n: int, handler: str, outcome: str, region: str = "330102") -> ClosedCase:
    day = date(2026, 11, 2)
    return ClosedCase(n, handler, outcome, ("C",), region, day, day)


def test_too_few_cases_or_peers_are_never_flagged() -> None:
    cases = [_case(i, f"h{i % 3}", "unverifiable") for i in range(15)]
    cases += [_case(100 + i, "lone", "unfounded") for i in range(4)]  # below the minimum of 5
    rows = analytics.by_handler(cases)
    assert not flagged(rows)
    lone = next(g for g in rows if g.key == ("lone",))
    assert lone.rate == 1.0 and lone.fence is not None  # compared, but not judged on 4 cases
    assert all(g.fence is None for g in analytics.by_handler(cases[:10]))  # 3 handlers: 2 peers each


def test_regions_are_compared_with_sibling_counties_only() -> None:
    cases = [
        _case(i, "h", "unverifiable", county) for i, county in enumerate(["330102", "330105", "330108"] * 5)
    ]
    cases += [_case(50 + i, "h", "unfounded", "330206") for i in range(5)]  # a Ningbo county
    rows = analytics.by_region(cases)
    assert not flagged(rows)
    ningbo = next(g for g in rows if g.key == ("330206",))
    assert ningbo.fence is None  # no sibling county in Ningbo: nothing to compare with


def test_deadline_edge_is_the_last_working_day_not_after() -> None:
    due = date(2026, 10, 9)  # Friday after National Day week
    edge = ClosedCase(1, "h", "unfounded", (), "330106", due, date(2026, 10, 9))
    day_before = ClosedCase(2, "h", "unfounded", (), "330106", due, date(2026, 10, 8))
    two_before = ClosedCase(5, "h", "unfounded", (), "330106", due, date(2026, 10, 7))
    sunday = ClosedCase(6, "h", "unfounded", (), "330106", date(2026, 10, 12), date(2026, 10, 11))
    late = ClosedCase(3, "h", "unfounded", (), "330106", due, date(2026, 10, 12))
    early = ClosedCase(4, "h", "unfounded", (), "330106", due, date(2026, 9, 29))
    assert analytics.at_deadline_edge(edge) and analytics.at_deadline_edge(day_before)
    assert not analytics.at_deadline_edge(two_before) and analytics.at_deadline_edge(two_before, edge_days=2)
    assert analytics.at_deadline_edge(sunday)  # the day off before a Monday deadline
    assert not analytics.at_deadline_edge(late) and not analytics.at_deadline_edge(early)
