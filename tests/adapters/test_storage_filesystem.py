"""The filesystem FileStore: atomic writes under random keys, directories made on demand."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from elk_adapters.storage import filesystem
from elk_adapters.storage.filesystem import FilesystemFileStore
from elk_domain.errors import NotFound, Unavailable


class TestPut:
    def test_stores_the_bytes_under_a_fresh_random_key(self, tmp_path: Path) -> None:
        store = FilesystemFileStore(tmp_path / "files")
        first = store.put(b"%PDF-1.7 een", content_type="application/pdf")
        second = store.put(b"%PDF-1.7 een", content_type="application/pdf")
        assert first != second
        assert len(first) == 64
        assert set(first) <= set("0123456789abcdef")
        assert store.get(first) == store.get(second) == b"%PDF-1.7 een"
        assert (tmp_path / "files" / first[:2] / first[2:]).read_bytes() == b"%PDF-1.7 een"

    def test_creates_missing_directories_and_leaves_no_temp_files(self, tmp_path: Path) -> None:
        store = FilesystemFileStore(tmp_path / "not" / "yet")
        keys = [store.put(bytes([n]) * 1000, content_type="x") for n in range(20)]
        assert [store.get(k) for k in keys] == [bytes([n]) * 1000 for n in range(20)]
        assert not list((tmp_path / "not" / "yet").rglob("*.tmp"))

    def test_a_short_write_goes_on_until_every_byte_is_written(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        real_write = os.write
        monkeypatch.setattr(filesystem.os, "write", lambda fd, data: real_write(fd, data[:7]))
        store = FilesystemFileStore(tmp_path)
        data = bytes(range(256)) * 3
        assert store.get(store.put(data, content_type="x")) == data

    def test_a_root_that_cannot_hold_files_is_unavailable(self, tmp_path: Path) -> None:
        (tmp_path / "files").write_text("een bestand, geen map")
        with pytest.raises(Unavailable):
            FilesystemFileStore(tmp_path / "files").put(b"x", content_type="x")

    def test_a_failed_write_is_unavailable_and_leaves_nothing_behind(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def full_disk(fd: int, data: bytes) -> int:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(filesystem.os, "write", full_disk)
        with pytest.raises(Unavailable):
            FilesystemFileStore(tmp_path).put(b"abc", content_type="x")
        assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


class TestGetAndDelete:
    def test_unknown_and_malformed_keys_are_not_found(self, tmp_path: Path) -> None:
        store = FilesystemFileStore(tmp_path)
        with pytest.raises(NotFound):
            store.get("0" * 64)
        for bad in ("../../etc/passwd", "A" * 64, "0" * 63):
            with pytest.raises(NotFound):
                store.get(bad)

    def test_delete_removes_the_file_and_ignores_a_missing_one(self, tmp_path: Path) -> None:
        store = FilesystemFileStore(tmp_path)
        key = store.put(b"weg", content_type="text/plain")
        store.delete(key)
        store.delete(key)
        with pytest.raises(NotFound):
            store.get(key)
