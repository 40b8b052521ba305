"""The OCDS 1.1 merge rules, one behaviour per test."""

from __future__ import annotations

from typing import Any

from tenderwatch.ocds.exchange.merge import compile_releases

OCID = "ocds-abc123-1"


def release(date: str, **fields: Any) -> dict[str, Any]:
    return {
        "ocid": OCID,
        "id": f"r-{date}",
        "date": date,
        "tag": ["tender"],
        "initiationType": "tender",
        **fields,
    }


def test_the_latest_value_wins_whatever_the_file_order() -> None:
    later = release("2024-02-01T00:00:00Z", tender={"title": "new"})
    earlier = release("2024-01-01T00:00:00Z", tender={"title": "old", "id": "T1"})
    compiled = compile_releases([later, earlier])
    assert compiled["tender"] == {"title": "new", "id": "T1"}


def test_null_removes_a_field() -> None:
    compiled = compile_releases(
        [
            release("2024-01-01T00:00:00Z", tender={"title": "t", "description": "d"}),
            release("2024-02-01T00:00:00Z", tender={"description": None}),
        ]
    )
    assert compiled["tender"] == {"title": "t"}


def test_arrays_of_objects_with_ids_merge_item_by_item() -> None:
    compiled = compile_releases(
        [
            release(
                "2024-01-01T00:00:00Z", awards=[{"id": "1", "status": "pending", "title": "a"}, {"id": 2}]
            ),
            release("2024-02-01T00:00:00Z", awards=[{"id": "1", "status": "active"}, {"id": "3"}]),
        ]
    )
    assert compiled["awards"] == [{"id": "1", "status": "active", "title": "a"}, {"id": 2}, {"id": "3"}]


def test_other_arrays_and_whole_list_merge_arrays_are_replaced() -> None:
    compiled = compile_releases(
        [
            release(
                "2024-01-01T00:00:00Z",
                tender={"submissionMethod": ["electronicSubmission", "written"]},
                parties=[{"id": "p", "additionalIdentifiers": [{"id": "a", "scheme": "X"}]}],
            ),
            release(
                "2024-02-01T00:00:00Z",
                tender={"submissionMethod": ["inPerson"]},
                parties=[{"id": "p", "additionalIdentifiers": [{"id": "b", "scheme": "X"}]}],
            ),
        ]
    )
    assert compiled["tender"]["submissionMethod"] == ["inPerson"]
    # additionalIdentifiers is marked wholeListMerge in the schema: no identity merge inside it.
    assert compiled["parties"] == [{"id": "p", "additionalIdentifiers": [{"id": "b", "scheme": "X"}]}]


def test_the_compiled_release_has_its_own_id_date_and_tag() -> None:
    compiled = compile_releases(
        [release("2024-01-01T00:00:00Z"), release("2024-03-01T00:00:00Z"), release("2024-02-01T00:00:00Z")]
    )
    assert compiled["id"] == f"{OCID}-2024-03-01T00:00:00Z"
    assert compiled["date"] == "2024-03-01T00:00:00Z"
    assert compiled["tag"] == ["compiled"]
    assert compiled["initiationType"] == "tender"
