"""JSON forms of a registration's lists (R-AAN): the preference list with its first-choice
options, and an earlier definitive list; the same conventions as ``codecs`` (enum values, ISO
times, missing keys fall back to the domain defaults)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PastRegistration,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
)

Doc = dict[str, Any]


def preferences_to_json(preferences: PreferenceList) -> Doc:
    """A ranked preference list with the first-choice options."""
    options, claim = preferences.first_choice, preferences.first_choice.priority_claim
    return {
        "school_ids": list(preferences.school_ids),
        "priority_claim": None
        if claim is None
        else {"kind": claim.kind.value, "name": claim.name, "class_name": claim.class_name},
        "equivalent_level": options.equivalent_level,
        "multiple_birth": options.multiple_birth,
    }


def preferences_from_json(doc: Mapping[str, Any]) -> PreferenceList:
    """The inverse of ``preferences_to_json``."""
    claim = doc.get("priority_claim")
    return PreferenceList(
        school_ids=tuple(int(i) for i in doc.get("school_ids", ())),
        first_choice=FirstChoiceOptions(
            priority_claim=None
            if claim is None
            else PriorityClaim(PriorityKind(claim["kind"]), claim["name"], claim["class_name"]),
            equivalent_level=bool(doc.get("equivalent_level", False)),
            multiple_birth=bool(doc.get("multiple_birth", False)),
        ),
    )


def past_registration_to_json(past: PastRegistration) -> Doc:
    """An earlier definitive list with when it was made definitive and replaced."""
    return {
        "preferences": preferences_to_json(past.preferences),
        "definitive_at": past.definitive_at.isoformat(),
        "replaced_at": past.replaced_at.isoformat(),
    }


def past_registration_from_json(doc: Mapping[str, Any]) -> PastRegistration:
    """The inverse of ``past_registration_to_json``."""
    return PastRegistration(
        preferences=preferences_from_json(doc["preferences"]),
        definitive_at=dt.datetime.fromisoformat(doc["definitive_at"]),
        replaced_at=dt.datetime.fromisoformat(doc["replaced_at"]),
    )
