"""Markdown to HTML for pages we write ourselves (model methodology): CommonMark with tables, raw HTML
switched off so a stray tag in a docstring is shown as text, never run."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def to_html(text: str) -> Markup:
    # Safe to mark: with html off, markdown-it escapes every character of the source it does not
    # turn into its own tags, and validates link targets (no javascript: URLs).
    return Markup(_parser().render(text))
