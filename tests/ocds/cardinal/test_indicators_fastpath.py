"""The msgspec fast path gives exactly what the tolerant orjson path gives, or declines the line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from tenderwatch.cli import app
from tenderwatch.ocds.cardinal.indicators import fold, typed
from tenderwatch.ocds.cardinal.indicators.lots import _lots
from tenderwatch.ocds.cardinal.indicators.process import Process, obj_get, string_ids


def release(i: int, bid_extra: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    bids = [
        {
            "id": f"b{i}-{k}",
            "status": ("valid", "valid", "disqualified", "pending")[k % 4],
            "date": "2024-01-20T00:00:00Z",
            "value": {"amount": 100.0 + k * (i % 5), "currency": "CNY"},
            "tenderers": [{"id": f"T{(i + k) % 7}", "name": "某公司"}],
            "relatedLots": ["L1"],
        }
        for k in range(4)
    ]
    if bid_extra:
        bids[0].update(bid_extra)
    doc = {
        "ocid": f"ocds-{i}",
        "buyer": {"id": f"B{i % 3}"},
        "tender": {
            "status": "complete",
            "procurementMethod": "open",
            "numberOfTenderers": 1 if i % 4 == 0 else 4,
            "tenderPeriod": {"startDate": "2024-01-01T00:00:00Z", "endDate": "2024-01-10T00:00:00Z"},
            "procuringEntity": {"id": f"PE{i % 2}"},
        },
        "bids": {"details": bids},
        "awards": [
            {
                "status": "active",
                "suppliers": [{"id": f"T{i % 7}"}],
                "items": [{"classification": {"id": f"{i % 9}1000000"}}],
                "relatedBid": f"b{i}-0",
                "relatedLots": ["L1"],
            }
        ],
    }
    doc.update(extra)
    return doc


DECLINED = (
    "string amount",
    "tenderers object",
    "numeric tenderer id",
    "numeric bid id",
    "bool amount",
    "huge numberOfTenderers",
    "non-object bid",
)


def bad_lines() -> dict[str, bytes]:
    """Lines whose shape the typed structs cannot (or might not) represent exactly."""
    huge = b"123456789012345678901234567890"
    base = orjson.dumps(release(1))
    return {
        "string amount": orjson.dumps(release(1, {"value": {"amount": "100", "currency": "CNY"}})),
        "tenderers object": orjson.dumps(release(1, {"tenderers": {"id": "T1"}})),
        "numeric tenderer id": orjson.dumps(release(1, {"tenderers": [{"id": 7}]})),
        "numeric bid id": orjson.dumps(release(1, {"id": 3})),
        "empty tenderers": orjson.dumps(release(1, {"tenderers": []})),
        "tenderer without id": orjson.dumps(release(1, {"tenderers": [{"name": "x"}]})),
        "consortium, one id null": orjson.dumps(release(1, {"tenderers": [{"id": "A"}, {"id": None}]})),
        "null tenderers": orjson.dumps(release(1, {"tenderers": None, "value": None, "status": None})),
        "bool amount": orjson.dumps(release(1, {"value": {"amount": True, "currency": "CNY"}})),
        "huge integer amount": base.replace(b'"amount":100.0', b'"amount":' + huge, 1),
        "u64 amount": base.replace(b'"amount":100.0', b'"amount":18446744073709551615', 1),
        "2^53+1 amount": base.replace(b'"amount":100.0', b'"amount":9007199254740993', 1),
        "integer amount": base.replace(b'"amount":100.0', b'"amount":100', 1),
        "tiny amount": base.replace(b'"amount":100.0', b'"amount":1e-400', 1),
        "huge numberOfTenderers": base.replace(b'"numberOfTenderers":4', b'"numberOfTenderers":' + huge),
        "bool numberOfTenderers": base.replace(b'"numberOfTenderers":4', b'"numberOfTenderers":true'),
        "float numberOfTenderers": base.replace(b'"numberOfTenderers":4', b'"numberOfTenderers":1.0'),
        "numeric relatedBid": base.replace(b'"relatedBid":"b1-0"', b'"relatedBid":' + huge),
        "null everywhere": orjson.dumps(
            {"ocid": "n", "tender": None, "bids": {"details": None}, "awards": None}
        ),
        "non-object bid": orjson.dumps(release(1) | {"bids": {"details": [1, None]}}),
        "duplicate keys": base[:-1] + b',"buyer":{"id":"B9"},"ocid":"dup"}',
        "overflow in an unread field": base[:-1] + b',"extra":1e400}',
        "overflow with plus sign": base[:-1] + b',"extra":[2E+0309]}',
        "300-digit integer": base[:-1] + b',"extra":' + b"9" * 320 + b"}",
        "invalid UTF-8 in an unread field": base[:-1] + b',"extra":"\xff\xfe"}',
        "surrogate in an unread field": base[:-1] + b',"extra":"\xed\xa0\x80"}',
        "escaped lone surrogate": base[:-1] + b',"extra":"\\udc00"}',
        "array line": b"[1, 2]",
        "not JSON": b"{oops",
    }


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def view(p: Process) -> tuple[Any, ...]:
    """Everything the indicators read from a process (strings where only strings count)."""
    tender = p.tender
    awards = [
        (
            text(obj_get(a, "status")),
            string_ids(obj_get(a, "suppliers")),
            len(s) if isinstance(s := obj_get(a, "suppliers"), list) else None,
            obj_get(a, "relatedBid"),
            _lots(obj_get(a, "relatedLots")),
            [text(obj_get(obj_get(i, "classification"), "id")) for i in obj_get(a, "items") or ()],
        )
        for a in p.awards or ()
    ]
    final = p.complete_awards_if_final()
    return (
        p.ocid,
        [text(tender.get(k)) for k in ("status", "procurementMethod", "procurementMethodDetails")],
        repr(tender.get("numberOfTenderers")),  # repr tells 1 from 1.0 and True
        [text(obj_get(tender.get("tenderPeriod"), k)) for k in ("startDate", "endDate")],
        text(obj_get(tender.get("procuringEntity"), "id")),
        text(obj_get(p.buyer, "id")),
        p.awards is None,
        awards,
        None if final is None else len(final),
        p.details is None,
        repr(p.bids()),  # repr tells 100 from 100.0
        [_lots(lots) for lots in p.bid_lots()],
        p.submitted_bids(),
    )


@pytest.mark.parametrize("name", sorted(bad_lines()))
@pytest.mark.parametrize("flags", [(True, True), (False, False)])
def test_both_paths_read_a_line_alike(name: str, flags: tuple[bool, bool]) -> None:
    line = bad_lines()[name]
    fast = typed.decode(line)
    if name in DECLINED:
        assert fast is None  # the typed structs decline; the orjson path reads the line
    if fast is None or not isinstance(fast.ocid, str):
        return
    try:
        release_ = orjson.loads(line)
    except orjson.JSONDecodeError:  # msgspec accepted what orjson rejects: the guards must catch it
        assert not typed.safe_chunk(line) or typed.overflow_lines(line) == {0}
        return
    slow = Process.from_json(release_, release_["ocid"], *flags)
    assert view(typed.typed_process(fast, fast.ocid, *flags)) == view(slow)


def test_guards_send_what_msgspec_would_accept_but_orjson_rejects_to_orjson() -> None:
    lines = bad_lines()
    for name in ("overflow in an unread field", "overflow with plus sign", "300-digit integer"):
        with pytest.raises(orjson.JSONDecodeError):
            orjson.loads(lines[name])
        chunk = orjson.dumps(release(2)) + b"\n" + lines[name] + b"\n"
        assert typed.overflow_lines(chunk) == {1}, name
    for name in ("invalid UTF-8 in an unread field", "surrogate in an unread field"):
        with pytest.raises(orjson.JSONDecodeError):
            orjson.loads(lines[name])
        assert not typed.safe_chunk(lines[name]), name
    assert typed.overflow_lines(orjson.dumps(release(3))) == set()


SETTINGS = "".join(
    f"[{c}]\n"
    for c in ("R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058")
)
EXTENSIONS = SETTINGS + "[tenderwatch]\nlots = true\nconsortia = true\nrelated_bid = true\ncoverage = true\n"


@pytest.mark.parametrize("settings", [SETTINGS, EXTENSIONS])
def test_whole_output_is_the_same_with_and_without_the_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: str
) -> None:
    lines = [orjson.dumps(release(i)) for i in range(40)]
    for k, line in enumerate(bad_lines().values()):
        lines.insert(3 * k + 1, line)
    data = tmp_path / "in.jsonl"
    data.write_bytes(b"\n".join(lines) + b"\n\n")
    ini = tmp_path / "s.ini"
    ini.write_text(settings, encoding="utf-8")

    def run() -> tuple[Any, str]:
        args = ["ocds", "indicators", str(data), "-s", str(ini), "--map", "--workers", "1"]
        result = CliRunner().invoke(app, args, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout), result.stderr

    fast = run()
    monkeypatch.setattr(fold, "decode", lambda line: None)  # every line through orjson
    assert run() == fast
    assert fast[0]  # the data does flag something


UTF8_CASES = [
    "中文".encode(),
    "😀".encode(),
    b"\xef\xbf\xbf",
    b"\xff",
    b"\xed\xa0\x80",  # a surrogate
    b"\xc0\x80",  # overlong
    "中".encode()[:2],  # truncated
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
]


@pytest.mark.parametrize("raw", UTF8_CASES)
def test_both_utf8_checks_agree_with_orjson(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    line = b'{"ocid":"x","extra":"' + raw + b'"}'
    try:
        orjson.loads(line)
        valid = True
    except orjson.JSONDecodeError:
        valid = False
    monkeypatch.setattr(typed, "_arrow", None)
    assert typed.safe_chunk(line) is valid
    typed.use_arrow()
    assert typed.safe_chunk(line) is valid
