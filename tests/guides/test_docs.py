"""The generated guide pages are current."""

from __future__ import annotations

import pytest

from tenderwatch.guides.docs import DOCS_DIR, render_index, render_markdown
from tenderwatch.guides.loader import all_guides
from tenderwatch.guides.schema import Guide

GUIDES = all_guides()


@pytest.mark.parametrize("guide", GUIDES, ids=[g.model_id for g in GUIDES])
def test_every_guide_has_its_current_page(guide: Guide) -> None:
    page = DOCS_DIR / f"{guide.model_id}.md"
    assert page.is_file(), f"run `python -m tenderwatch.guides.docs` to write {page.name}"
    assert page.read_text(encoding="utf-8") == render_markdown(guide), f"{page.name} is stale; regenerate it"


def test_index_is_current_and_has_no_orphan_pages() -> None:
    assert (DOCS_DIR / "README.md").read_text(encoding="utf-8") == render_index()
    pages = {p.stem for p in DOCS_DIR.glob("C*.md")}
    assert pages == {g.model_id for g in GUIDES}
