"""Files and folders ELK makes for itself are for the ELK user only: folders 0700, files 0600.

The instance folder holds the database (BSNs, addresses, support needs of minors), the demo
secret key, attachments and captured mail. The ``elk`` command also sets umask 077, but an
app server started another way keeps its own umask: each adapter creates its files through
these helpers, with explicit modes. Existing files and folders keep the mode they have.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
_NEW = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)


def make_private_folder(path: str | os.PathLike[str]) -> None:
    """Create ``path`` and its missing parents, each readable by the ELK user only."""
    folder = Path(path)
    missing: list[Path] = []
    while not folder.is_dir() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            each.mkdir(mode=PRIVATE_FOLDER)
            os.chmod(each, PRIVATE_FOLDER)  # exactly 0700, whatever the umask took away


def open_private_file(path: str | os.PathLike[str], flags: int = 0) -> int:
    """A file descriptor for writing; a file that does not exist yet is created as 0600."""
    return os.open(path, _NEW | flags, PRIVATE_FILE)


def create_private_file(path: str | os.PathLike[str]) -> None:
    """Make an empty file as 0600 unless it exists (SQLite then keeps that mode)."""
    os.close(open_private_file(path))


def write_private_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a new file as 0600; an existing one is left alone (raises FileExistsError)."""
    fd = open_private_file(path, os.O_EXCL)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
