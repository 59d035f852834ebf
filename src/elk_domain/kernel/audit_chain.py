"""The hash chain over the audit log: each entry's hash covers its content and its predecessor's.

Anyone can re-compute a link (decision 0057): ``canonical`` is the exact byte string that is
hashed with SHA-256. A changed entry no longer matches its own hash; a removed entry leaves the
next one pointing at a hash that is not its predecessor's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable

import attrs

from elk_domain.kernel.audit import AuditEntry

#: The "previous hash" of the first entry of the chain.
GENESIS = "0" * 64


def canonical(entry_id: int, entry: AuditEntry, prev_hash: str) -> bytes:
    """The serialisation that is hashed: sorted-key compact JSON in UTF-8 (decision 0057)."""
    doc = {
        "id": entry_id,
        "at": entry.at.astimezone(dt.UTC).replace(tzinfo=None).isoformat("T", "microseconds") + "Z",
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "school_id": entry.school_id,
        "impersonator_id": entry.impersonator_id,
        "changes": [[c.path, c.old, c.new] for c in entry.changes],
        "detail": entry.detail,
        "prev_hash": prev_hash,
    }
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def link_hash(entry_id: int, entry: AuditEntry, prev_hash: str) -> str:
    """The SHA-256 (lower-case hex) of ``canonical``: the entry's own hash."""
    return hashlib.sha256(canonical(entry_id, entry, prev_hash)).hexdigest()


@attrs.frozen
class ChainLink:
    """One stored entry with its id and the two hashes stored beside it."""

    id: int
    entry: AuditEntry
    prev_hash: str
    row_hash: str


@attrs.frozen
class ChainBreak:
    """The first entry where the chain does not hold, and what is wrong there (Dutch)."""

    id: int
    reason: str


@attrs.frozen(kw_only=True)
class ChainReport:
    """The outcome of a walk: entries checked, the last one's id and hash, the first break."""

    checked: int
    last_id: int | None
    head_hash: str
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        """True when every link holds."""
        return self.broken is None


def walk(links: Iterable[ChainLink]) -> ChainReport:
    """Check the links in id order; stop at the first break (``links`` is read lazily)."""
    checked, last_id, expected = 0, None, GENESIS
    for link in links:
        problem = _problem(link, last_id, expected)
        if problem is not None:
            broken = ChainBreak(link.id, problem)
            return ChainReport(checked=checked, last_id=last_id, head_hash=expected, broken=broken)
        checked, last_id, expected = checked + 1, link.id, link.row_hash
    return ChainReport(checked=checked, last_id=last_id, head_hash=expected, broken=None)


def _problem(link: ChainLink, last_id: int | None, expected: str) -> str | None:
    if link.prev_hash != expected:
        before = "het begin van de keten" if last_id is None else f"auditregel {last_id}"
        return (
            f"de verwijzing naar de vorige regel klopt niet: die past niet bij {before}. "
            "Er is een regel verwijderd of ingevoegd, of de vorige regel is gewijzigd."
        )
    if link_hash(link.id, link.entry, link.prev_hash) != link.row_hash:
        return "de inhoud past niet bij de opgeslagen hash: deze regel is gewijzigd."
    return None
