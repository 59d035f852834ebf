"""R-DT-2 as a property: for generated schools with twins, accent variants and prefixes, no
result is ever attached to a child other than its own, and every line not attached is listed.

A school's pupils are drawn from small pools (three birth days, so twins and namesakes are
common); the file holds lines for some of them, written the way providers and typists vary a
name (accents off, upper case, the prefix glued or moved, hyphens as spaces, initials only, a
doubled letter), lines for children ELK does not know, and lines repeated. A child ELK does not
know is never identical (same birth date, first name and surname keys, or BSN) to one it does:
no matching could tell those apart.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.domain.finaltest_world import LOCATION, line

from elk_domain.finaltest.matching import MatchStatus, match_lines
from elk_domain.finaltest.names import first_name_key, surname_key
from elk_domain.finaltest.results import ResultLine
from elk_domain.kernel.values import Bsn, ElkNumber, PersonName, elfproef_check_digit
from elk_domain.pupils.model import Pupil

FIRSTS = ("Jan", "Johan", "Zoë", "Zoe", "Noor", "Anne-Fleur", "Daan", "Ömer", "Sem", "Lotte")
SURNAMES = (
    ("", "Jansen"),
    ("van der", "Berg"),
    ("de", "Vries"),
    ("", "El Amrani"),
    ("", "Müller-de Wit"),
    ("van", "Dijk"),
)
DAYS = (dt.date(2013, 5, 4), dt.date(2013, 5, 5), dt.date(2013, 11, 30))


@st.composite
def bsns(draw: st.DrawFn) -> str:
    prefix = draw(st.text("0123456789", min_size=8, max_size=8).filter(lambda t: t != "0" * 8))
    digit = elfproef_check_digit(prefix)
    return prefix + str(digit) if digit is not None else ""


@st.composite
def people(draw: st.DrawFn) -> tuple[str, str, str, dt.date, str]:
    """First name, tussenvoegsel, last name, birth date and a BSN (or '')."""
    tussenvoegsel, last = draw(st.sampled_from(SURNAMES))
    bsn = draw(st.one_of(st.just(""), bsns()))
    return draw(st.sampled_from(FIRSTS)), tussenvoegsel, last, draw(st.sampled_from(DAYS)), bsn


def _strip(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


VARIANTS = {
    "as is": lambda f, t, s: (f, t, s),
    "no accents": lambda f, t, s: (_strip(f), t, _strip(s)),
    "upper case": lambda f, t, s: (f.upper(), t.upper(), s.upper()),
    "prefix glued": lambda f, t, s: (f, "", f"{t} {s}".strip()),
    "prefix behind": lambda f, t, s: (f, "", f"{s}, {t}" if t else s),
    "hyphens as spaces": lambda f, t, s: (f.replace("-", " "), t, s.replace("-", " ")),
    "initials": lambda f, t, s: (f[0] + ".", t, s),
    "doubled letter": lambda f, t, s: (f, t, s[:2] + s[1] + s[2:]),
}


def _key(first: str, tussenvoegsel: str, last: str, day: dt.date) -> tuple[str, str, dt.date]:
    return first_name_key(first), surname_key(tussenvoegsel, last), day


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Pupil], list[ResultLine], dict[int, int | None]]:
    """The school's pupils, the file's lines, and whose result each line truly is."""
    known = draw(st.lists(people(), max_size=12))
    bsns_seen: set[str] = set()
    pupils, entries = [], []
    for n, (first, tv, last, day, drawn) in enumerate(known, start=1):
        bsn = drawn if drawn not in bsns_seen else ""  # the child's own BSN, as the provider has it
        if bsn:
            bsns_seen.add(bsn)
        in_elk = bsn if draw(st.booleans()) else ""  # ELK does not always have the BSN
        pupils.append(
            Pupil(
                id=n,
                elk_number=ElkNumber(100000 + n),
                school_id=1,
                name=PersonName(first, last, tv),
                birth_date=day,
                bsn=Bsn.parse(in_elk) if in_elk else None,
            )
        )
        entries += [((first, tv, last, day, bsn), n)] * draw(st.integers(0, 2))
    known_keys = {_key(*person[:4]) for person in known}
    strangers = [
        person
        for person in draw(st.lists(people(), max_size=5))
        if _key(*person[:4]) not in known_keys and not (person[4] and person[4] in bsns_seen)
    ]
    entries += [(s, None) for s in strangers]
    entries = draw(st.permutations(entries))
    lines, truth = [], {}
    for number, ((first, tv, last, day, bsn), owner) in enumerate(entries, start=1):
        variant = draw(st.sampled_from(sorted(VARIANTS)))
        written = VARIANTS[variant](first, tv, last)
        with_bsn = bsn if draw(st.booleans()) else ""
        lines.append(
            line(
                number,
                first_name=written[0],
                tussenvoegsel=written[1],
                last_name=written[2],
                birth_date=day,
                bsn=with_bsn,
            )
        )
        truth[number] = owner
    return pupils, lines, truth


@settings(max_examples=400, deadline=None)
@given(worlds())
def test_no_result_is_attached_to_another_child(
    world: tuple[list[Pupil], list[ResultLine], dict[int, int | None]],
) -> None:
    pupils, lines, truth = world
    verdicts = match_lines(lines, pupils, LOCATION)
    assert [v.line.number for v in verdicts] == [ln.number for ln in lines]  # every line listed
    attached = [v.pupil.id for v in verdicts if v.pupil is not None]
    assert len(attached) == len(set(attached))
    for verdict in verdicts:
        if verdict.status is MatchStatus.MATCHED:
            assert verdict.pupil is not None
            assert verdict.pupil.id == truth[verdict.line.number], verdict  # 0 wrong attachments
        else:
            assert verdict.pupil is None
            assert verdict.reason
            assert (verdict.status is MatchStatus.UNCERTAIN) == bool(verdict.candidates)
