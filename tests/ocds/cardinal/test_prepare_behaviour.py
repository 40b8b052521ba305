"""`tenderwatch ocds prepare` beyond Cardinal's fixtures: the issues CSV, exact numbers, bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tenderwatch.cli import app
from tests.helpers import run_cli


def prepare(tmp_path: Path, lines: list[str], settings: str | None = None) -> tuple[str, str, str]:
    """Run prepare on `lines`; return (corrected JSON lines, issues CSV, stderr)."""
    source = tmp_path / "in.jsonl"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.csv"
    args = ["ocds", "prepare", str(source), "-o", str(out), "-e", str(errors)]
    if settings is not None:
        ini = tmp_path / "settings.ini"
        ini.write_text(settings, encoding="utf-8")
        args += ["-s", str(ini)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    # Bytes decoded as is: read_text would turn a carriage return into a line feed.
    return out.read_bytes().decode("utf-8"), errors.read_bytes().decode("utf-8"), result.stderr


def test_numbers_are_written_back_as_they_came_in(tmp_path: Path) -> None:
    line = (
        '{"ocid":"o","bids":{"details":[{"status":"valid","value":{"amount":1.50,"currency":"USD"},'
        '"tenderers":[{"id":1.0},{"id":12345678901234567890123}]}]},'
        '"n":[1e3,1E+3,-0,-0.0,0.1,123456789012345678901234,18446744073709551615,-7,1.7976931348623157e308]}'
    )
    out, _, _ = prepare(tmp_path, [line])
    # Only the numeric ids change: to their exact text.
    expected = line.replace('{"id":1.0}', '{"id":"1.0"}').replace(
        '{"id":12345678901234567890123}', '{"id":"12345678901234567890123"}'
    )
    assert out == expected + "\n"


def test_strings_are_written_as_serde_json_writes_them(tmp_path: Path) -> None:
    out, _, _ = prepare(tmp_path, ['{"s":"\\u00e9\\/\\u0001\\b\\f\\t\\n\\r\\"\\\\\u2028","t":2}'])
    assert out == '{"s":"é/\\u0001\\b\\f\\t\\n\\r\\"\\\\\u2028","t":2}\n'


def test_issues_csv(tmp_path: Path) -> None:
    line = json.dumps(
        {
            "ocid": 'ocds-213czf-1, "quoted"',
            "bids": {
                "details": [
                    {
                        "value": {"amount": 0},
                        "items": [{"classification": {"id": "1"}}],
                        "status": "Qualified",
                    },
                    {"status": "weird", "value": {"amount": 5, "currency": "USD"}},
                ]
            },
            "awards": [{"id": 1, "items": [{}, {"classification": {"id": 2}}]}, {"status": None}],
        },
        separators=(",", ":"),
    )
    _, errors, _ = prepare(tmp_path, ["", line], "[codelists.bid_status]\nQualified = valid\n")
    ocid = '"ocds-213czf-1, ""quoted"""'
    assert errors == (
        f"2,{ocid},/bids/details[]/value/amount,0,,is zero\n"
        f"2,{ocid},/bids/details[]/value/currency,0,,not set\n"
        f"2,{ocid},/bids/details[]/items[]/classification/scheme,0.0,,not set\n"
        f"2,{ocid},/bids/details[]/status,1,weird,invalid\n"
        f"2,{ocid},/awards[]/items[]/classification/scheme,0.1,,not set\n"
        f"2,{ocid},/awards[]/status,0,,not set\n"
    )


def test_defaults_are_checked_against_the_codelist(tmp_path: Path) -> None:
    out, errors, _ = prepare(tmp_path, ['{"bids":{"details":[null]}}'], "[defaults]\nbid_status = ok\n")
    # A null bid becomes an object holding the default, and the default itself is reported.
    assert out == '{"bids":{"details":[{"status":"ok"}]}}\n'
    assert errors == "1,,/bids/details[]/status,0,ok,invalid\n"


def test_redaction_moves_the_last_member_into_the_gap(tmp_path: Path) -> None:
    # serde_json's Map::remove with preserve_order is IndexMap's swap_remove.
    out, _, _ = prepare(
        tmp_path,
        [
            '{"buyer":{"id":"x","name":"N","address":{}},"bids":{"details":[{"value":{"amount":9,"currency":"C","x":1}}]}}'
        ],
        "[redactions]\norganization_id = x\namount = 9|1e9|nonsense\n",
    )
    assert (
        out == '{"buyer":{"address":{},"name":"N"},"bids":{"details":[{"value":{"x":1,"currency":"C"}}]}}\n'
    )


def test_modifications(tmp_path: Path) -> None:
    settings = "[modifications]\nmove_auctions = true\nsplit_procurement_method_details = (\n"
    out, _, stderr = prepare(
        tmp_path,
        [
            '{"tender":{"procurementMethodDetails":"Licitación  (LPN)"},"auctions":[{"stages":[{"bids":{"x":1}}]}]}',
            '{"auctions":[],"bids":{}}',
        ],
        settings,
    )
    assert out.splitlines() == [
        '{"tender":{"procurementMethodDetails":"Licitación"},"auctions":[{"stages":[{}]}],"bids":{"details":[]}}',
        '{"auctions":[],"bids":{}}',
    ]
    assert "Can't move /auctions, because /bids is occupied." in stderr


