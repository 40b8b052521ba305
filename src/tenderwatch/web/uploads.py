"""Receiving an uploaded file: the multipart body is streamed straight into a file under
``<data_dir>/uploads`` and counted as it arrives, so an oversized upload is cut off at the limit instead of
being spooled whole to a temporary directory first (Starlette's form parser spools every file before
the view can look at its size).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, BinaryIO

from fastapi import Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

if TYPE_CHECKING:  # defined for type checkers only
    from python_multipart.multipart import MultipartCallbacks

MAX_FIELD_BYTES = 64 * 1024
MAX_FIELDS = 16
# Multipart framing (boundaries, part headers, small fields) on top of the file itself.
FRAMING_ALLOWANCE = 256 * 1024


class UploadTooLarge(Exception):
    pass


class BadUpload(Exception):
    """Not a well-formed multipart form with at most one file."""


@dataclass
class ReceivedUpload:
    fields: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    original_name: str | None = None
    size: int = 0

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def original_name(raw: str) -> str:
    """The base name the browser sent (some send a full Windows path), without control characters."""
    name = PureWindowsPath(PurePosixPath(raw).name).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[-200:] or "upload"


def _suffix(name: str) -> str:
    """Readers pick the format by suffix, so the saved file keeps a (sanitised) one."""
    suffix = "".join(PurePosixPath(name.lower()).suffixes[-2:])
    return suffix if re.fullmatch(r"(\.[a-z0-9]{1,8}){1,2}", suffix) else ""


class _Receiver:
    def __init__(self, target_dir: Path, max_bytes: int) -> None:
        self.target_dir = target_dir
        self.max_bytes = max_bytes
        self.result = ReceivedUpload()
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._name = ""
        self._is_file = False
        self._field = bytearray()
        self._pending = bytearray()
        self.handle: BinaryIO | None = None

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.on_part_begin,
            "on_part_data": self.on_part_data,
            "on_part_end": self.on_part_end,
            "on_header_field": self.on_header_field,
            "on_header_value": self.on_header_value,
            "on_header_end": self.on_header_end,
            "on_headers_finished": self.on_headers_finished,
        }

    def on_part_begin(self) -> None:
        self._disposition = b""
        self._field = bytearray()
        self._is_file = False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if b"name" not in options:
            raise BadUpload("part without a name")
        self._name = options[b"name"].decode("utf-8", "replace")
        if b"filename" in options:
            if self.result.path is not None:
                raise BadUpload("more than one file")
            self._is_file = True
            name = options[b"filename"].decode("utf-8", "replace")
            if not name:  # the form was sent with no file chosen
                self._is_file = False
                return
            self.result.original_name = original_name(name)
            self.target_dir.mkdir(parents=True, exist_ok=True)
            self.result.path = self.target_dir / f"{uuid.uuid4().hex}{_suffix(self.result.original_name)}"
            self.handle = self.result.path.open("wb")
        elif len(self.result.fields) >= MAX_FIELDS:
            raise BadUpload("too many fields")

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        chunk = data[start:end]
        if self._is_file:
            self.result.size += len(chunk)
            if self.result.size > self.max_bytes:
                raise UploadTooLarge()
            self._pending += chunk
        else:
            self._field += chunk
            if len(self._field) > MAX_FIELD_BYTES:
                raise BadUpload("field too large")

    def on_part_end(self) -> None:
        if not self._is_file:
            self.result.fields[self._name] = self._field.decode("utf-8", "replace")

    def take_pending(self) -> bytes:
        data = bytes(self._pending)
        self._pending.clear()
        return data


async def receive_upload(request: Request, target_dir: Path, max_bytes: int) -> ReceivedUpload:
    """Stream a multipart form into ``target_dir``; the caller owns (and removes) the saved file."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes + FRAMING_ALLOWANCE:
        raise UploadTooLarge()
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or b"boundary" not in params:
        raise BadUpload("not a multipart form")
    receiver = _Receiver(target_dir, max_bytes)
    parser = MultipartParser(params[b"boundary"], receiver.callbacks())
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            pending = receiver.take_pending()
            if pending and receiver.handle is not None:
                # Disk writes off the event loop, so one large upload does not stall other requests.
                await run_in_threadpool(receiver.handle.write, pending)
        parser.finalize()
    except BaseException as exc:
        if receiver.handle is not None:
            receiver.handle.close()
        receiver.result.discard()
        if isinstance(exc, FormParserError):
            raise BadUpload(str(exc)) from exc
        raise
    if receiver.handle is not None:
        receiver.handle.close()
    return receiver.result
