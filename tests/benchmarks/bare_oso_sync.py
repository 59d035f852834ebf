"""The same-work baseline of ``BENCH oso_sync``, part 2: merge and write with sqlite3 and ``open``.

Per dossier, what ``import_dossier.merge_dossier`` persists in FILL mode, without ELK's
layers: read the pupil's BSN and Oki-doc in one joined SELECT, merge the dossier into the
stored JSON (``bare_oso_dossier.read``) by the rules of ``elk_domain.oso.dossiers.merge``, and
in the same ``BEGIN IMMEDIATE``
transaction write the new attachment files (temp file + rename, no fsync, like
``FilesystemFileStore``), UPDATE the Oki-doc row (its four JSON documents and the overview
columns, version + 1) and INSERT the audit row with every change, chained to the one before
(decision 0057: read the head, hash with ``link_hash``); COMMIT. The connection has
ELK's settings (``persistence.database``): WAL, ``synchronous = NORMAL``, foreign keys on,
busy timeout. Left out because it is not persistent work: the permission check and the school
row it reads. Only Onvolledig Oki-docs (every Oki-doc in the benchmark): settling a Volledig
one needs the domain's list of required fields.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from tests.benchmarks.bare_oso_attachments import store
from tests.benchmarks.bare_oso_dossier import BareDossier, Doc, Typed, read, school_year

from elk_domain.kernel.audit import AuditEntry, FieldChange
from elk_domain.kernel.audit_chain import GENESIS, link_hash
from elk_domain.okidoc import fields as f
from elk_domain.oso.dossiers.advice_codes import ADVICE_CODES

_CONFIRMED_ADVICE = {
    code: entry.inferred.code
    for code, entry in ADVICE_CODES.items()
    if entry.confirmed and entry.inferred is not None
}
_PRAGMAS = (
    "busy_timeout = 15000",
    "journal_mode = WAL",
    "synchronous = NORMAL",
    "foreign_keys = ON",
)
_READ = (
    "SELECT p.bsn, p.school_id, o.id, o.status, o.fields, o.test_results, o.career,"
    " o.attachments, o.version FROM pupils p JOIN okidocs o ON o.pupil_id = p.id WHERE p.id = ?"
)
_UPDATE = (
    "UPDATE okidocs SET status = ?, fields = ?, test_results = ?, career = ?, attachments = ?,"
    " version = ?, extra_support = ?, tafelmiddag_po = ?, tafelmiddag_vo = ?,"
    " final_test_outcome = ?, definitive_advice = ?, deviation_motivated = ?"
    " WHERE id = ? AND version = ?"
)
_AUDIT = (
    "INSERT INTO audit_log (id, at, actor_id, actor_name, action, subject_type, subject_id,"
    " school_id, impersonator_id, changes, detail, prev_hash, row_hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# The audit chain's head and the next id, as ``SqlAlchemyAuditLog.record`` reads them (0057).
_HEAD_AND_ID = (
    "SELECT (SELECT row_hash FROM audit_log ORDER BY id DESC LIMIT 1),"
    " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0) + 1"
)


class BareSync:
    """One SQLite connection and a file root; ``sync`` merges one dossier into one pupil."""

    def __init__(self, database: Path, files: Path, *, brin: str, now: dt.datetime, actor: str):
        self._db = sqlite3.connect(database, timeout=15, isolation_level=None)
        for pragma in _PRAGMAS:
            self._db.execute(f"PRAGMA {pragma}")
        os.makedirs(files, mode=0o700, exist_ok=True)
        self._files, self._brin, self._actor = str(files), brin, actor
        self._added_at = now.isoformat()
        self._now = now.astimezone(dt.UTC)
        self._audit_at = self._now.strftime("%Y-%m-%d %H:%M:%S.%f")
        self._oldest = school_year(now.date().isoformat()) - 2  # R-OSO-5: three school years

    def settings(self) -> tuple[Any, ...]:
        """journal_mode, synchronous, foreign_keys and busy_timeout, as SQLite reports them."""
        return pragmas(self._db)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def sync(self, pupil_id: int, data: bytes) -> None:
        """Read, merge and write one dossier in one transaction."""
        dossier = read(data, brin=self._brin, oldest_year=self._oldest)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if self._merge(pupil_id, dossier):
                self._db.execute("COMMIT")
            else:
                self._db.execute("ROLLBACK")  # nothing changed: no write, no audit row
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def _merge(self, pupil_id: int, d: BareDossier) -> bool:
        bsn, school_id, okidoc_id, status, *docs, version = self._db.execute(
            _READ, (pupil_id,)
        ).fetchone()
        if bsn != d.bsn or status != "onvolledig":
            raise ValueError("another pupil's dossier, or an Oki-doc this baseline cannot settle")
        fields, tests, career, attachments = map(json.loads, docs)
        stamp = {"source": "oso", "at": d.at, "by": d.by}
        changes = _merge_fields(fields, _incoming(fields, d), stamp)
        tests, test_changes = _merge_tests(tests, d.tests, self._oldest)
        career, career_changes = _merge_career(career, d.career)
        fresh = _fresh(attachments, d.attachments)
        if not (changes or test_changes or career_changes or fresh):
            return False
        for record, data in fresh:
            key = store(self._files, data)
            added = {"added_at": self._added_at, "added_by": d.by, "source": "oso"}
            attachments.append({**record, "storage_key": key, **added})
        changes += test_changes + career_changes
        changes += [{"path": "bijlage", "old": None, "new": r["filename"]} for r, _ in fresh]
        documents = map(json.dumps, (fields, tests, career, attachments))
        row = (status, *documents, version + 1, *_facts(fields), okidoc_id, version)
        if self._db.execute(_UPDATE, row).rowcount != 1:
            raise RuntimeError("the Oki-doc changed meanwhile")
        detail = f"aanvullen; {d.by} {d.at}"
        action = "okidoc.oso_synchroniseren"
        self._audit(action, okidoc_id, school_id, changes, detail)
        return True

    def _audit(
        self, action: str, okidoc_id: int, school_id: int, changes: list[Doc], detail: str
    ) -> None:
        """Append the audit row as the new head of the hash chain (decision 0057)."""
        head, entry_id = self._db.execute(_HEAD_AND_ID).fetchone()
        prev = head or GENESIS
        entry = AuditEntry(
            at=self._now, actor_id=0, actor_name=self._actor, action=action,
            subject_type="okidoc", subject_id=okidoc_id, school_id=school_id,
            changes=tuple(FieldChange(c["path"], c["old"], c["new"]) for c in changes),
            detail=detail,
        )  # fmt: skip
        audit = (entry_id, self._audit_at, 0, self._actor, action, "okidoc", okidoc_id, school_id)
        own = link_hash(entry_id, entry, prev)
        self._db.execute(_AUDIT, (*audit, None, json.dumps(changes), detail, prev, own))


def pragmas(connection: sqlite3.Connection) -> tuple[Any, ...]:
    """The settings that decide what a commit costs, read back from a connection."""
    names = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    return tuple(connection.execute(f"PRAGMA {name}").fetchone()[0] for name in names)


def _fresh(stored: list[Doc], incoming: list[tuple[Doc, bytes]]) -> list[tuple[Doc, bytes]]:
    """Attachments whose content the Oki-doc does not have yet (each content once)."""
    known = {a["sha256"] for a in stored}
    fresh = []
    for record, data in incoming:
        if record["sha256"] not in known:
            known.add(record["sha256"])
            fresh.append((record, data))
    return fresh


def _filled(item: Doc | None) -> bool:
    if item is None or item["value"] is None:
        return False
    return not (item["type"] == "str" and not item["value"].strip())


def _text(kind: str, value: Any) -> str:
    return ("ja" if value else "nee") if kind == "bool" else str(value)


def _incoming(stored: dict[str, Doc], d: BareDossier) -> dict[str, Typed]:
    """The dossier's fields plus the definitive advice when its code is confirmed (FILL)."""
    advice = _CONFIRMED_ADVICE.get(d.advice_code)
    if advice is None or _filled(stored.get(f.ADVICE_DEFINITIVE)):
        return d.fields
    return {**d.fields, f.ADVICE_DEFINITIVE: ("str", advice)}


