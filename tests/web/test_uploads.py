"""The streamed multipart receiver: names, suffixes and framing."""

from __future__ import annotations

import pytest

from tenderwatch.web.uploads import _suffix, original_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("bids.csv", "bids.csv"),
        ("C:\\Users\\张三\\桌面\\投标记录.xlsx", "投标记录.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("a\x00b\r\n.csv", "ab.csv"),
        ("", "upload"),
    ],
)
def test_original_name_keeps_only_the_base_name(raw: str, expected: str) -> None:
    assert original_name(raw) == expected


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("bids.CSV", ".csv"),
        ("bids.jsonl.gz", ".jsonl.gz"),
        ("x.c$v", ""),
        ("noext", ""),
        ("a.b.c.csv", ".c.csv"),
    ],
)
def test_saved_file_keeps_a_safe_suffix(name: str, suffix: str) -> None:
    assert _suffix(name) == suffix
