"""Attachment bytes on the local filesystem, behind the FileStore port."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from elk_domain.errors import NotFound, Unavailable


class FilesystemFileStore:
    """Files under ``root/ab/cdef…``; keys are random, so names never come from users."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise NotFound("Bestand niet gevonden.")
        return self._root / key[:2] / key[2:]

    def put(self, data: bytes, *, content_type: str) -> str:
        """Write atomically (temp file + rename) and return the key."""
        key = hashlib.sha256(secrets.token_bytes(16) + data[:1024]).hexdigest()
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError as exc:
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
