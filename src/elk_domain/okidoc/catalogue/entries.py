"""The Oki-doc's fields as data (R-OKI-1): the well-known paths and the 83-entry catalogue.

Per tab, sections hold rows of (path, label, kind, flags); the support traits are generated with
their explanation fields. Lookups over this data live in ``elk_domain.okidoc.fields``.
"""

from __future__ import annotations

from elk_domain.okidoc.catalogue.oso_categories import category_of
from elk_domain.okidoc.catalogue.spec import FieldSpec, Kind, Tab

PUPIL_FIRST_NAME = "leerling.voornaam"
PUPIL_TUSSENVOEGSEL = "leerling.tussenvoegsel"
PUPIL_LAST_NAME = "leerling.achternaam"
PUPIL_BIRTH_DATE = "leerling.geboortedatum"
PARENT_EMAIL = "ouders.0.email"
ADVICE_PROVISIONAL_7 = "advies.voorlopig_groep7"
ADVICE_PROVISIONAL_8 = "advies.voorlopig_groep8"
ADVICE_PROVISIONAL_8_GROUNDS = "advies.voorlopig_groep8_onderbouwing"
FINAL_TEST_NAME = "advies.doorstroomtoets.naam"
FINAL_TEST_OUTCOME = "advies.doorstroomtoets.uitslag"
FINAL_TEST_DATE = "advies.doorstroomtoets.datum"
FINAL_TEST_SCORES = "advies.doorstroomtoets.scores"
ADVICE_DEFINITIVE = "advies.definitief"
ADVICE_DEFINITIVE_GROUNDS = "advies.definitief_onderbouwing"
ADVICE_DEVIATION_MOTIVATION = "advies.motivatie_afwijking_toets"
ADVICE_PARENTS_INVOLVED = "advies.ouders_betrokken_op"
ADVICE_EXTRA_SUPPORT = "advies.extra_ondersteuning"
ADVICE_EXTRA_SUPPORT_EXPLANATION = "advies.extra_ondersteuning_toelichting"
ADVICE_CONTACT = "advies.contactpersoon"
ADVICE_TAFELTJESMIDDAG = "advies.tafeltjesmiddag"
LWOO_LAT = "lwoo.lat_deelname"
LWOO_CAP = "lwoo.cap_deelname"
LWOO_SEM = "lwoo.sem_deelname"
LWOO_CONSENT = "lwoo.toestemming"
LWOO_INSTITUTION = "lwoo.instelling"
LWOO_RESEARCHER = "lwoo.onderzoeker"
INSPECTION_DATE = "overzicht.inzage_datum"
PARENTS_AGREE = "overzicht.akkoord_ouders"
PARENTS_VIEW = "overzicht.zienswijze_ouders"
STAFF_MEMBER = "overzicht.medewerker"

#: Fields that may still change on a Definitief Oki-doc: the final test arrives after inspection.
FINAL_TEST_PATHS: frozenset[str] = frozenset(
    {
        FINAL_TEST_NAME,
        FINAL_TEST_OUTCOME,
        FINAL_TEST_DATE,
        FINAL_TEST_SCORES,
        ADVICE_DEFINITIVE,
        ADVICE_DEFINITIVE_GROUNDS,
        ADVICE_DEVIATION_MOTIVATION,
        ADVICE_PARENTS_INVOLVED,
    }
)
INSPECTION_PATHS: frozenset[str] = frozenset(
    {INSPECTION_DATE, PARENTS_AGREE, PARENTS_VIEW, STAFF_MEMBER}
)

#: The three answers per support trait; only the last one needs an explanation.
SUPPORT_LEVELS: tuple[tuple[str, str], ...] = (
    ("gaat_goed", "Gaat goed"),
    ("vraagt_aandacht", "Vraagt aandacht"),
    ("vraagt_ondersteuning", "Vraagt ondersteuning"),
)
SUPPORT_NEEDED = "vraagt_ondersteuning"

_GENDERS = (("man", "Jongen"), ("vrouw", "Meisje"), ("onbekend", "Onbekend"))
_RELATIONS = (
    ("moeder", "Moeder"),
    ("vader", "Vader"),
    ("verzorger", "Verzorger"),
    ("pleegouder", "Pleegouder"),
    ("voogd", "Voogd"),
    ("anders", "Anders"),
)

