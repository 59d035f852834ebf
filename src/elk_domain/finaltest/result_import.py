"""Importing the provider's result file (R-DT-2): a preview first, then one transaction.

``preview_import`` reads the file, checks each line's values and matches it to the school's
pupils (``matching``); nothing is stored. ``import_results`` does the same and saves every
certain line, and each uncertain line the school resolved by choosing one of its candidates,
through the Oki-doc's own edit path (``okidoc.edit.apply_input`` and ``okidoc.saving``, so the
status rules, the provenance and the audit are those of a hand edit), in one unit of work:
all lines or none. A second import of the same file changes nothing and says so.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from elk_domain.errors import NotFound, Rejected, Violation
from elk_domain.finaltest.matching import LineMatch, MatchStatus, match_lines
from elk_domain.finaltest.ports import FinalTestWork, ResultFileReader
from elk_domain.finaltest.results import ResultLine
from elk_domain.kernel.people import Actor
from elk_domain.kernel.permissions import Action, Scope, allowed, require
from elk_domain.kernel.ports import Clock
from elk_domain.kernel.values import SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.edit import apply_input
from elk_domain.okidoc.saving import OkidocChange, store_okidoc
from elk_domain.organisation.model import School
from elk_domain.pupils.model import Pupil

IMPORTED = "doorstroomtoets.geimporteerd"
ALREADY_IMPORTED = "Er is niets gewijzigd: deze resultaten stonden al in ELK."


@attrs.frozen(kw_only=True)
class PreviewLine:
    """A line of the preview: the match, and the Oki-doc values it would set (or why none)."""

    match: LineMatch
    values: Mapping[str, str] = attrs.field(factory=dict)
    invalid: str = ""  # why the line's values cannot be stored (then it is not imported)


@attrs.frozen(kw_only=True)
class ImportPreview:
    """What importing the file would do, line by line."""

    school: School
    format: str
    lines: tuple[PreviewLine, ...]

    def with_status(self, status: MatchStatus) -> list[PreviewLine]:
        """The lines of one group of the preview (matched / uncertain / not found)."""
        return [line for line in self.lines if line.match.status is status]


@attrs.frozen(kw_only=True)
class ImportResults:
    """The command: which school, the file's bytes, and the school's choice per uncertain line."""

    brin: str
    data: bytes
    choices: Mapping[int, int] = attrs.field(factory=dict)  # line number -> pupil id
    elk_choices: Mapping[int, int] = attrs.field(factory=dict)  # line number -> ELK number
    uses_lwoo_pro: bool = False


@attrs.frozen(kw_only=True)
class ImportReport:
    """What the import did: the preview it acted on, and how many Oki-docs changed."""

    preview: ImportPreview
    changed: int
    unchanged: int

    @property
    def message(self) -> str:
        """One Dutch sentence for the user."""
        if self.changed == 0 and self.unchanged:
            return ALREADY_IMPORTED
        return f"{self.changed} resultaten ingelezen, {self.unchanged} waren al bijgewerkt."


def _values(line: ResultLine) -> dict[str, str]:
    return {
        f.FINAL_TEST_NAME: line.test.strip(),
        f.FINAL_TEST_OUTCOME: line.outcome.strip(),
        f.FINAL_TEST_DATE: f.text_of(line.test_date) or "",
        f.FINAL_TEST_SCORES: scores_text(line),
    }


def scores_text(line: ResultLine) -> str:
    """The scores as one line of text: 'taal: 231; rekenen: 219' (the parts as the file names
    them; providers differ in parts and scales, so ELK keeps them as written)."""
    return "; ".join(f"{part.strip()}: {score.strip()}" for part, score in line.scores)


def _checked(match: LineMatch) -> PreviewLine:
    """The line with its values, each parsed the way the Oki-doc's form parses it."""
    values = _values(match.line)
    problems = []
    for path, raw in values.items():
        try:
            parsed = f.parse_value(f.spec_for(path), raw)
        except Rejected as error:
            problems.append(error.message)
            continue
        values[path] = f.text_of(parsed) or ""
    return PreviewLine(match=match, values=values, invalid=" ".join(problems))


def _school(uow: FinalTestWork, actor: Actor, brin: str) -> School:
    school = uow.schools.by_location(SchoolLocation.parse(brin))
    if school is None:
        raise NotFound(f"Er is geen school met BRIN {brin.strip()} in ELK.")
    require(actor, Action.IMPORT_FINAL_TEST, Scope.for_school(school))
    return school


