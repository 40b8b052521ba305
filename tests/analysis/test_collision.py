"""Collision comparison on the hand-made lake: counts checked against a hand count, rows, filters,
and choices the catalogue refuses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tenderwatch.catalog import get_catalog
from tenderwatch.collision import service
from tenderwatch.collision.presets import PRESETS, get_preset
from tenderwatch.collision.service import CollisionIn, Counts, FilterIn, SideIn
from tenderwatch.errors import UserError
from tests.analysis.lake import P1, P2, A, B, build_lake


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    db, connection = build_lake(Path(tmp_path_factory.mktemp("collision")))
    yield connection
    connection.close()
    db.dispose()


def _preset(preset_id: str, **right_filters: str) -> CollisionIn:
    p = get_preset(preset_id)
    assert p is not None
    filters = [FilterIn(field=k, op="eq", value=v) for k, v in right_filters.items()]
    return CollisionIn(
        left=SideIn(dataset=p.left, fields=list(p.left_fields)),
        right=SideIn(dataset=p.right, fields=list(p.right_fields), filters=filters),
    )


def _counts(con: duckdb.DuckDBPyConnection, request: CollisionIn) -> Counts:
    return service.run_counts(con, service.validate(request, get_catalog()))


def test_bond_from_own_basic_account(con: duckdb.DuckDBPyConnection) -> None:
    # Bonds: (ACC-A, A), (ACC-A, B), (null, C). Accounts: (ACC-A, A), (null, B), (null, C).
    counts = _counts(con, _preset("bond_basic_account"))
    assert counts == Counts(
        left_records=3,
        right_records=3,
        left_null_keys=1,
        right_null_keys=2,
        matched_values=1,
        left_only_values=1,
        right_only_values=0,
        left_matched_records=1,
        right_matched_records=1,
        left_only_records=1,
        right_only_records=0,
    )
    collision = service.validate(_preset("bond_basic_account"), get_catalog())
    service.run_counts(con, collision)
    left = service.run_rows(con, collision, "left", 10, 0)
    assert [(r[left.columns.index("bond_id")], r[left.columns.index("bidder_uscc")]) for r in left.rows] == [
        ("BD2", B)
    ]


def test_placeholder_accounts_never_match(con: duckdb.DuckDBPyConnection) -> None:
    counts = _counts(con, _preset("bond_any_basic_account"))
    # ACC-A twice on the left, once on the right; "-" (bond) and "0"/blank (accounts) are null.
    assert (counts.matched_values, counts.left_matched_records, counts.right_matched_records) == (1, 2, 1)
    assert (counts.left_only_records, counts.right_only_records) == (0, 0)
    assert (counts.left_null_keys, counts.right_null_keys) == (1, 2)


def test_personnel_social_insurance_composite_key(con: duckdb.DuckDBPyConnection) -> None:
    # Named: (P1, A) (P2, B) (P3, C). Insured: (P1, A)×2 (P2, A) (P3, C) (P4, C).
    counts = _counts(con, _preset("personnel_social_insurance"))
    assert (counts.matched_values, counts.left_only_values, counts.right_only_values) == (2, 1, 2)
    assert (counts.left_matched_records, counts.right_matched_records) == (2, 3)
    assert (counts.left_only_records, counts.right_only_records) == (1, 2)
    collision = service.validate(_preset("personnel_social_insurance"), get_catalog())
    service.run_counts(con, collision)
    match = service.run_rows(con, collision, "match", 10, 0)
    by_person = {r[match.columns.index("person_id")]: r[match.columns.index("_matches")] for r in match.rows}
    assert by_person[P1] == 2
    left = service.run_rows(con, collision, "left", 10, 0)
    assert [
        (r[left.columns.index("person_id")], r[left.columns.index("bidder_uscc")]) for r in left.rows
    ] == [(P2, B)]
    assert len(service.run_rows(con, collision, "right", 1, 1).rows) == 1  # paged: the second of two


def test_filters_narrow_one_side(con: duckdb.DuckDBPyConnection) -> None:
    counts = _counts(con, _preset("personnel_social_insurance", month="2024-04"))
    assert (counts.right_records, counts.matched_values, counts.left_only_values) == (1, 1, 2)
    prefix = CollisionIn(
        left=SideIn(
            dataset="bids",
            fields=["bidder_uscc"],
            filters=[FilterIn(field="section_code", op="eq", value="S2")],
        ),
        right=SideIn(
            dataset="companies", fields=["uscc"], filters=[FilterIn(field="uscc", op="prefix", value=A[:12])]
        ),
    )
    counts = _counts(con, prefix)
    assert counts.left_records == 2 and counts.right_records == 1 and counts.matched_values == 1


@pytest.mark.parametrize(
    ("left", "right", "fragment"),
    [
        (
            SideIn(dataset="bids; DROP TABLE bids", fields=["bidder_uscc"]),
            SideIn(dataset="companies", fields=["uscc"]),
            "not in the catalogue",
        ),
        (
            SideIn(dataset="bids", fields=['bidder_uscc" OR 1=1 --']),
            SideIn(dataset="companies", fields=["uscc"]),
            "has no field",
        ),
        (
            SideIn(dataset="bids", fields=["bid_price"]),
            SideIn(dataset="companies", fields=["phone"]),
            "do not compare",
        ),
        (
            SideIn(dataset="bids", fields=["bidder_uscc", "section_code"]),
            SideIn(dataset="companies", fields=["uscc"]),
            "same number",
        ),
        (
            SideIn(
                dataset="bids", fields=["bidder_uscc"], filters=[FilterIn(field="nope", op="eq", value="x")]
            ),
            SideIn(dataset="companies", fields=["uscc"]),
            "has no field",
        ),
    ],
)
def test_refused_choices(left: SideIn, right: SideIn, fragment: str) -> None:
    with pytest.raises(UserError) as caught:
        service.validate(CollisionIn(left=left, right=right), get_catalog())
    assert fragment in caught.value.message_en and caught.value.message_zh


def test_filter_value_of_wrong_type_is_a_user_error(con: duckdb.DuckDBPyConnection) -> None:
    request = CollisionIn(
        left=SideIn(
            dataset="bids",
            fields=["bidder_uscc"],
            filters=[FilterIn(field="bid_price", op="gte", value="abc")],
        ),
        right=SideIn(dataset="companies", fields=["uscc"]),
    )
    with pytest.raises(UserError):
        _counts(con, request)


def test_every_preset_is_valid_and_runs(con: duckdb.DuckDBPyConnection) -> None:
    for preset in PRESETS:
        counts = _counts(con, _preset(preset.id))
        assert counts.left_records >= counts.left_matched_records + counts.left_only_records
        assert (
            counts.left_records
            == counts.left_matched_records + counts.left_only_records + counts.left_null_keys
        )