def test_bad_lines_are_warned_about_and_skipped(tmp_path: Path) -> None:
    out, _, stderr = prepare(
        tmp_path, ['{"a":1}', "{oops", "", "   ", "[1,2]", '"text"', '{"b":NaN}', '{"c":2}']
    )
    assert out == '{"a":1}\n{"c":2}\n'
    warnings = stderr.strip().splitlines()
    assert len(warnings) == 4
    assert "Line 2 is invalid JSON" in warnings[0]
    assert "Line 5 is not a JSON object" in warnings[1]
    assert "Line 6 is not a JSON object" in warnings[2]
    assert "Line 7 is invalid JSON" in warnings[3]


def test_stdin_to_stdout(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["ocds", "prepare", "-", "-o", "-", "-e", "-"], input='{"ocid":"o","awards":[{"id":7}]}\n'
    )
    assert result.exit_code == 0
    # The issue row comes before the release it is about, as in Cardinal's documentation.
    assert result.stdout == '1,o,/awards[]/status,0,,not set\n{"ocid":"o","awards":[{"id":"7"}]}\n'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.jsonl"], "missing.jsonl"),
        (["."], "is a directory"),
        (["in.jsonl", "-s", "missing.ini"], "missing.ini"),
        (["in.jsonl", "-s", "bad.ini"], "unknown settings key"),
    ],
)
def test_bad_input_is_a_one_line_error(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "in.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "bad.ini").write_text("[defaults]\ncolour = red\n", encoding="utf-8")
    full = [arg if arg.startswith("-") else str(tmp_path / arg) for arg in args]
    result = run_cli(
        ["ocds", "prepare", *full, "-o", str(tmp_path / "o"), "-e", str(tmp_path / "e")],
        tmp_path,
        # Long temporary paths: a console wider than the message, so rich does not wrap it.
        extra_env={"COLUMNS": "1000"},
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # Compact lines that orjson writes back unchanged take the fast path ...
        (
            '{"awards":[{"id":1.5},{"id":1e16},{"id":18446744073709551615}]}',
            ["1.5", "1e16", "18446744073709551615"],
        ),
        # ... the same content spaced out, or with numbers orjson would rewrite, the exact one.
        (
            '{"awards": [{"id": 1.5}, {"id": 1e16}, {"id": 18446744073709551615}]}',
            ["1.5", "1e16", "18446744073709551615"],
        ),
        (
            '{"awards":[{"id":1.50},{"id":1E16},{"id":18446744073709551616}]}',
            ["1.50", "1E16", "18446744073709551616"],
        ),
    ],
)
def test_numeric_ids_keep_their_text_on_either_path(tmp_path: Path, line: str, expected: list[str]) -> None:
    out, _, _ = prepare(tmp_path, [line])
    assert [award["id"] for award in json.loads(out)["awards"]] == expected


def test_issue_fields_are_quoted_like_rust_csv(tmp_path: Path) -> None:
    _, errors, _ = prepare(tmp_path, ['{"ocid":"a\\rb","awards":[{"status":"x,\\"y\\"\\nz"}]}'])
    assert errors == '1,"a\rb",/awards[]/status,0,"x,""y""\nz",invalid\n'


def test_refuses_to_write_over_its_input(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"a":1}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["ocds", "prepare", str(source), "-o", str(source), "-e", "-"])
    assert result.exit_code != 0
    assert source.read_text(encoding="utf-8") == '{"a":1}\n'


def test_numbers_too_large_for_a_float_are_kept(tmp_path: Path) -> None:
    out, _, stderr = prepare(tmp_path, ['{"a":1e400,"b":-1e400}', '{"c":"\\ud800"}'])
    # serde_json with arbitrary_precision keeps 1e400; a lone surrogate is not JSON text.
    assert out == '{"a":1e400,"b":-1e400}\n'
    assert "Line 2 is invalid JSON" in stderr


def test_award_ids_always_become_strings_contract_award_ids_only_with_the_correction(tmp_path: Path) -> None:
    line = '{"awards":[{"id":1,"status":"active"}],"contracts":[{"awardID":1,"status":"cancelled"}]}'
    plain, _, _ = prepare(tmp_path, [line])
    assert (
        plain
        == '{"awards":[{"id":"1","status":"active"}],"contracts":[{"awardID":1,"status":"cancelled"}]}\n'
    )
    corrected, _, _ = prepare(tmp_path, [line], "[corrections]\naward_status_by_contract_status = true\n")
    assert corrected == (
        '{"awards":[{"id":"1","status":"cancelled"}],"contracts":[{"awardID":"1","status":"cancelled"}]}\n'
    )


def test_party_roles_follow_prefixed_ids(tmp_path: Path) -> None:
    settings = "[defaults]\nparty_roles = true\n[modifications]\nprefix_tenderer_or_supplier_id = X-\n"
    line = (
        '{"parties":[{"id":"X-1","roles":["payee",7]},{"id":"1"}],'
        '"bids":{"details":[{"status":"valid","tenderers":{"id":1}}]}}'
    )
    out, _, _ = prepare(tmp_path, [line], settings)
    # The tenderer's id is prefixed first, so the role goes to party X-1; a non-string role is dropped.
    assert out == (
        '{"parties":[{"id":"X-1","roles":["payee","tenderer"]},{"id":"1"}],'
        '"bids":{"details":[{"status":"valid","tenderers":[{"id":"X-1"}]}]}}\n'
    )