def school_preview(
    uow: FinalTestWork, reader: ResultFileReader, actor: Actor, school: School, data: bytes
) -> ImportPreview:
    """The preview for a school the actor may import for (checked by the caller), in ``uow``.

    Only the pupils the actor reaches are matched: a contact person of group 8a sees no
    candidate from 8b, and no school's pupil is ever a candidate for another school's file.
    """
    results = reader.read(data)
    pupils = [
        pupil
        for pupil in uow.pupils.list(school.id)
        if allowed(actor, Action.IMPORT_FINAL_TEST, Scope.for_pupil(pupil, school))
    ]
    matches = match_lines(results.lines, pupils, str(school.location))
    lines = tuple(_checked(match) for match in matches)
    return ImportPreview(school=school, format=results.format, lines=lines)


def preview_import(
    uow: FinalTestWork, reader: ResultFileReader, actor: Actor, brin: str, data: bytes
) -> ImportPreview:
    """What importing ``data`` for the school would do; stores nothing."""
    with uow:
        school = _school(uow, actor, brin)  # permission before the file is looked at
        return school_preview(uow, reader, actor, school, data)


def _resolved(line: PreviewLine, choices: Mapping[int, int]) -> PreviewLine:
    """An uncertain line the school resolved becomes matched to the pupil it chose."""
    chosen = choices.get(line.match.line.number)
    if chosen is None:
        return line
    match = line.match
    pupil = next((p for p in match.candidates if p.id == chosen), None)
    if match.status is not MatchStatus.UNCERTAIN or pupil is None:
        raise Rejected(
            f"Regel {match.line.number}: kies een van de voorgestelde leerlingen.",
            violations=[Violation(f"regel {match.line.number}", "Geen voorgestelde leerling.")],
        )
    resolved = attrs.evolve(
        match, status=MatchStatus.MATCHED, reason="Gekoppeld door de school.", pupil=pupil
    )
    return attrs.evolve(line, match=resolved)


def _by_elk_number(preview: ImportPreview, elk_choices: Mapping[int, int]) -> dict[int, int]:
    """The operator's choices (line -> ELK number) as pupil ids of the line's candidates; a
    number that is no candidate becomes an id no pupil has, so ``_resolved`` refuses it."""
    lines = {line.match.line.number: line.match for line in preview.lines}
    chosen = {}
    for number, elk in elk_choices.items():
        match = lines.get(number)
        candidates = match.candidates if match is not None else ()
        chosen[number] = next((p.id for p in candidates if p.elk_number.value == elk), -1)
    return chosen


def _to_store(
    preview: ImportPreview, choices: Mapping[int, int]
) -> list[tuple[PreviewLine, Pupil]]:
    """The lines to save with their pupil: matched (or resolved) and with valid values."""
    numbers = {line.match.line.number for line in preview.lines}
    unknown = sorted(set(choices) - numbers)
    if unknown:
        raise Rejected(f"Regel {unknown[0]} staat niet in het bestand.")
    ready: list[tuple[PreviewLine, Pupil]] = []
    for line in (_resolved(line, choices) for line in preview.lines):
        pupil = line.match.pupil
        if line.match.status is MatchStatus.MATCHED and pupil is not None and not line.invalid:
            ready.append((line, pupil))
    if len({pupil.id for _line, pupil in ready}) != len(ready):
        raise Rejected("Twee regels zijn aan dezelfde leerling gekoppeld; kies opnieuw.")
    return ready


def import_results(
    uow: FinalTestWork,
    clock: Clock,
    reader: ResultFileReader,
    actor: Actor,
    command: ImportResults,
) -> ImportReport:
    """Save the certain and resolved lines in one transaction; the rest stays listed."""
    with uow:
        school = _school(uow, actor, command.brin)
        report = school_import(uow, clock, reader, actor, school, command)
        uow.commit()
        return report


def school_import(
    uow: FinalTestWork,
    clock: Clock,
    reader: ResultFileReader,
    actor: Actor,
    school: School,
    command: ImportResults,
) -> ImportReport:
    """Save the lines in ``uow`` (the caller checked the school and commits)."""
    preview = school_preview(uow, reader, actor, school, command.data)
    now = clock.now()
    changed = unchanged = 0
    choices = {**command.choices, **_by_elk_number(preview, command.elk_choices)}
    ready = _to_store(preview, choices)
    okidocs = uow.okidocs.for_pupils([pupil.id for _line, pupil in ready])
    for line, pupil in ready:
        okidoc = okidocs.get(pupil.id) or uow.okidocs.for_pupil(pupil.id)  # none: NotFound
        updated, changes = apply_input(
            okidoc, line.values, actor, now, uses_lwoo_pro=command.uses_lwoo_pro
        )
        if not changes:
            unchanged += 1
            continue
        detail = f"{preview.format}, regel {line.match.line.number}"
        change = OkidocChange(action=IMPORTED, at=now, changes=tuple(changes), detail=detail)
        store_okidoc(uow, actor, pupil, updated, change)
        changed += 1
    return ImportReport(preview=preview, changed=changed, unchanged=unchanged)
