"""Turns a planned pupil into the Oki-doc content a first OSO transfer would have brought."""

from __future__ import annotations

import datetime as dt

from elk_adapters.demo.finaltests import FinalTestPlan, Reaction
from elk_adapters.demo.pupils import ParentPlan, PupilPlan
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue, OkiDoc, Provenance, Scalar, Source

_NATIONALITY = {
    "Nederland": "Nederlandse",
    "Turkije": "Turkse",
    "Marokko": "Marokkaanse",
    "Polen": "Poolse",
    "Vietnam": "Vietnamese",
    "India": "Indiase",
    "Suriname": "Surinaamse",
}


def okidoc_for(
    plan: PupilPlan,
    pupil_id: int,
    *,
    at: dt.datetime,
    las: str,
    final_test: FinalTestPlan | None = None,
) -> OkiDoc:
    """An Onvolledig Oki-doc: pupil and parent data and provisional advice; tests attached;
    the doorstroomtoets and the definitive advice when ``final_test`` is given."""
    oso = Provenance(Source.OSO, at, las)
    hand = Provenance(Source.HAND, at, "Demo")
    values: dict[str, FieldValue] = {
        path: FieldValue(value, oso) for path, value in _pupil_values(plan).items()
    }
    for index, parent in enumerate(plan.parents):
        for name, value in _parent_values(plan, parent).items():
            values[f.parent_path(index, name)] = FieldValue(value, oso)
    values[f.ADVICE_PROVISIONAL_7] = FieldValue(plan.advice.code, hand)
    values[f.ADVICE_PROVISIONAL_8] = FieldValue(plan.advice.code, oso)
    values[f.ADVICE_PROVISIONAL_8_GROUNDS] = FieldValue(_grounds(plan), oso)
    if final_test is not None:
        values.update(_final_test_values(plan, final_test, oso, hand))
    return OkiDoc(id=0, pupil_id=pupil_id, fields=values, test_results=plan.tests)


def _pupil_values(plan: PupilPlan) -> dict[str, Scalar]:
    address = plan.address
    values: dict[str, Scalar] = {
        f.PUPIL_FIRST_NAME: plan.name.first,
        "leerling.roepnaam": plan.name.first,
        f.PUPIL_LAST_NAME: plan.name.last,
        f.PUPIL_BIRTH_DATE: plan.birth_date,
        "leerling.geslacht": plan.gender,
        "leerling.geboorteland": plan.birth_country,
        "leerling.nationaliteit": _NATIONALITY.get(plan.birth_country, "Nederlandse"),
        "leerling.straat": address.street,
        "leerling.huisnummer": address.house_number,
        "leerling.postcode": address.postcode,
        "leerling.woonplaats": address.city,
        "leerling.land": "Nederland",
    }
    if plan.name.tussenvoegsel:
        values[f.PUPIL_TUSSENVOEGSEL] = plan.name.tussenvoegsel
    return values


def _parent_values(plan: PupilPlan, parent: ParentPlan) -> dict[str, Scalar]:
    address = plan.address
    values: dict[str, Scalar] = {
        "relatie": parent.relation,
        "voorletters": f"{parent.name.first[0]}.",
        "voornaam": parent.name.first,
        "achternaam": parent.name.last,
        "straat": address.street,
        "huisnummer": address.house_number,
        "postcode": address.postcode,
        "woonplaats": address.city,
        "land": "Nederland",
        "email": parent.email,
        "ouderlijk_gezag": True,
    }
    if parent.name.tussenvoegsel:
        values["tussenvoegsel"] = parent.name.tussenvoegsel
    return values


def _final_test_values(
    plan: PupilPlan, test: FinalTestPlan, oso: Provenance, hand: Provenance
) -> dict[str, FieldValue]:
    """The result as the LAS delivers it over OSO; the school's answer to R-DT-4 by hand."""
    values = {
        f.FINAL_TEST_NAME: FieldValue(test.test, oso),
        f.FINAL_TEST_DATE: FieldValue(test.taken_on, oso),
        f.FINAL_TEST_OUTCOME: FieldValue(test.outcome.code, oso),
        f.FINAL_TEST_SCORES: FieldValue(test.scores, oso),
        f.ADVICE_DEFINITIVE: FieldValue(test.definitive.code, hand),
    }
    if test.reaction is Reaction.KEPT and test.parents_involved is not None:
        values[f.ADVICE_DEVIATION_MOTIVATION] = FieldValue(
            f"{plan.name.first} scoorde op de toets hoger dan verwacht. Werkhouding en "
            f"resultaten over drie jaar passen bij {test.definitive.code}; met de ouders "
            "besproken en zo afgesproken.",
            hand,
        )
        values[f.ADVICE_PARENTS_INVOLVED] = FieldValue(test.parents_involved, hand)
    return values


def _grounds(plan: PupilPlan) -> str:
    return (
        f"{plan.name.first} laat in groep 6 tot en met 8 een leerrendement zien dat past bij "
        f"het advies {plan.advice.code}. Werkhouding en motivatie zijn in overleg met de ouders "
        "besproken."
    )
