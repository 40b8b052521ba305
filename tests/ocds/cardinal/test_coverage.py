"""`tenderwatch ocds coverage`: non-empty paths counted as Cardinal counts them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tenderwatch.cli import app
from tenderwatch.ocds.cardinal.coverage import count_paths, format_counts
from tests.helpers import run_cli


def coverage(stdin: str) -> str:
    result = CliRunner().invoke(app, ["ocds", "coverage", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_documented_example_exactly() -> None:
    line = '{"phoneNumbers":[{"type": "home","number": "212 555-1234"},{"type": "office","number": "646 555-4567"}]}'
    assert coverage(line + "\n") == (
        '{"": 1, "/": 1, "/phoneNumbers": 1, "/phoneNumbers[]": 2, "/phoneNumbers[]/": 2, '
        '"/phoneNumbers[]/type": 2, "/phoneNumbers[]/number": 2}\n'
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Cardinal's documented caveats: the last duplicate wins; an empty name repeats its parent's
        # path; a name ending in [] can share a sibling's path.
        ('{"a": 0, "a": null}', {}),
        ('{"": 0}', {"": 1, "/": 2}),
        ('{"a[]": 0, "a": [0]}', {"": 1, "/": 1, "/a": 1, "/a[]": 2}),
        # Cardinal's test: stdin "[0]".
        ("[0]", {"": 1, "[]": 1}),
    ],
)
def test_documented_caveats(line: str, expected: dict[str, int]) -> None:
    assert json.loads(coverage(line)) == expected


def test_empties_are_not_counted() -> None:
    lines = [
        '{"a": "", "b": [], "c": {}, "d": null, "e": {"f": [{}, [], null, ""]}, "g": [[{"h": null}]]}',
        "{}",
        "[]",
        '""',
        "null",
    ]
    assert count_paths(json.loads(line) for line in lines) == {}


def test_known_counts_over_lines() -> None:
    lines = [
        '{"ocid": "a", "bids": {"details": [{"id": 1, "value": {"amount": 0}}, {"id": 2}]}, "x": false}',
        '{"ocid": "b", "bids": {"details": [{}]}, "awards": [{"id": "1", "items": []}]}',
        '{"ocid": "", "tender": {"title": "t"}}',
    ]
    assert count_paths(json.loads(line) for line in lines) == {
        "": 3,
        "/": 3,
        "/ocid": 2,
        "/bids": 1,
        "/bids/": 1,
        "/bids/details": 1,
        "/bids/details[]": 2,
        "/bids/details[]/": 2,
        "/bids/details[]/id": 2,
        "/bids/details[]/value": 1,
        "/bids/details[]/value/": 1,
        "/bids/details[]/value/amount": 1,
        "/x": 1,
        "/awards": 1,
        "/awards[]": 1,
        "/awards[]/": 1,
        "/awards[]/id": 1,
        "/tender": 1,
        "/tender/": 1,
        "/tender/title": 1,
    }


def test_output_parses_as_json_in_first_seen_order() -> None:
    text = coverage('{"b": 1}\n{"a": 1, "b": 2}\n')
    assert list(json.loads(text).items()) == [("", 2), ("/", 2), ("/b", 2), ("/a", 1)]


def test_empty_input_prints_an_empty_map() -> None:
    assert coverage("") == "{}\n"


def test_keys_print_as_rust_debug_strings() -> None:
    assert format_counts({'/a"b\\c\nd': 1, "/é": 2}) == '{"/a\\"b\\\\c\\nd": 1, "/é": 2}'


def test_invalid_and_blank_lines(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"a": 1}\nnot json\n\n   \n{"a": 2\n[1]\n', encoding="utf-8")
    result = run_cli(["ocds", "coverage", str(source)], tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"": 2, "/": 1, "/a": 1, "[]": 1}
    warnings = result.stderr.strip().splitlines()
    # Blank lines are skipped silently; each invalid line is named.
    assert len(warnings) == 2
    assert "Line 2 is invalid JSON" in warnings[0] and "Line 5 is invalid JSON" in warnings[1]


@pytest.mark.parametrize("name", ["missing.jsonl", "."])
def test_bad_file_is_a_one_line_error(tmp_path: Path, name: str) -> None:
    result = run_cli(["ocds", "coverage", str(tmp_path / name)], tmp_path)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_same_counts_as_cardinal_on_edge_values() -> None:
    # Counts given by ocdscardinal 0.0.8's own `coverage` on this line: a number too large for a
    # float is still a value, "-0" too, and an empty member name repeats its parent's path.
    line = '{"a":"\\u0000x","b":[null,"",{}],"c":[[[]]],"d":{"":{"":1}},"e":-0,"f":1e400}'
    assert json.loads(coverage(line)) == {
        "": 1,
        "/": 1,
        "/a": 1,
        "/d": 1,
        "/d/": 2,
        "/d//": 2,
        "/e": 1,
        "/f": 1,
    }
