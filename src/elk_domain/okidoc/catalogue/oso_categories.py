"""The OSO categories ("Categorie uitlevering", code list 48) as the Oki-doc meets them.

A LAS delivers a dossier in categories (hoofdblokken); parents may withhold one (OPT-UIT,
"selectief uitleveren"). The Oki-doc remembers which ones were withheld (``OkiDoc.withheld``),
so a field of such a category reads "niet uitgeleverd via OSO" instead of asking staff to type
what the parents chose not to pass on. The names are the element names without ``cat_``, as in
``elk_domain.oso.dossiers.dossier.CATEGORIES``.
"""

from __future__ import annotations

#: Dutch names of the categories, for the Oki-doc page, the PDF and the sync result.
LABELS: dict[str, str] = {
    "metadata": "Metadata",
    "ouderinzage": "Ouderinzage",
    "school": "School",
    "leerling": "Leerling",
    "oudersverzorgers": "Ouders/verzorgers",
    "vve": "Voor- en vroegschoolse educatie (VVE)",
    "schoolloopbaan": "Schoolloopbaan",
    "overstapadvies": "Overstapadvies",
    "onderwijsondersteuning": "Onderwijsondersteuning",
    "verzuim": "Verzuim",
    "eindtoetsbo": "Doorstroomtoets (eindtoets)",
    "toetsresultaten": "Toetsresultaten",
    "handelingsplannen": "Handelingsplannen",
    "cijferlijsten": "Cijferlijsten",
    "vombo": "VO-MBO",
    "bijlagedocs": "Overige bijlagen",
}


#: Which category carries an OSO field, by the start of its path (see docs/oso.md's table).
_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("leerling.", "leerling"),
    ("ouders.", "oudersverzorgers"),
    ("advies.doorstroomtoets.", "eindtoetsbo"),
    ("advies.voorlopig_groep8", "overstapadvies"),
    ("advies.definitief", "overstapadvies"),
    ("ondersteuning.verzuim.", "verzuim"),
)


def category_of(path: str) -> str:
    """The category whose block carries the OSO field at ``path``; '' when none does."""
    return next((name for prefix, name in _BY_PREFIX if path.startswith(prefix)), "")


def labels(categories: frozenset[str] | set[str]) -> str:
    """The categories as one Dutch list in code-list order: 'Ouders/verzorgers, Verzuim'."""
    return ", ".join(label for name, label in LABELS.items() if name in categories)
