"""Turns a planned pupil into the Oki-doc content a first OSO transfer would have brought."""

from __future__ import annotations

import datetime as dt

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


def okidoc_for(plan: PupilPlan, pupil_id: int, *, at: dt.datetime, las: str) -> OkiDoc:
    """An Onvolledig Oki-doc: pupil and parent data and provisional advice; tests attached."""
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


def _grounds(plan: PupilPlan) -> str:
    return (
        f"{plan.name.first} laat in groep 6 tot en met 8 een leerrendement zien dat past bij "
        f"het advies {plan.advice.code}. Werkhouding en motivatie zijn in overleg met de ouders "
        "besproken."
    )
