"""The audit hash chain: the documented serialisation, and a walk that finds the first break."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import attrs
from hypothesis import given
from hypothesis import strategies as st

from elk_domain.kernel.audit import AuditEntry, FieldChange
from elk_domain.kernel.audit_chain import (
    GENESIS,
    ChainLink,
    canonical,
    link_hash,
    walk,
)
from elk_domain.logbooks.chain import verify_audit_chain
from elk_domain.testing import InMemoryStore, InMemoryUnitOfWork

AMSTERDAM = dt.timezone(dt.timedelta(hours=1))
text = st.text(max_size=12)
entries = st.builds(
    AuditEntry,
    at=st.datetimes(timezones=st.just(dt.UTC)),
    actor_id=st.integers(0, 10**6),
    actor_name=text,
    action=text,
    subject_type=text,
    subject_id=st.none() | st.integers(1, 10**6),
    school_id=st.none() | st.integers(1, 10**6),
    impersonator_id=st.none() | st.integers(1, 10**6),
    changes=st.lists(
        st.builds(FieldChange, text, st.none() | text, st.none() | text), max_size=3
    ).map(tuple),
    detail=text,
)


def chained(items: list[AuditEntry]) -> list[ChainLink]:
    """The links the in-memory audit log makes of ``items``."""
    uow = InMemoryUnitOfWork(InMemoryStore())
    with uow:
        for item in items:
            uow.audit.record(item)
        uow.commit()
        return list(uow.audit.chain())


class TestSerialisation:
    def test_is_sorted_compact_utf8_json_of_the_documented_fields(self) -> None:
        """Decision 0057 states this form; anyone re-computing a hash relies on it."""
        entry = AuditEntry(
            at=dt.datetime(2026, 12, 3, 13, 0, 5, 7, tzinfo=AMSTERDAM),
            actor_id=0,
            actor_name="systeem (CLI)",
            action="gebruiker_aangemaakt",
            subject_type="user",
            subject_id=12,
            changes=(FieldChange("rol", None, "functioneel beheerder"),),
            detail="één",
        )

        data = canonical(5, entry, GENESIS)

        assert data.decode("utf-8") == (
            '{"action":"gebruiker_aangemaakt","actor_id":0,"actor_name":"systeem (CLI)",'
            '"at":"2026-12-03T12:00:05.000007Z","changes":[["rol",null,"functioneel beheerder"]],'
            '"detail":"één","id":5,"impersonator_id":null,"prev_hash":"' + GENESIS + '",'
            '"school_id":null,"subject_id":12,"subject_type":"user"}'
        )
        assert link_hash(5, entry, GENESIS) == hashlib.sha256(data).hexdigest()

    @given(entries, st.integers(1, 10**9))
    def test_is_json_that_reads_back_to_the_same_fields(self, entry: AuditEntry, n: int) -> None:
        doc = json.loads(canonical(n, entry, GENESIS))

        assert doc["id"] == n
        assert doc["actor_name"] == entry.actor_name
        assert doc["changes"] == [[c.path, c.old, c.new] for c in entry.changes]


class TestWalk:
    @given(st.lists(entries, max_size=6))
    def test_a_chain_as_written_is_intact(self, items: list[AuditEntry]) -> None:
        links = chained(items)

        report = walk(iter(links))

        assert report.intact
        assert report.checked == len(items)
        assert report.last_id == (links[-1].id if links else None)
        assert report.head_hash == (links[-1].row_hash if links else GENESIS)

    @given(st.lists(entries, min_size=1, max_size=6), st.data())
    def test_a_changed_entry_is_named(self, items: list[AuditEntry], data: st.DataObject) -> None:
        links = chained(items)
        at = data.draw(st.integers(0, len(links) - 1))
        changed = attrs.evolve(links[at].entry, detail=links[at].entry.detail + "!")
        links[at] = attrs.evolve(links[at], entry=changed)

        report = walk(links)

        assert report.broken is not None
        assert report.broken.id == links[at].id
        assert "gewijzigd" in report.broken.reason
        assert (report.checked, report.intact) == (at, False)

    @given(st.lists(entries, min_size=2, max_size=6), st.data())
    def test_a_removed_entry_breaks_the_next_link(
        self, items: list[AuditEntry], data: st.DataObject
    ) -> None:
        links = chained(items)
        at = data.draw(st.integers(0, len(links) - 2))
        del links[at]

        report = walk(links)

        assert report.broken is not None
        assert report.broken.id == links[at].id
        before = "het begin van de keten" if at == 0 else f"auditregel {links[at - 1].id}"
        assert before in report.broken.reason
        assert "verwijderd" in report.broken.reason


def test_verify_audit_chain_walks_the_committed_log() -> None:
    store = InMemoryStore()
    uow = InMemoryUnitOfWork(store)
    with uow:
        uow.audit.record(
            AuditEntry(
                at=dt.datetime(2026, 12, 3, tzinfo=dt.UTC),
                actor_id=0,
                actor_name="systeem",
                action="x",
                subject_type="y",
            )
        )
        uow.commit()

    report = verify_audit_chain(InMemoryUnitOfWork(store))

    assert (report.intact, report.checked, report.last_id) == (True, 1, 1)
