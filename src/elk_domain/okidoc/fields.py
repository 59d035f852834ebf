"""The Oki-doc's tabs and fields (R-OKI-1): one catalogue drives forms, checks and merges.

Each field has a dotted path (the key in ``OkiDoc.fields``). Parents use templates
(``ouders.{n}.email``) resolved by ``spec_for``; only the first parent's fields can be required.
This module is the one place callers import from: it re-exports the types (``catalogue.spec``)
and the catalogue data (``catalogue.entries``) and adds the lookups. Parsing raw form input into
stored values lives in ``elk_domain.okidoc.catalogue.parsing``.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs

from elk_domain.errors import Rejected
from elk_domain.okidoc.catalogue.entries import (
    ADVICE_CONTACT,
    ADVICE_DEFINITIVE,
    ADVICE_DEFINITIVE_GROUNDS,
    ADVICE_DEVIATION_MOTIVATION,
    ADVICE_EXTRA_SUPPORT,
    ADVICE_EXTRA_SUPPORT_EXPLANATION,
    ADVICE_PARENTS_INVOLVED,
    ADVICE_PROVISIONAL_7,
    ADVICE_PROVISIONAL_8,
    ADVICE_PROVISIONAL_8_GROUNDS,
    ADVICE_TAFELTJESMIDDAG,
    CATALOGUE,
    FINAL_TEST_DATE,
    FINAL_TEST_NAME,
    FINAL_TEST_OUTCOME,
    FINAL_TEST_PATHS,
    FINAL_TEST_SCORES,
    INSPECTION_DATE,
    INSPECTION_PATHS,
    LWOO_CAP,
    LWOO_CONSENT,
    LWOO_INSTITUTION,
    LWOO_LAT,
    LWOO_RESEARCHER,
    LWOO_SEM,
    PARENT_EMAIL,
    PARENTS_AGREE,
    PARENTS_VIEW,
    PUPIL_BIRTH_DATE,
    PUPIL_FIRST_NAME,
    PUPIL_LAST_NAME,
    PUPIL_TUSSENVOEGSEL,
    STAFF_MEMBER,
    SUPPORT_LEVELS,
    SUPPORT_NEEDED,
    explanation_path,
)
from elk_domain.okidoc.catalogue.parsing import parse
from elk_domain.okidoc.catalogue.spec import FieldSpec, Kind, Tab
from elk_domain.okidoc.model import Scalar

__all__ = [
    "ADVICE_CONTACT",
    "ADVICE_DEFINITIVE",
    "ADVICE_DEFINITIVE_GROUNDS",
    "ADVICE_DEVIATION_MOTIVATION",
    "ADVICE_EXTRA_SUPPORT",
    "ADVICE_EXTRA_SUPPORT_EXPLANATION",
    "ADVICE_PARENTS_INVOLVED",
    "ADVICE_PROVISIONAL_7",
    "ADVICE_PROVISIONAL_8",
    "ADVICE_PROVISIONAL_8_GROUNDS",
    "ADVICE_TAFELTJESMIDDAG",
    "CATALOGUE",
    "FINAL_TEST_DATE",
    "FINAL_TEST_NAME",
    "FINAL_TEST_OUTCOME",
    "FINAL_TEST_PATHS",
    "FINAL_TEST_SCORES",
    "INSPECTION_DATE",
    "INSPECTION_PATHS",
    "LWOO_CAP",
    "LWOO_CONSENT",
    "LWOO_INSTITUTION",
    "LWOO_LAT",
    "LWOO_RESEARCHER",
    "LWOO_SEM",
    "MAX_PARENTS",
    "PARENTS_AGREE",
    "PARENTS_VIEW",
    "PARENT_EMAIL",
    "PUPIL_BIRTH_DATE",
    "PUPIL_FIRST_NAME",
    "PUPIL_LAST_NAME",
    "PUPIL_TUSSENVOEGSEL",
    "STAFF_MEMBER",
    "SUPPORT_LEVELS",
    "SUPPORT_NEEDED",
    "TAFELMIDDAG_VO",
    "FieldSpec",
    "Kind",
    "Tab",
    "country_path_for",
    "explanation_path",
    "fields_of",
    "is_known",
    "parent_path",
    "parse_value",
    "spec_for",
    "support_trait_paths",
    "text_of",
]

MAX_PARENTS = 4

#: Set by the VO school the pupil registered at (R-LL-1 "Tafelmiddag VO", R-AUTH-5); not a field
#: of the PO's form, shown as a column of the PO's pupil overview.
TAFELMIDDAG_VO = "vo.tafelmiddag"

_BY_PATH: dict[str, FieldSpec] = {spec.path: spec for spec in CATALOGUE}
_PARENT = re.compile(r"^ouders\.(\d)\.(\w+)$")


def spec_for(path: str) -> FieldSpec:
    """The spec of a concrete path; ``ouders.3.email`` resolves via its template."""
    found = _BY_PATH.get(path)
    if found is not None and not found.is_template:
        return found
    match = _PARENT.match(path)
    if match is not None and int(match.group(1)) < MAX_PARENTS:
        template = _BY_PATH.get(f"ouders.{{n}}.{match.group(2)}")
        if template is not None:
            first = int(match.group(1)) == 0
            return attrs.evolve(template, path=path, required=template.required and first)
    raise Rejected(f"'{path}' is geen veld van het Oki-doc.")


def is_known(path: str) -> bool:
    """True when ``spec_for`` would resolve the path."""
    try:
        spec_for(path)
    except Rejected:
        return False
    return True


def parent_path(index: int, name: str) -> str:
    """The concrete path of a parent field: ``parent_path(0, 'email') == 'ouders.0.email'``."""
    return f"ouders.{index}.{name}"


def fields_of(tab: Tab, *, parents: int = 1) -> tuple[FieldSpec, ...]:
    """The concrete fields of one tab in form order; parent fields repeated per parent."""
    own = [s for s in CATALOGUE if s.tab is tab]
    templates = [s for s in own if s.is_template]
    specs = [s for s in own if not s.is_template]
    for index in range(min(max(parents, 1), MAX_PARENTS) if templates else 0):
        specs.extend(spec_for(t.path.replace("{n}", str(index))) for t in templates)
    return tuple(specs)


def parse_value(spec: FieldSpec, raw: str, *, country: str = "NL") -> Scalar | None:
    """Parse form input for ``spec`` into a stored value; None clears it; Rejected says why."""
    return parse(spec, raw, country=country)


def support_trait_paths() -> tuple[str, ...]:
    """All fields answered with 'gaat goed / vraagt aandacht / vraagt ondersteuning'."""
    return tuple(s.path for s in CATALOGUE if s.choices == SUPPORT_LEVELS)


def country_path_for(path: str) -> str | None:
    """The country field next to a postcode field, so a foreign postcode is not rejected."""
    if not path.endswith(".postcode"):
        return None
    return path.removesuffix("postcode") + "land"


def text_of(value: Scalar | None) -> str | None:
    """A value as text for the audit log and the merge preview (dates ISO, booleans ja/nee)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