# Per tab: section → rows of (path, label, kind, flags); flags "R" required, "O" filled from OSO.
_Row = tuple[str, str, Kind, str]
_K = Kind
_LEERLING: dict[str, tuple[_Row, ...]] = {
    "Leerling": (
        (PUPIL_FIRST_NAME, "Voornaam", _K.TEXT, "RO"),
        ("leerling.roepnaam", "Roepnaam", _K.TEXT, "O"),
        (PUPIL_TUSSENVOEGSEL, "Tussenvoegsel", _K.TEXT, "O"),
        (PUPIL_LAST_NAME, "Achternaam", _K.TEXT, "RO"),
        (PUPIL_BIRTH_DATE, "Geboortedatum", _K.DATE, "RO"),
        ("leerling.geslacht", "Geslacht", _K.CHOICE, "RO"),
        ("leerling.geboorteland", "Geboorteland", _K.TEXT, "O"),
        ("leerling.nationaliteit", "Nationaliteit", _K.TEXT, "O"),
    ),
    "Adres leerling": (
        ("leerling.straat", "Straat", _K.TEXT, "RO"),
        ("leerling.huisnummer", "Huisnummer", _K.TEXT, "RO"),
        ("leerling.postcode", "Postcode", _K.POSTCODE, "RO"),
        ("leerling.woonplaats", "Woonplaats", _K.TEXT, "RO"),
        ("leerling.land", "Land", _K.TEXT, "O"),
        ("leerling.telefoon", "Telefoon", _K.PHONE, "O"),
        ("leerling.email", "E-mailadres leerling", _K.EMAIL, ""),
    ),
    "Ouder/verzorger": (
        ("ouders.{n}.relatie", "Relatie tot leerling", _K.CHOICE, "RO"),
        ("ouders.{n}.voorletters", "Voorletters", _K.TEXT, "O"),
        ("ouders.{n}.voornaam", "Voornaam", _K.TEXT, "O"),
        ("ouders.{n}.tussenvoegsel", "Tussenvoegsel", _K.TEXT, "O"),
        ("ouders.{n}.achternaam", "Achternaam", _K.TEXT, "RO"),
        ("ouders.{n}.straat", "Straat", _K.TEXT, "RO"),
        ("ouders.{n}.huisnummer", "Huisnummer", _K.TEXT, "RO"),
        ("ouders.{n}.postcode", "Postcode", _K.POSTCODE, "RO"),
        ("ouders.{n}.woonplaats", "Woonplaats", _K.TEXT, "RO"),
        ("ouders.{n}.land", "Land", _K.TEXT, "O"),
        ("ouders.{n}.telefoon", "Telefoon", _K.PHONE, "RO"),
        ("ouders.{n}.telefoon_werk", "Telefoon werk", _K.PHONE, "O"),
        ("ouders.{n}.email", "E-mailadres", _K.EMAIL, "RO"),
        ("ouders.{n}.ouderlijk_gezag", "Ouderlijk gezag", _K.BOOL, "O"),
    ),
}
_ADVIES: dict[str, tuple[_Row, ...]] = {
    "Voorlopig advies": (
        (ADVICE_PROVISIONAL_7, "Voorlopig advies groep 7", _K.ADVICE, "R"),
        (ADVICE_PROVISIONAL_8, "Voorlopig advies groep 8", _K.ADVICE, "RO"),
        (ADVICE_PROVISIONAL_8_GROUNDS, "Onderbouwing voorlopig advies groep 8", _K.LONGTEXT, "RO"),
    ),
    "Doorstroomtoets": (
        (FINAL_TEST_NAME, "Naam doorstroomtoets", _K.TEXT, "O"),
        (FINAL_TEST_OUTCOME, "Uitslag doorstroomtoets", _K.ADVICE, "O"),
        (FINAL_TEST_DATE, "Datum doorstroomtoets", _K.DATE, "O"),
        (FINAL_TEST_SCORES, "Scores doorstroomtoets", _K.LONGTEXT, ""),
    ),
    "Definitief advies": (
        (ADVICE_DEFINITIVE, "Definitief advies groep 8", _K.ADVICE, "O"),
        (ADVICE_DEFINITIVE_GROUNDS, "Onderbouwing definitief advies groep 8", _K.LONGTEXT, "O"),
        (
            ADVICE_DEVIATION_MOTIVATION,
            "Motivatie advies lager dan doorstroomtoets",
            _K.LONGTEXT,
            "",
        ),
        (ADVICE_PARENTS_INVOLVED, "Datum ouders betrokken bij heroverweging", _K.DATE, ""),
    ),
    "Ondersteuning in het VO": (
        (ADVICE_EXTRA_SUPPORT, "Extra ondersteuning nodig in het VO", _K.BOOL, "R"),
        (ADVICE_EXTRA_SUPPORT_EXPLANATION, "Toelichting extra ondersteuning", _K.LONGTEXT, ""),
    ),
    "Contact": (
        (ADVICE_CONTACT, "Contactpersoon", _K.TEXT, "R"),
        ("advies.contactpersoon_telefoon", "Telefoon contactpersoon", _K.PHONE, ""),
        (ADVICE_TAFELTJESMIDDAG, "Bespreken op tafeltjesmiddag", _K.BOOL, "RO"),
    ),
}
_LWOO: dict[str, tuple[_Row, ...]] = {
    "Onderzoek": (
        (LWOO_LAT, "Deelname LAT", _K.BOOL, "R"),
        (LWOO_CAP, "Deelname CAP", _K.BOOL, ""),
        (LWOO_SEM, "Deelname SEM", _K.BOOL, ""),
        (LWOO_CONSENT, "Toestemmingsformulier ouders ontvangen", _K.BOOL, ""),
        (LWOO_INSTITUTION, "Instelling", _K.TEXT, ""),
        (LWOO_RESEARCHER, "Naam onderzoeker", _K.TEXT, ""),
    ),
    "Toelichting": (
        ("lwoo.toelichting", "Toelichting op advies voor indicatie LWOO/PrO", _K.LONGTEXT, ""),
    ),
}
_VERZUIM: dict[str, tuple[_Row, ...]] = {
    "Verzuim": (
        ("ondersteuning.verzuim.geoorloofd", "Verzuim geoorloofd (dagdelen)", _K.INTEGER, "O"),
        ("ondersteuning.verzuim.ongeoorloofd", "Verzuim ongeoorloofd (dagdelen)", _K.INTEGER, "O"),
        ("ondersteuning.verzuim.toelichting", "Toelichting verzuim", _K.LONGTEXT, ""),
    ),
}
_OVERZICHT: dict[str, tuple[_Row, ...]] = {
    "Inzage en akkoord ouders": (
        (INSPECTION_DATE, "Datum inzage ouders", _K.DATE, ""),
        (PARENTS_AGREE, "Ouders akkoord", _K.BOOL, ""),
        (PARENTS_VIEW, "Reden en/of zienswijze ouders", _K.LONGTEXT, ""),
        (STAFF_MEMBER, "Medewerker", _K.TEXT, ""),
    ),
}
_DIDACTIC = (
    ("technisch_lezen", "Technisch lezen"),
    ("begrijpend_lezen", "Begrijpend lezen"),
    ("spelling", "Spelling"),
    ("rekenen", "Rekenen"),
)
_TRAITS = (
    ("concentratie", "Concentratie"),
    ("motivatie", "Motivatie"),
    ("zelfstandigheid", "Zelfstandigheid"),
    ("taakaanpak", "Taakaanpak"),
    ("sociaal_gedrag", "Sociaal gedrag"),
    ("gedrag_in_de_groep", "Gedrag in de groep"),
    ("zelfbeeld", "Zelfbeeld"),
    ("weerbaarheid", "Weerbaarheid"),
)


