"""One OSO dossier in the domain's terms: what the OSO adapter hands to the merge (R-OSO-4).

The adapter maps the XML onto Oki-doc field paths; only fields the catalogue marks as OSO
fields may appear. The raw advice code stays raw: ``elk_domain.oso.dossiers.advice_codes``
decides what it means, so an unknown code is never silently guessed.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Mapping

import attrs

from elk_domain.errors import Rejected
from elk_domain.kernel.values import Bsn, SchoolLocation
from elk_domain.okidoc.fields import spec_for
from elk_domain.okidoc.model import CareerEntry, Scalar, TestResult


@attrs.frozen(kw_only=True)
class DossierAttachment:
    """A file from the dossier (bijlage); the use case stores ``data`` in the FileStore."""

    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    data: bytes = attrs.field(repr=False)

    @classmethod
    def from_bytes(
        cls, *, kind: str, filename: str, content_type: str, data: bytes
    ) -> DossierAttachment:
        """Build from the decoded bytes, computing size and checksum."""
        return cls(
            kind=kind,
            filename=filename,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
        )


@functools.cache
def _is_oso_path(path: str) -> bool:
    # Cached: every dossier names the same few dozen paths. An unknown path raises Rejected,
    # which is not cached, so the cache only holds catalogue paths.
    return spec_for(path).oso


def _check_oso_paths(_: object, __: object, value: Mapping[str, Scalar]) -> None:
    wrong = sorted(path for path in value if not _is_oso_path(path))
    if wrong:
        raise Rejected(f"Geen OSO-velden in het Oki-doc: {', '.join(wrong)}.")


@attrs.frozen(kw_only=True)
class RuleMessage:
    """One message of Edustandaard's official OV business rules about a dossier (R-OKI-4).

    The school fixes what it says in its LAS; ELK shows it as the rules word it.
    """

    rule: str  # the business rule's code where the stylesheet gives one (e.g. "OVb.MD03"), else ""
    severity: str  # as the rules report it, e.g. "fout" or "waarschuwing"
    location: str  # where in the dossier, an XPath as the rules report it
    text: str  # the official Dutch text


#: The categories (hoofdblokken) of "Categorie uitlevering" (code list 48), by their element name
#: without ``cat_``. A category marked OPT-UIT was withheld by the parents (selectief uitleveren).
CATEGORIES = (
    "metadata",
    "ouderinzage",
    "school",
    "leerling",
    "oudersverzorgers",
    "vve",
    "schoolloopbaan",
    "overstapadvies",
    "onderwijsondersteuning",
    "verzuim",
    "eindtoetsbo",
    "toetsresultaten",
    "handelingsplannen",
    "cijferlijsten",
    "vombo",
    "bijlagedocs",
)


@attrs.frozen(kw_only=True)
class OsoDossier:
    """A parsed OSO dossier: sender, pupil, date and the data mapped onto the Oki-doc."""

    sender: SchoolLocation
    bsn: Bsn
    dossier_date: dt.datetime
    gegevensset_version: str = "2019.1"
    sender_name: str = ""
    fields: Mapping[str, Scalar] = attrs.field(factory=dict, validator=_check_oso_paths)
    test_results: tuple[TestResult, ...] = ()
    final_test_results: tuple[TestResult, ...] = ()  # the doorstroomtoets block
    career: tuple[CareerEntry, ...] = ()
    attachments: tuple[DossierAttachment, ...] = ()
    advice_code: str | None = None  # overstapadvies/advies (or herzienadvies), code list 2
    group_name: str = ""
    group_teachers: tuple[str, ...] = ()
    #: Messages of the official business rules; the dossier passed the XSD (else it is refused).
    rule_messages: tuple[RuleMessage, ...] = ()
    #: Categories (``CATEGORIES``) the parents withheld (OPT-UIT): not delivered, not empty.
    withheld: frozenset[str] = frozenset()

    @property
    def sender_label(self) -> str:
        """Who sent it, for provenance: 'De Regenboog (12AB00)' or the location alone."""
        where = str(self.sender)
        return f"{self.sender_name} ({where})" if self.sender_name else where

    def check_identity(
        self, *, location: SchoolLocation | None = None, pupil_bsn: Bsn | None = None
    ) -> None:
        """Rejected unless this is the dossier asked for (see ``check_identity``)."""
        check_identity(self.sender, self.bsn, location=location, pupil_bsn=pupil_bsn)


def check_identity(
    sender: SchoolLocation,
    bsn: Bsn,
    *,
    location: SchoolLocation | None = None,
    pupil_bsn: Bsn | None = None,
) -> None:
    """Rejected unless a dossier from ``sender`` about ``bsn`` is the one asked for.

    The one identity check of a dossier: it comes from the school's own ``location`` (BRIN
    and vestiging: OSO within the own BRIN) and is about the pupil with ``pupil_bsn``. The
    parser calls it before reading the rest, the sync on what the gateway returned, the merge
    again on the pupil read in its own transaction. Names and birth dates are not compared:
    OSO is asked by BSN, and the LAS's spelling may differ from ELK's.
    """
    if location is not None and sender != location:
        raise Rejected(
            f"Het dossier komt van BRIN {sender.brin} (locatie {sender}), maar is opgevraagd "
            f"voor {location}: een andere BRIN of vestiging. Het is niet ingelezen."
        )
    if pupil_bsn is not None and bsn != pupil_bsn:
        raise Rejected("Dit OSO-dossier hoort bij een andere leerling: het BSN komt niet overeen.")
