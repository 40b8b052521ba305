"""Behaviour of `tenderwatch ocds indicators` beyond the fixtures: settings, bad lines, stdin, flags."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tenderwatch.cli import app
from tenderwatch.errors import UserError
from tenderwatch.ocds.cardinal.indicators.context import make_context
from tenderwatch.ocds.cardinal.indicators.finalize import finalize
from tenderwatch.ocds.cardinal.indicators.output import to_json
from tenderwatch.ocds.cardinal.indicators.reading import fold_stream
from tenderwatch.ocds.cardinal.settings import parse_settings

FIXTURES = Path(__file__).parent / "fixtures" / "indicators"
TENDERWATCH = str(Path(sys.executable).parent / "tenderwatch")
BASE = "no_price_comparison_procurement_methods = NPC\n[exclusions]\nprocurement_method_details = EXC\n"


def invoke(args: list[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["ocds", "indicators", *args], input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def ini(tmp_path: Path, text: str) -> str:
    path = tmp_path / "settings.ini"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_meta_is_rounded_to_four_places_and_follows_the_groups(tmp_path: Path) -> None:
    code, stdout, _ = invoke([str(FIXTURES / "R024.jsonl"), "-s", ini(tmp_path, BASE + "[R024]\n")])
    assert code == 0
    assert stdout.endswith(',"Meta":{"R024":{"q1":66.6667,"q3":100.0,"lower_fence":16.6667}}}\n')


def test_threshold_replaces_the_fence_and_its_quartiles(tmp_path: Path) -> None:
    code, stdout, _ = invoke(
        [str(FIXTURES / "R024.jsonl"), "-s", ini(tmp_path, BASE + "[R024]\nthreshold = 0.05\n")]
    )
    assert code == 0
    assert json.loads(stdout)["Meta"] == {"R024": {"lower_fence": 0.05}}


def test_no_settings_file_runs_no_indicator_and_prints_empty_meta() -> None:
    code, stdout, _ = invoke([str(FIXTURES / "R024.jsonl")])
    assert (code, stdout) == (0, '{"Meta":{}}\n')


def test_stdin_dash_reads_standard_input(tmp_path: Path) -> None:
    data = (FIXTURES / "R018.jsonl").read_bytes()
    code, stdout, _ = invoke(["-", "-s", ini(tmp_path, "[R018]\n"), "--no-meta"], stdin=data)
    assert code == 0
    assert stdout == (FIXTURES / "R018.expected").read_text().rstrip("\n") + "\n"


def test_invalid_json_line_is_warned_with_its_number_and_skipped(tmp_path: Path) -> None:
    lines = [
        '{"ocid":"a","tender":{"numberOfTenderers":1,"procurementMethod":"open"}}',
        '{"ocid": broken',
        "   ",
        '{"ocid":"b","tender":{"numberOfTenderers":1,"procurementMethod":"open"}}',
    ]
    code, stdout, stderr = invoke(
        ["-", "-s", ini(tmp_path, "[R018]\n"), "--no-meta"], stdin="\n".join(lines).encode()
    )
    assert code == 0
    assert stdout == '{"OCID":{"a":{"R018":1.0},"b":{"R018":1.0}}}\n'
    assert "Line 2 is invalid JSON, skipping." in stderr
    assert "Line 3" not in stderr  # blank lines are skipped silently
    assert stderr.count("\n") == 1


def test_count_prints_cardinal_lines_to_stderr(tmp_path: Path) -> None:
    code, stdout, stderr = invoke(
        [str(FIXTURES / "R024.jsonl"), "-s", ini(tmp_path, BASE + "[R024]\n"), "--count"]
    )
    assert code == 0
    assert stderr == "OCID: 2\nTenderer: 2\n"
    assert stdout.startswith('{"OCID":')


def test_map_adds_every_cardinal_map_in_order(tmp_path: Path) -> None:
    code, stdout, _ = invoke(
        [str(FIXTURES / "R024.jsonl"), "-s", ini(tmp_path, BASE + "[R024]\n"), "--map", "--no-meta"]
    )
    assert code == 0
    maps = json.loads(stdout)["Maps"]
    assert list(maps) == [
        "ocid_buyer_r038",
        "ocid_procuringentity_r038",
        "ocid_tenderer",
        "ocid_tenderer_r024",
        "ocid_tenderer_r028",
        "ocid_tenderer_r030",
        "ocid_tenderer_r035",
        "ocid_tenderer_r058",
    ]
    assert maps["ocid_tenderer_r024"] == {"F": ["L", "W"], "repeat tenderers": ["L", "W"]}


def test_r038_map_links_processes_with_disqualified_bids_to_buyers(tmp_path: Path) -> None:
    code, stdout, _ = invoke(
        [str(FIXTURES / "R038.jsonl"), "-s", ini(tmp_path, BASE + "[R038]\n"), "--map", "--no-meta"]
    )
    assert code == 0
    maps = json.loads(stdout)["Maps"]
    assert maps["ocid_buyer_r038"] == {"0": "B"}
    assert maps["ocid_procuringentity_r038"] == {"0": "P"}
    assert maps["ocid_tenderer"]["0"] == ["W1", "D"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[R024]\nthreshhold = 1\n", "unknown settings key R024.threshhold"),
        ("[R999]\n", "unknown settings section [R999]"),
        ("bogus = 1\n", "unknown settings key bogus"),
        ("[R035]\nthreshold = -1\n", "expected a non-negative integer"),
        ("[R003]\nthreshold = soon\n", "expected an integer"),
        ("[tenderwatch]\nlots = maybe\n", "expected a boolean"),
    ],
)
def test_bad_settings_are_one_clear_error(tmp_path: Path, text: str, fragment: str) -> None:
    with pytest.raises(UserError) as caught:
        invoke([str(FIXTURES / "R024.jsonl"), "-s", ini(tmp_path, text)])
    assert fragment in caught.value.message_en
    assert "settings.ini:" in caught.value.message_en  # says where


def test_bad_settings_exit_non_zero_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            TENDERWATCH,
            "ocds",
            "indicators",
            str(FIXTURES / "R024.jsonl"),
            "-s",
            ini(tmp_path, "[R024]\nfoo = 1\n"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "400"},  # rich wraps long lines at the terminal width
    )
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "未知的设置键 R024.foo" in result.stderr and "unknown settings key R024.foo" in result.stderr


def test_missing_input_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError):
        invoke([str(tmp_path / "nope.jsonl")])


def test_parallel_chunks_merge_to_the_same_bytes_as_one_pass() -> None:
    # Tiny chunks force many chunks across two workers; order and content must not change.
    data = b"".join(
        (FIXTURES / f"{name}.jsonl").read_bytes() for name in ("R024", "R025", "R028", "R035", "R036", "R038")
    )
    settings = parse_settings(
        "".join(f"[{c}]\n" for c in ("R024", "R025", "R028", "R035", "R036", "R038", "R058"))
    )
    ctx = make_context(settings, map_=True)
    one = to_json(finalize(fold_stream(io.BytesIO(data), ctx, workers=1), ctx), meta=True, maps=True)
    many = to_json(
        finalize(fold_stream(io.BytesIO(data), ctx, workers=2, size=300), ctx), meta=True, maps=True
    )
    assert one == many


def test_parallel_workers_match_one_pass_on_synthetic_data(tmp_path: Path) -> None:
    # Many organizations recur across chunks handled by different workers: the first-seen order
    # of their results must not depend on which worker saw them first.
    from tenderwatch.bench.ocds_synth import generate

    path = tmp_path / "synth.jsonl"
    generate(path, 400, heavy=True, seed=3, pool=400)
    settings = parse_settings(
        "".join(f"[{c}]\n" for c in ("R024", "R025", "R028", "R030", "R035", "R036", "R038", "R058"))
    )
    ctx = make_context(settings, map_=True)
    with path.open("rb") as one_file:
        one = to_json(finalize(fold_stream(one_file, ctx, workers=1), ctx), meta=True, maps=True)
    with path.open("rb") as many_file:
        many = to_json(
            finalize(fold_stream(many_file, ctx, workers=2, size=20_000), ctx), meta=True, maps=True
        )
    assert one == many
    assert '"Tenderer":' in one


def test_first_currency_decides_and_others_are_counted(tmp_path: Path) -> None:
    bids = '{"status":"disqualified","value":{"amount":1,"currency":"%s"}},{"status":"valid","value":{"amount":2,"currency":"%s"}}'
    lines = [
        '{"ocid":"eur","bids":{"details":[%s]},"awards":[{"status":"active"}]}' % (bids % ("EUR", "EUR")),
        '{"ocid":"usd","bids":{"details":[%s]},"awards":[{"status":"active"}]}' % (bids % ("USD", "USD")),
    ]
    stdin = "\n".join(lines).encode()
    code, stdout, stderr = invoke(["-", "-s", ini(tmp_path, "[R036]\n"), "--no-meta"], stdin=stdin)
    assert code == 0
    assert stdout == '{"OCID":{"eur":{"R036":1.0}}}\n'
    assert "2 bid amounts not in the main currency EUR" in stderr
    _, stdout, _ = invoke(["-", "-s", ini(tmp_path, "currency = USD\n[R036]\n"), "--no-meta"], stdin=stdin)
    assert stdout == '{"OCID":{"usd":{"R036":1.0}}}\n'
    _, _, stderr = invoke(
        ["-", "-s", ini(tmp_path, "[output]\ninfo_currency_mismatches = true\n[R036]\n")], stdin=stdin
    )
    assert stderr == ""
