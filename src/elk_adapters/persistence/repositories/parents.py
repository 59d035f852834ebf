"""Registrations, parent accounts and parents' correction requests in SQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Row

from elk_adapters.persistence import tables as t
from elk_adapters.persistence.errors import database_errors
from elk_adapters.persistence.registration_codecs import (
    past_registration_from_json,
    past_registration_to_json,
    preferences_from_json,
    preferences_to_json,
)
from elk_adapters.persistence.repositories.base import SqlRepository
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.account import CorrectionRequest, OrientationEntry, ParentAccount
from elk_domain.parents.registration import Registration, RegistrationStatus

DUPLICATE_REGISTRATION = "Deze leerling heeft in deze procedure al een aanmelding."
DUPLICATE_ACCOUNT = "Deze leerling heeft voor dit portaal al een ouderaccount."


def _registration_values(registration: Registration) -> Mapping[str, Any]:
    definitive = registration.definitive
    return {
        "pupil_id": registration.pupil_id,
        "procedure": registration.procedure,
        "status": registration.status.value,
        "preferences": preferences_to_json(registration.preferences),
        "definitive": None if definitive is None else preferences_to_json(definitive),
        "history": [past_registration_to_json(p) for p in registration.history],
        "first_choice_school_id": None if definitive is None else definitive.first_choice_id,
        "updated_at": registration.updated_at,
        "definitive_at": registration.definitive_at,
        "priority_granted": registration.priority_granted,
        "priority_reason": registration.priority_reason,
    }


def _registration_from_row(row: Row[Any]) -> Registration:
    definitive = row.definitive
    return Registration(
        id=row.id,
        pupil_id=row.pupil_id,
        procedure=row.procedure,
        preferences=preferences_from_json(row.preferences),
        definitive=None if definitive is None else preferences_from_json(definitive),
        history=tuple(past_registration_from_json(p) for p in row.history or ()),
        updated_at=row.updated_at,
        definitive_at=row.definitive_at,
        priority_granted=row.priority_granted,
        priority_reason=row.priority_reason,
        version=row.version,
    )


_REGISTRATION_FOR_PUPIL = sa.select(t.registrations).where(
    t.registrations.c.pupil_id == sa.bindparam("b_pupil"),
    t.registrations.c.procedure == sa.bindparam("b_procedure"),
)


class SqlAlchemyRegistrationRepository(SqlRepository):
    """Registrations, one per pupil and procedure."""

    label = "Aanmelding"

    def for_pupil(self, pupil_id: int, procedure: str) -> Registration | None:
        """The pupil's registration in that procedure, if any."""
        params = {"b_pupil": pupil_id, "b_procedure": procedure}
        with database_errors():
            row = self._connection.execute(_REGISTRATION_FOR_PUPIL, params).first()
        return None if row is None else _registration_from_row(row)

    def at_school(self, school_id: int) -> Sequence[Registration]:
        """Definitive registrations with this school as first choice."""
        query = (
            sa.select(t.registrations)
            .where(t.registrations.c.first_choice_school_id == school_id)
            .where(t.registrations.c.status == RegistrationStatus.DEFINITIVE.value)
            .order_by(t.registrations.c.id)
        )
        return [_registration_from_row(row) for row in self._execute(query)]

    def first_choice_counts(self, school_ids: Iterable[int]) -> Mapping[int, int]:
        """Per school, definitive registrations with it as first choice (one grouped query)."""
        wanted = list(set(school_ids))
        if not wanted:
            return {}
        first = t.registrations.c.first_choice_school_id
        query = (
            sa.select(first.label("school"), sa.func.count().label("n"))
            .where(first.in_(wanted))
            .where(t.registrations.c.status == RegistrationStatus.DEFINITIVE.value)
            .group_by(first)
        )
        return {row.school: row.n for row in self._execute(query)}

    def add(self, registration: Registration) -> Registration:
        """Store a new registration and return it with its id."""
        values = _registration_values(registration)
        return self._add_versioned(
            t.registrations, registration, values, duplicate=DUPLICATE_REGISTRATION
        )

    def update(self, registration: Registration) -> Registration:
        """Save changes; Conflict on a stale version. Returns the new version."""
        values = _registration_values(registration)
        return self._save_versioned(
            t.registrations, registration, values, duplicate=DUPLICATE_REGISTRATION
        )


def _account_values(account: ParentAccount) -> Mapping[str, Any]:
    return {
        "pupil_id": account.pupil_id,
        "portal": account.portal.value,
        "email": account.email,
        "password_hash": account.password_hash,
        "token_digest": account.token_digest,
        "token_expires_at": account.token_expires_at,
        "session_version": account.session_version,
    }


def _account_from_row(row: Row[Any]) -> ParentAccount:
    return ParentAccount(
        id=row.id,
        pupil_id=row.pupil_id,
        portal=ParentPortal(row.portal),
        email=row.email,
        password_hash=row.password_hash,
        token_digest=row.token_digest,
        token_expires_at=row.token_expires_at,
        session_version=row.session_version,
        version=row.version,
    )


