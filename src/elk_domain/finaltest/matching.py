"""Which pupil a result line belongs to, and only when that is certain (R-DT-2).

Certain is: the BSN in the file is the pupil's, with a birth date that agrees; or, without a
usable BSN, exactly one of the school's pupils has the line's birth date, surname and first name
(compared by ``names``) and that pupil's own BSN does not contradict the file. Everything else
(twins given only initials, two lines for one pupil, a name that is merely close, a pupil not in
ELK) is uncertain or not found, with the reason and the pupils it might be. A result is never
attached to a child on a guess: the school chooses.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from elk_domain.finaltest.names import first_name_key, initials_of, surname_key
from elk_domain.finaltest.results import ResultLine
from elk_domain.kernel.values import Bsn
from elk_domain.pupils.model import Pupil

#: How close a spelling must be (difflib ratio of the whole name) to offer the pupil as candidate.
CLOSE_NAME = 0.75


class MatchStatus(enum.Enum):
    """The three outcomes of matching a line, as the preview groups them."""

    MATCHED = "gekoppeld"
    UNCERTAIN = "onzeker"
    NOT_FOUND = "niet gevonden"


@attrs.frozen(kw_only=True)
class LineMatch:
    """A line with its verdict, the reason in Dutch, and the pupil or the candidates."""

    line: ResultLine
    status: MatchStatus
    reason: str
    pupil: Pupil | None = None
    candidates: tuple[Pupil, ...] = ()


@attrs.frozen
class _Known:
    """A pupil with the keys lines are compared on."""

    pupil: Pupil
    surname: str
    first: str


class _Index:
    """The school's pupils by BSN and by birth date."""

    def __init__(self, pupils: Iterable[Pupil]) -> None:
        self.all = [
            _Known(p, surname_key(p.name.tussenvoegsel, p.name.last), first_name_key(p.name.first))
            for p in pupils
        ]
        self.by_bsn = {k.pupil.bsn.value: k for k in self.all if k.pupil.bsn is not None}
        self.by_day: dict[dt.date, list[_Known]] = {}
        self.by_day_surname: dict[tuple[dt.date, str], list[_Known]] = {}
        for known in self.all:
            if known.pupil.birth_date is not None:
                self.by_day.setdefault(known.pupil.birth_date, []).append(known)
                key = (known.pupil.birth_date, known.surname)
                self.by_day_surname.setdefault(key, []).append(known)


def _usable_bsn(line: ResultLine) -> str | None:
    if not line.bsn.strip() or not Bsn.is_valid(line.bsn):
        return None
    return Bsn.parse(line.bsn).value


def _matched(line: ResultLine, pupil: Pupil, reason: str) -> LineMatch:
    return LineMatch(line=line, status=MatchStatus.MATCHED, reason=reason, pupil=pupil)


def _uncertain(line: ResultLine, reason: str, candidates: Iterable[Pupil]) -> LineMatch:
    return LineMatch(
        line=line, status=MatchStatus.UNCERTAIN, reason=reason, candidates=tuple(candidates)
    )


def _by_bsn(line: ResultLine, known: _Known) -> LineMatch:
    born = known.pupil.birth_date
    if born is not None and born != line.birth_date:
        return _uncertain(
            line, "Het BSN hoort bij deze leerling, maar de geboortedatum verschilt.", [known.pupil]
        )
    return _matched(line, known.pupil, "Gekoppeld op BSN.")


def match_line(line: ResultLine, index: _Index) -> LineMatch:
    """The verdict on one line against the school's pupils (see the module's doc)."""
    bsn = _usable_bsn(line)
    if bsn is not None and bsn in index.by_bsn:
        return _by_bsn(line, index.by_bsn[bsn])
    surname = surname_key(line.tussenvoegsel, line.last_name)
    initials = initials_of(line.first_name)
    same_day = index.by_day_surname.get((line.birth_date, surname), [])
    if initials is not None:
        fits = [k.pupil for k in same_day if k.first.startswith(initials[0])]
        if fits:
            return _uncertain(line, "Het bestand noemt alleen voorletters: kies de leerling.", fits)
    else:
        first = first_name_key(line.first_name)
        exact = [k.pupil for k in same_day if k.first == first]
        if len(exact) > 1:
            return _uncertain(line, "Meer leerlingen met deze naam en geboortedatum.", exact)
        if exact:
            return _exact(line, exact[0], bsn)
    return _near(line, index, surname)


def _exact(line: ResultLine, pupil: Pupil, bsn: str | None) -> LineMatch:
    if bsn is not None and pupil.bsn is not None:
        return _uncertain(line, "Naam en geboortedatum kloppen, maar het BSN verschilt.", [pupil])
    return _matched(line, pupil, "Gekoppeld op geboortedatum en naam.")


def _near(line: ResultLine, index: _Index, surname: str) -> LineMatch:
    """Pupils the line might mean: a close spelling on the same day, or the same name."""
    written = surname + first_name_key(line.first_name)
    first = first_name_key(line.first_name)
    close = [
        k.pupil
        for k in index.by_day.get(line.birth_date, [])
        if difflib.SequenceMatcher(None, written, k.surname + k.first).ratio() >= CLOSE_NAME
    ]
    if close:
        return _uncertain(line, "Geboortedatum klopt, de naam is anders gespeld.", close)
    namesakes = [k.pupil for k in index.all if k.surname == surname and k.first == first]
    if namesakes:
        return _uncertain(line, "Naam klopt, de geboortedatum verschilt.", namesakes)
    return LineMatch(
        line=line,
        status=MatchStatus.NOT_FOUND,
        reason="Geen leerling van de school met deze naam en geboortedatum.",
    )


def _other_school(line: ResultLine, location: str) -> bool:
    written = "".join(line.brin.split()).replace("-", "").upper()
    return not (len(written) in (4, 6) and location.startswith(written))


def match_lines(
    lines: Sequence[ResultLine], pupils: Iterable[Pupil], location: str
) -> list[LineMatch]:
    """Every line's verdict, in file order; ``location`` is the school's BRIN + vestiging.

    A pupil claimed by two lines is certain for neither: both go to the manual list.
    """
    index = _Index(pupils)
    verdicts = []
    for line in lines:
        if _other_school(line, location):
            reason = f"Deze regel is van een andere school (BRIN {line.brin.strip() or 'leeg'})."
            verdicts.append(LineMatch(line=line, status=MatchStatus.NOT_FOUND, reason=reason))
        else:
            verdicts.append(match_line(line, index))
    claims = Counter(v.pupil.id for v in verdicts if v.pupil is not None)
    return [
        _uncertain(v.line, "Meer regels in het bestand voor dezelfde leerling.", [v.pupil])
        if v.pupil is not None and claims[v.pupil.id] > 1
        else v
        for v in verdicts
    ]
