"""JSON forms of the domain values that are stored as documents inside a row.

Every encoder has a decoder next to it; the JSON keeps enum *values* and ISO dates, so the
stored documents stay readable in ``psql``/``sqlite3`` and survive renaming a Python name.
Missing keys fall back to the domain defaults, so adding a field needs no data migration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from elk_domain.kernel.advice import Level
from elk_domain.kernel.audit import FieldChange
from elk_domain.kernel.values import SchoolYear
from elk_domain.okidoc.model import (
    Attachment,
    CareerEntry,
    FieldValue,
    Provenance,
    Scalar,
    Source,
    TestResult,
)
from elk_domain.organisation.model import Period, Timeline

Doc = dict[str, Any]


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _scalar_to_json(value: Scalar) -> tuple[str, Any]:
    """The stored type name and JSON value of a scalar."""
    # bool before int: bool is a subclass of int; datetime never occurs (dates only).
    if isinstance(value, bool):
        return "bool", value
    if isinstance(value, int):
        return "int", value
    if isinstance(value, dt.date):
        return "date", value.isoformat()
    return "str", value


def _scalar_from_json(doc: Mapping[str, Any]) -> Scalar:
    kind, value = doc["type"], doc["value"]
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "bool":
        return bool(value)
    if kind == "int":
        return int(value)
    return str(value)


def fields_to_json(fields: Mapping[str, FieldValue]) -> Doc:
    """Oki-doc field values with their provenance, keyed by field path."""
    # Fields set together share one Provenance (an OSO merge sets dozens): its texts are made
    # once per object, not per field (``isoformat`` of an aware time asks its zone each time).
    stamps: dict[int, tuple[str, str, str]] = {}
    doc: Doc = {}
    for path, field in fields.items():
        provenance = field.provenance
        stamp = stamps.get(id(provenance))
        if stamp is None:
            stamp = (provenance.source.value, provenance.at.isoformat(), provenance.by)
            stamps[id(provenance)] = stamp
        kind, value = _scalar_to_json(field.value)
        doc[path] = {
            "type": kind,
            "value": value,
            "source": stamp[0],
            "at": stamp[1],
            "by": stamp[2],
        }
        if provenance.inferred_from:  # an advice read from its OSO code (decision 0005)
            doc[path]["inferred_from"] = provenance.inferred_from
    return doc


def fields_from_json(doc: Mapping[str, Any]) -> dict[str, FieldValue]:
    """The inverse of ``fields_to_json``."""
    return {
        path: FieldValue(
            _scalar_from_json(item),
            Provenance(
                Source(item["source"]),
                dt.datetime.fromisoformat(item["at"]),
                item["by"],
                item.get("inferred_from", ""),
            ),
        )
        for path, item in doc.items()
    }


def test_results_to_json(results: Iterable[TestResult]) -> list[Doc]:
    """Test results in their stored order."""
    return [
        {
            "school_year": r.school_year.start,
            "taken_on": r.taken_on.isoformat(),
            "test_name": r.test_name,
            "subject": r.subject,
            "score": r.score,
            "dle": r.dle,
            "dl": r.dl,
            "level": r.level,
            "source": r.source.value,
        }
        for r in results
    ]


def test_results_from_json(docs: Iterable[Mapping[str, Any]]) -> tuple[TestResult, ...]:
    """The inverse of ``test_results_to_json``."""
    return tuple(
        TestResult(
            school_year=SchoolYear(d["school_year"]),
            taken_on=dt.date.fromisoformat(d["taken_on"]),
            test_name=d["test_name"],
            subject=d["subject"],
            score=d.get("score", ""),
            dle=d.get("dle"),
            dl=d.get("dl"),
            level=d.get("level", ""),
            source=Source(d.get("source", Source.OSO.value)),
        )
        for d in docs
    )


def career_to_json(entries: Iterable[CareerEntry]) -> list[Doc]:
    """School career entries in their stored order."""
    return [
        {
            "school_name": e.school_name,
            "start": e.start.isoformat(),
            "end": _iso(e.end),
            "brin": e.brin,
            "group": e.group,
            "source": e.source.value,
        }
        for e in entries
    ]


def career_from_json(docs: Iterable[Mapping[str, Any]]) -> tuple[CareerEntry, ...]:
    """The inverse of ``career_to_json``."""
    return tuple(
        CareerEntry(
            school_name=d["school_name"],
            start=dt.date.fromisoformat(d["start"]),
            end=_date(d.get("end")),
            brin=d.get("brin", ""),
            group=d.get("group", ""),
            source=Source(d.get("source", Source.OSO.value)),
        )
        for d in docs
    )


def attachments_to_json(attachments: Iterable[Attachment]) -> list[Doc]:
    """Attachment metadata (the bytes live in the FileStore)."""
    return [
        {
            "kind": a.kind,
            "filename": a.filename,
            "content_type": a.content_type,
            "size": a.size,
            "sha256": a.sha256,
            "storage_key": a.storage_key,
            "added_at": a.added_at.isoformat(),
            "added_by": a.added_by,
            "source": a.source.value,
        }
        for a in attachments
    ]


def attachments_from_json(docs: Iterable[Mapping[str, Any]]) -> tuple[Attachment, ...]:
    """The inverse of ``attachments_to_json``."""
    return tuple(
        Attachment(
            kind=d["kind"],
            filename=d["filename"],
            content_type=d["content_type"],
            size=d["size"],
            sha256=d["sha256"],
            storage_key=d["storage_key"],
            added_at=dt.datetime.fromisoformat(d["added_at"]),
            added_by=d.get("added_by", ""),
            source=Source(d.get("source", Source.HAND.value)),
        )
        for d in docs
    )


def levels_to_json(levels: Iterable[Level]) -> list[str]:
    """VO levels, low to high."""
    return [level.value for level in sorted(levels, key=lambda level: level.rank)]


def capacity_to_json(capacity: Mapping[Level, int]) -> Doc:
    """Places per level."""
    return {level.value: places for level, places in capacity.items()}


def capacity_from_json(doc: Mapping[str, Any]) -> dict[Level, int]:
    """The inverse of ``capacity_to_json``."""
    return {Level(value): int(places) for value, places in doc.items()}


def _period_to_json(period: Period | None) -> Doc | None:
    return None if period is None else {"start": _iso(period.start), "end": _iso(period.end)}


def _period_from_json(doc: Mapping[str, Any] | None) -> Period | None:
    if doc is None:
        return None
    return Period(dt.date.fromisoformat(doc["start"]), dt.date.fromisoformat(doc["end"]))


def timeline_to_json(timeline: Timeline) -> Doc:
    """The regional timeline."""
    return {
        "parent_login": _period_to_json(timeline.parent_login),
        "registration": _period_to_json(timeline.registration),
        "registration_week": _period_to_json(timeline.registration_week),
        "placement_date": _iso(timeline.placement_date),
        "capacity_deadline": _iso(timeline.capacity_deadline),
    }


def timeline_from_json(doc: Mapping[str, Any]) -> Timeline:
    """The inverse of ``timeline_to_json``."""
    return Timeline(
        parent_login=_period_from_json(doc.get("parent_login")),
        registration=_period_from_json(doc.get("registration")),
        registration_week=_period_from_json(doc.get("registration_week")),
        placement_date=_date(doc.get("placement_date")),
        capacity_deadline=_date(doc.get("capacity_deadline")),
    )


def changes_to_json(changes: Iterable[FieldChange]) -> list[Doc]:
    """Audited field changes."""
    return [{"path": c.path, "old": c.old, "new": c.new} for c in changes]


def changes_from_json(docs: Iterable[Mapping[str, Any]]) -> tuple[FieldChange, ...]:
    """The inverse of ``changes_to_json``."""
    return tuple(FieldChange(d["path"], d.get("old"), d.get("new")) for d in docs)
