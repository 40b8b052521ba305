"""The bids CSV reader: bad rows are reported with line, field and reason, skipped and counted."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenderwatch.errors import UserError
from tenderwatch.screens.bidsio import Bid, read_bids, write_bids
from tenderwatch.screens.markets import MARKETS, convert_source, market_path

BRAZIL = Path(__file__).parent / "data" / "DB_Collusion_Brazil_processed.csv"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bids.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_rows_are_reported_skipped_and_counted(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "tender_id,bidder_id,amount,winner,label,notes\n"
        "T1,A,100.5,1,0,fine\n"
        "T1,B,abc,0,0,\n"  # line 3
        ",C,100,0,0,\n"  # line 4
        "T2,D,-3,0,0,\n"  # line 5
        "T2,E,100,2,0,\n"  # line 6
        "T2,,100,0,0,\n"  # line 7
        "T2,F,101,0,yes,\n"  # line 8
        "T2,G,102,,,\n",
    )
    data = read_bids(path)
    assert (data.received, data.accepted, data.rejected) == (8, 2, 6)
    assert [(p.line, p.field) for p in data.problems] == [
        (3, "amount"),
        (4, "tender_id"),
        (5, "amount"),
        (6, "winner"),
        (7, "bidder_id"),
        (8, "label"),
    ]
    assert "not a number" in data.problems[0].reason
    assert "positive" in data.problems[2].reason
    assert data.bids == [Bid("T1", "A", 100.5, 1, 0), Bid("T2", "G", 102.0, None, None)]
    assert not data.has_labels


def test_optional_columns_may_be_absent(tmp_path: Path) -> None:
    data = read_bids(_write(tmp_path, "amount,bidder_id,tender_id\n7,A,T\n"))
    assert data.bids == [Bid("T", "A", 7.0, None, None)]


def test_missing_column_and_missing_file_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="amount"):
        read_bids(_write(tmp_path, "tender_id,bidder_id,price\nT,A,1\n"))
    with pytest.raises(UserError, match="not found"):
        read_bids(tmp_path / "absent.csv")


def test_gzip_round_trip_is_byte_stable(tmp_path: Path) -> None:
    bids = [Bid("T1", "A", 1.25, 1, 0), Bid("T1", "B", 3.0, None, 1)]
    first, second = tmp_path / "a.csv.gz", tmp_path / "b.csv.gz"
    write_bids(first, bids)
    write_bids(second, bids)
    assert first.read_bytes() == second.read_bytes()
    assert read_bids(first).bids == bids


def test_converter_reproduces_the_packaged_market(tmp_path: Path) -> None:
    brazil = next(m for m in MARKETS if m.key == "brazil")
    out = tmp_path / "brazil.csv.gz"
    write_bids(out, convert_source(BRAZIL))
    assert out.read_bytes() == market_path(brazil).read_bytes()
    data = read_bids(out)
    assert (data.received, data.rejected) == (683, 0)
    # The label is tender-level in the source: every tender's bids agree.
    labels: dict[str, set[int | None]] = {}
    for bid in data.bids:
        labels.setdefault(bid.tender_id, set()).add(bid.label)
    assert len(labels) == 101 and all(len(v) == 1 for v in labels.values())
    assert sum(1 for v in labels.values() if v == {1}) == 33