def _rows(tab: Tab, sections: dict[str, tuple[_Row, ...]]) -> list[FieldSpec]:
    choices = {"leerling.geslacht": _GENDERS, "ouders.{n}.relatie": _RELATIONS}
    return [
        FieldSpec(
            path=path,
            label=label,
            tab=tab,
            kind=kind,
            required="R" in flags,
            oso="O" in flags,
            category=category_of(path) if "O" in flags else "",
            section=section,
            choices=choices.get(path, ()),
        )
        for section, rows in sections.items()
        for path, label, kind, flags in rows
    ]


def _traits(prefix: str, section: str, traits: tuple[tuple[str, str], ...]) -> list[FieldSpec]:
    specs: list[FieldSpec] = []
    for key, label in traits:
        path = f"ondersteuning.{prefix}.{key}"
        specs.append(
            FieldSpec(
                path=path,
                label=label,
                tab=Tab.ONDERSTEUNING,
                kind=Kind.CHOICE,
                required=True,
                choices=SUPPORT_LEVELS,
                section=section,
            )
        )
        specs.append(
            FieldSpec(
                path=explanation_path(path),
                label=f"Toelichting {label.lower()}",
                tab=Tab.ONDERSTEUNING,
                kind=Kind.LONGTEXT,
                section=section,
            )
        )
    return specs


def explanation_path(trait_path: str) -> str:
    """The explanation field that belongs to a support trait."""
    return f"{trait_path}_toelichting"


CATALOGUE: tuple[FieldSpec, ...] = (
    *_rows(Tab.LEERLING, _LEERLING),
    *_rows(Tab.ADVIES, _ADVIES),
    *_rows(Tab.LWOO_PRO, _LWOO),
    *_rows(Tab.ONDERSTEUNING, _VERZUIM),
    *_traits("didactisch", "Extra ondersteuning didactische vaardigheden", _DIDACTIC),
    *_traits("werkhouding", "Extra ondersteuning werkhouding en gedrag", _TRAITS),
    *_rows(Tab.OVERZICHT, _OVERZICHT),
)
"""Every field of the Oki-doc; Toetsresultaten and Bijlagen hold records, not fields."""
