"""Attachments of complaints: size and type checks, sanitised names, content-addressed storage.

Files live under ``<data_dir>/complaint-files/<sha256>`` (as case files do under ``case-files``): the
hash in the row proves the bytes were not changed later, and the same file twice is stored once. The
type is checked against the file's first bytes, not only the browser's claim, because the public can
send anything.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tenderwatch.config import Settings
from tenderwatch.errors import UserError

MAGIC: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
_UNSAFE = re.compile(r"[^\w.\-()\u4e00-\u9fff ]+")


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    content_type: str
    data: bytes


def sanitise_filename(name: str) -> str:
    """Keep the last path part, letters, digits, CJK and a little punctuation; never a dot-file."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:200] or "file"


def _matches(content_type: str, data: bytes) -> bool:
    if content_type == "text/plain":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in data
    return any(data.startswith(m) for m in MAGIC.get(content_type, ()))


def check(settings: Settings, uploads: list[Upload]) -> None:
    if len(uploads) > settings.complaint_max_files:
        raise UserError(
            f"附件最多{settings.complaint_max_files}个", f"At most {settings.complaint_max_files} attachments"
        )
    limit = settings.complaint_max_file_mb * 1024 * 1024
    for upload in uploads:
        kind = upload.content_type.split(";")[0].strip().lower()
        if kind not in settings.complaint_content_types or not _matches(kind, upload.data):
            raise UserError(
                f"附件类型不允许：{sanitise_filename(upload.filename)}",
                f"Attachment type not allowed: {sanitise_filename(upload.filename)}",
            )
        if len(upload.data) > limit or not upload.data:
            raise UserError(
                f"附件为空或超过{settings.complaint_max_file_mb}MB",
                f"An attachment is empty or larger than {settings.complaint_max_file_mb} MB",
            )


def store(settings: Settings, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    path = folder(settings) / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return digest


def folder(settings: Settings) -> Path:
    return settings.data_dir / "complaint-files"
