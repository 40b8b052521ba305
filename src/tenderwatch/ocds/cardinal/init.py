"""`tenderwatch ocds init`: write Cardinal's default settings file.

The text is Cardinal 0.0.8's default settings (``default_settings.ini`` beside this module), byte for
byte: every indicator section is present, so all indicators are enabled, and every property is
commented out, so every default applies.
"""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

from tenderwatch.errors import UserError

STDOUT = "-"


def default_settings() -> bytes:
    """The default settings text, as shipped in the package."""
    return files("tenderwatch.ocds.cardinal").joinpath("default_settings.ini").read_bytes()


def write_default_settings(target: str, force: bool = False) -> bool:
    """Write the default settings to ``target`` (``-`` = standard output).

    Returns True if written to standard output, False if written to a file. Unlike Cardinal, which
    silently keeps an existing file and still reports success, an existing file without ``force`` is
    refused, so that nobody believes their settings were reset when they were not.
    """
    content = default_settings()
    if target == STDOUT:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return True
    path = Path(target)
    if path.is_dir():
        raise UserError(f"{target}：是目录，不是文件", f"{target}: is a directory, not a file")
    if path.exists() and not force:
        raise UserError(
            f"{target} 已存在；加 --force 覆盖",
            f"{target} already exists; use --force to overwrite it",
        )
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise UserError(
            f"无法写入 {target}：{exc.strerror}", f"cannot write {target}: {exc.strerror}"
        ) from exc
    return False
