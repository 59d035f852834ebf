"""The region's VO overviews in SQL (issue 15 item 7): one grouped SELECT for the registrations
of every VO school, one SELECT for the pupils without a definitive registration.

A registration is definitive when its ``status`` is AV (``definitive`` is JSON, and a JSON
column may hold ``null`` rather than SQL NULL); its first-choice school is the copied-out
``first_choice_school_id``. The advice is the Oki-doc's ``definitive_advice`` overview column
(``overview.okidoc_facts``), so no Oki-doc JSON is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from elk_adapters.persistence import tables as t
from elk_adapters.persistence.errors import database_errors
from elk_domain.kernel.values import ElkNumber, PersonName
from elk_domain.parents.registration import RegistrationStatus
from elk_domain.pupils.model import ReasonNotPlaced
from elk_domain.vo.model import AdviceCount, UnregisteredPupil

_p, _o, _r, _s = t.pupils, t.okidocs, t.registrations, t.schools
_DEFINITIVE = RegistrationStatus.DEFINITIVE.value
_REASON = {r.value: r for r in ReasonNotPlaced}


def _advice_counts(school_ids: list[int]) -> Any:
    return (
        sa.select(_r.c.first_choice_school_id, _o.c.definitive_advice, sa.func.count())
        .select_from(_r)
        .outerjoin(_o, _o.c.pupil_id == _r.c.pupil_id)
        .where(_r.c.status == _DEFINITIVE, _r.c.first_choice_school_id.in_(school_ids))
        .group_by(_r.c.first_choice_school_id, _o.c.definitive_advice)
    )


def _unregistered(school_ids: list[int]) -> Any:
    registration = sa.select(_r.c.id).where(_r.c.pupil_id == _p.c.id)
    definitive = registration.where(_r.c.status == _DEFINITIVE)
    return (
        sa.select(
            _p.c.id,
            _p.c.elk_number,
            _p.c.first_name,
            _p.c.tussenvoegsel,
            _p.c.last_name,
            _p.c.reason_not_placed,
            _s.c.id.label("school_id"),
            _s.c.name.label("school_name"),
            registration.exists().label("started"),
        )
        .select_from(_p)
        .join(_s, _s.c.id == _p.c.school_id)
        .where(_p.c.school_id.in_(school_ids), ~definitive.exists())
        .order_by(
            _s.c.name,
            _s.c.id,
            sa.func.lower(_p.c.last_name),
            sa.func.lower(_p.c.first_name),
            _p.c.id,
        )
    )


class SqlAlchemyVoRegionQuery:
    """Satisfies ``elk_domain.vo.ports.VoRegionQuery`` with one statement per call."""

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection

    def _rows(self, statement: Any) -> Sequence[Any]:
        with database_errors():
            return self._connection.execute(statement).all()

    def advice_counts(self, school_ids: Iterable[int]) -> Sequence[AdviceCount]:
        """Per VO school among these and definitive advice: its definitive first choices."""
        ids = sorted(set(school_ids))
        if not ids:
            return []
        return [AdviceCount(s, a, n) for s, a, n in self._rows(_advice_counts(ids))]

    def unregistered(self, school_ids: Iterable[int]) -> Sequence[UnregisteredPupil]:
        """The pupils of these PO schools without a definitive registration, by school and name."""
        ids = sorted(set(school_ids))
        if not ids:
            return []
        return [
            UnregisteredPupil(
                pupil_id=r.id,
                elk_number=ElkNumber(r.elk_number),
                name=PersonName(r.first_name, r.last_name, r.tussenvoegsel),
                school_id=r.school_id,
                school_name=r.school_name,
                started=bool(r.started),
                reason_not_placed=_REASON.get(r.reason_not_placed),
            )
            for r in self._rows(_unregistered(ids))
        ]