def _merge_fields(stored: dict[str, Doc], incoming: dict[str, Typed], stamp: Doc) -> list[Doc]:
    """FILL: only empty fields; an empty one can never equal a (non-empty) incoming value."""
    changes = []
    for path in sorted(incoming):
        old = stored.get(path)
        if _filled(old):
            continue
        kind, value = incoming[path]
        stored[path] = {"type": kind, "value": value, **stamp}
        was = None if old is None else _text(old["type"], old["value"])
        changes.append({"path": path, "old": was, "new": _text(kind, value)})
    return changes


def _test_key(r: Doc) -> tuple[str, str, str]:
    return (r["test_name"].strip().lower(), r["subject"].strip().lower(), r["taken_on"])


def _test_label(r: Doc) -> str:
    return f"toetsresultaat {r['test_name']} {r['subject']} {r['taken_on']}"


def _test_text(r: Doc) -> str:
    parts = (("score", r["score"]), ("DLE", r["dle"]), ("DL", r["dl"]), ("niveau", r["level"]))
    return ", ".join(f"{k} {v}" for k, v in parts if v is not None and v != "")


def _merge_tests(
    stored: list[Doc], incoming: list[Doc], oldest: int
) -> tuple[list[Doc], list[Doc]]:
    """FILL: new results by natural key; then the stored ones past retention go."""
    merged = {_test_key(r): r for r in stored}
    changes = []
    for result in incoming:
        key = _test_key(result)
        if key not in merged:  # FILL keeps a stored result, and the first of a repeated one
            merged[key] = result
            changes.append({"path": _test_label(result), "old": None, "new": _test_text(result)})
    kept = [r for r in merged.values() if r["school_year"] >= oldest]
    changes += [
        {"path": _test_label(r), "old": _test_text(r), "new": None}
        for r in merged.values()
        if r["school_year"] < oldest
    ]
    return kept, changes