class SqlAlchemyParentAccountRepository(SqlRepository):
    """Parent logins, one per pupil and portal."""

    label = "Ouderaccount"

    def _one(self, *conditions: sa.ColumnElement[bool]) -> ParentAccount | None:
        row = self._execute(sa.select(t.parent_accounts).where(*conditions)).first()
        return None if row is None else _account_from_row(row)

    def for_pupil(self, pupil_id: int, portal: ParentPortal) -> ParentAccount | None:
        """The pupil's account for that portal, if a login was sent."""
        columns = t.parent_accounts.c
        return self._one(columns.pupil_id == pupil_id, columns.portal == portal.value)

    def get(self, account_id: int) -> ParentAccount:
        """Raises NotFound."""
        return _account_from_row(self._row(t.parent_accounts, account_id))

    def by_elk_number(self, elk_number: int, portal: ParentPortal) -> ParentAccount | None:
        """The account of the pupil with this ELK number."""
        pupil = sa.select(t.pupils.c.id).where(t.pupils.c.elk_number == elk_number)
        columns = t.parent_accounts.c
        of_pupil = columns.pupil_id == pupil.scalar_subquery()
        return self._one(of_pupil, columns.portal == portal.value)

    def by_token_digest(self, digest: str) -> ParentAccount | None:
        """The account whose pending set-password token has this digest."""
        return self._one(t.parent_accounts.c.token_digest == digest)

    def add(self, account: ParentAccount) -> ParentAccount:
        """Store a new account and return it with its id."""
        values = _account_values(account)
        return self._add_versioned(t.parent_accounts, account, values, duplicate=DUPLICATE_ACCOUNT)

    def update(self, account: ParentAccount) -> ParentAccount:
        """Save changes; Conflict on a stale version. Returns the new version."""
        values = _account_values(account)
        return self._save_versioned(t.parent_accounts, account, values, duplicate=DUPLICATE_ACCOUNT)


def _request_from_row(row: Row[Any]) -> CorrectionRequest:
    return CorrectionRequest(
        id=row.id,
        pupil_id=row.pupil_id,
        school_id=row.school_id,
        message=row.message,
        created_at=row.created_at,
        version=row.version,
    )


class SqlAlchemyCorrectionRequestRepository(SqlRepository):
    """Parents' correction requests, newest first."""

    label = "Correctieverzoek"

    def add(self, request: CorrectionRequest) -> CorrectionRequest:
        """Store a new request and return it with its id."""
        values = {
            "pupil_id": request.pupil_id,
            "school_id": request.school_id,
            "message": request.message,
            "created_at": request.created_at,
            "version": request.version,
        }
        return attrs.evolve(request, id=self._insert(t.correction_requests, values))

    def _newest(self, condition: sa.ColumnElement[bool]) -> Sequence[CorrectionRequest]:
        columns = t.correction_requests.c
        query = (
            sa.select(t.correction_requests)
            .where(condition)
            .order_by(columns.created_at.desc(), columns.id.desc())
        )
        return [_request_from_row(row) for row in self._execute(query)]

    def for_pupil(self, pupil_id: int) -> Sequence[CorrectionRequest]:
        """The requests about one pupil, newest first."""
        return self._newest(t.correction_requests.c.pupil_id == pupil_id)

    def for_school(self, school_id: int) -> Sequence[CorrectionRequest]:
        """The requests for one school, newest first."""
        return self._newest(t.correction_requests.c.school_id == school_id)


class SqlAlchemyOrientationListRepository(SqlRepository):
    """The orientation lists (R-AAN-6): one entry per VO school and pupil."""

    label = "Oriëntatielijst"

    def placeable_schools(self, pupil_id: int) -> frozenset[int]:
        """The VO schools whose list holds the pupil as placeable."""
        columns = t.orientation_lists.c
        query = sa.select(columns.vo_school_id).where(
            columns.pupil_id == pupil_id, columns.placeable.is_(True)
        )
        return frozenset(row.vo_school_id for row in self._execute(query))

    def save(self, entry: OrientationEntry) -> OrientationEntry:
        """Add the entry, or change the one for this school and pupil."""
        columns = t.orientation_lists.c
        found = self._execute(
            sa.select(columns.id, columns.version).where(
                columns.vo_school_id == entry.vo_school_id, columns.pupil_id == entry.pupil_id
            )
        ).first()
        values = {"placeable": entry.placeable, "recorded_at": entry.recorded_at}
        if found is None:
            new = {"vo_school_id": entry.vo_school_id, "pupil_id": entry.pupil_id, **values}
            return attrs.evolve(entry, id=self._insert(t.orientation_lists, new))
        self._execute(
            sa.update(t.orientation_lists)
            .where(columns.id == found.id)
            .values(**values, version=found.version + 1)
        )
        return attrs.evolve(entry, id=found.id, version=found.version + 1)
