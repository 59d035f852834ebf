"""Sample Oki-doc content for demos, documentation and tests: one made-up, complete pupil."""

from __future__ import annotations

import datetime as dt

from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue, Provenance, Source

#: Form input (as typed) that fills every required field of a procedure without LWOO/PrO.
COMPLETE_INPUT: dict[str, str] = {
    f.PUPIL_FIRST_NAME: "Sam",
    f.PUPIL_LAST_NAME: "Jansen",
    f.PUPIL_BIRTH_DATE: "14-05-2013",
    "leerling.geslacht": "Meisje",
    "leerling.straat": "Dorpsstraat",
    "leerling.huisnummer": "12",
    "leerling.postcode": "1181AB",
    "leerling.woonplaats": "Amstelveen",
    "ouders.0.relatie": "Moeder",
    "ouders.0.achternaam": "Jansen",
    "ouders.0.straat": "Dorpsstraat",
    "ouders.0.huisnummer": "12",
    "ouders.0.postcode": "1181 AB",
    "ouders.0.woonplaats": "Amstelveen",
    "ouders.0.telefoon": "020-1234567",
    f.PARENT_EMAIL: "ouder@example.org",
    f.ADVICE_PROVISIONAL_7: "havo",
    f.ADVICE_PROVISIONAL_8: "havo/vwo",
    f.ADVICE_PROVISIONAL_8_GROUNDS: "Werkt zelfstandig en haalt goede resultaten.",
    f.ADVICE_EXTRA_SUPPORT: "nee",
    f.ADVICE_CONTACT: "Juf Eva",
    f.ADVICE_TAFELTJESMIDDAG: "nee",
    **{path: "Gaat goed" for path in f.support_trait_paths()},
}


def complete_fields(at: dt.datetime, by: str = "voorbeeld") -> dict[str, FieldValue]:
    """``COMPLETE_INPUT`` parsed into stored values, as if typed by ``by`` at ``at``."""
    provenance = Provenance(Source.HAND, at, by)
    values = {path: f.parse_value(f.spec_for(path), raw) for path, raw in COMPLETE_INPUT.items()}
    return {path: FieldValue(v, provenance) for path, v in values.items() if v is not None}
