"""A few demo pupils ready for the ouderinlog: so that whoever tries the demo on a Monday morning
can send a parent login straight away and walk through the parents' portal, without first
completing an Oki-doc by hand. The first pupils of the demo school's group 8a get every required
field, a doorstroomtoets outcome equal to the advice, the definitive advice, and Definitief."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.okidoc import fields as f
from elk_domain.okidoc.catalogue.samples import complete_fields
from elk_domain.okidoc.model import FieldValue, OkiStatus, Provenance, Source
from elk_domain.unit_of_work import UnitOfWork

READY = 3


def make_ready_for_parent_login(
    uow: UnitOfWork, school_id: int, group_id: int, now: dt.datetime
) -> list[int]:
    """Make the group's first ``READY`` pupils' Oki-docs Definitief and complete; their ids."""
    hand = Provenance(Source.HAND, now, "Demo")
    ready = []
    for pupil in uow.pupils.list(school_id, group_ids=[group_id])[:READY]:
        okidoc = uow.okidocs.for_pupil(pupil.id)
        advice = okidoc.value(f.ADVICE_PROVISIONAL_8)
        if advice is None:  # the demo gives every pupil a provisional advice
            continue
        decided = {path: FieldValue(advice, hand)
                   for path in (f.ADVICE_DEFINITIVE, f.FINAL_TEST_OUTCOME)}  # fmt: skip
        filled = {**complete_fields(now, "Demo"), **okidoc.fields, **decided}
        uow.okidocs.update(attrs.evolve(okidoc, fields=filled, status=OkiStatus.DEFINITIEF))
        ready.append(pupil.id)
    return ready