def _merge_career(stored: list[Doc], incoming: list[Doc]) -> tuple[list[Doc], list[Doc]]:
    merged = {(e["school_name"].strip().lower(), e["start"], e["group"]): e for e in stored}
    changes = []
    for entry in incoming:
        key = (entry["school_name"].strip().lower(), entry["start"], entry["group"])
        if key not in merged:
            merged[key] = entry
            name, start, end = entry["school_name"], entry["start"], entry["end"] or "heden"
            text = f"{name} {entry['group']} {start} t/m {end}"
            label = f"schoolloopbaan {entry['school_name']} {entry['start']}"
            changes.append({"path": label, "old": None, "new": text.strip()})
    return sorted(merged.values(), key=lambda e: (e["start"], e["school_name"])), changes


def _facts(fields: dict[str, Doc]) -> tuple[bool, bool, bool, str | None, str | None, bool]:
    """The overview columns (``overview.okidoc_facts``)."""

    def flag(path: str) -> bool:
        item = fields.get(path)
        return item is not None and item["value"] is True

    def text(path: str) -> str | None:
        item = fields.get(path)
        if item is None or item["type"] != "str":
            return None
        return (item["value"].strip() or None) and item["value"].strip()[:40]

    return (
        flag(f.ADVICE_EXTRA_SUPPORT),
        flag(f.ADVICE_TAFELTJESMIDDAG),
        flag("vo.tafelmiddag"),
        text(f.FINAL_TEST_OUTCOME),
        text(f.ADVICE_DEFINITIVE),
        _filled(fields.get(f.ADVICE_DEVIATION_MOTIVATION)),
    )
