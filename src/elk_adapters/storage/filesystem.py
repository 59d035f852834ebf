"""Attachment bytes on the local filesystem, behind the FileStore port."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from elk_adapters.files import PRIVATE_FILE, make_private_folder
from elk_domain.errors import NotFound, Unavailable

_HEX = frozenset("0123456789abcdef")
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


class FilesystemFileStore:
    """Files under ``root/ab/cdef…``; keys are random, so names never come from users.

    Folders are made 0700 and files 0600: attachments are about pupils (elk_adapters.files).
    """

    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, key: str) -> Path:
        if len(key) != 64 or not _HEX.issuperset(key):
            raise NotFound("Bestand niet gevonden.")
        return self._root / key[:2] / key[2:]

    def put(self, data: bytes, *, content_type: str) -> str:
        """Write atomically (temp file + rename) and return the key.

        Plain ``os`` calls, and the directory is created only when opening the file finds it
        missing: a sync writes a few files per pupil, and ``pathlib``, buffered ``open`` and an
        ``mkdir`` per file cost more than writing the bytes.
        """
        key = secrets.token_hex(32)
        directory = os.path.join(self._root, key[:2])
        path = os.path.join(directory, key[2:])
        tmp = f"{path}.tmp"
        try:
            try:
                fd = os.open(tmp, _NEW_FILE, PRIVATE_FILE)
            except FileNotFoundError:
                make_private_folder(directory)
                fd = os.open(tmp, _NEW_FILE, PRIVATE_FILE)
            try:
                _write_all(fd, data)
            finally:
                os.close(fd)
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(tmp)  # no half-written leftovers
            raise Unavailable("Het bestand kon niet worden opgeslagen.") from exc
        return key

    def get(self, key: str) -> bytes:
        """The stored bytes; raises NotFound."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound("Bestand niet gevonden.") from exc

    def delete(self, key: str) -> None:
        """Remove the file if present."""
        self._path(key).unlink(missing_ok=True)


def _write_all(fd: int, data: bytes) -> None:
    """``os.write`` may write less than asked (a full disk, a signal): go on until done."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
