"""The committed catalogue docs are exactly what the generator writes (regenerate with
``python -m tenderwatch.catalog.docs``)."""

from __future__ import annotations

from pathlib import Path

from tenderwatch.catalog import get_catalog
from tenderwatch.catalog.docs import generate, render_markdown, write_docs

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs" / "catalog"


def test_committed_docs_match_the_generator() -> None:
    expected = generate()
    committed = {path.name: path.read_text(encoding="utf-8") for path in DOCS_DIR.glob("*.md")}
    stale = sorted(
        name for name in expected.keys() | committed.keys() if expected.get(name) != committed.get(name)
    )
    assert not stale, f"docs/catalog is out of date ({stale}); run: python -m tenderwatch.catalog.docs"


def test_page_content() -> None:
    catalog = get_catalog()
    page = render_markdown(catalog.dataset("bids"), catalog)
    assert "# 投标记录（含报价） — Bids (with prices) (`bids`)" in page
    assert (
        "| `bidder_uscc` | 投标人统一社会信用代码 | Bidder USCC | string | ✓ | ✓ | `uscc`, identifier |"
        in page
    )
    assert "[标段（包） Sections (lots)](sections.md)" in page
    assert "公共资源交易中心 — Public resource trading centre" in page


def test_write_docs(tmp_path: Path) -> None:
    written = write_docs(tmp_path)
    assert {p.name for p in written} == {f"{d.id}.md" for d in get_catalog().datasets} | {"README.md"}
