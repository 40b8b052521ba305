"""Errors a user can act on. Each carries a one-line message in zh-CN and English.

The CLI and the web layer print ``str(error)`` and never a traceback: anything that is not a
``UserError`` is an internal fault and is logged in full, with only a reference shown.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a refused action; the message says what and where."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, locale: str = "zh_CN") -> str:
        return self.message_zh if locale.startswith("zh") else self.message_en

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"
