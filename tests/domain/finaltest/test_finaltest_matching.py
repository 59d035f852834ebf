"""R-DT-2: a result line is attached to a pupil only when certain; never to another child."""

from __future__ import annotations

import datetime as dt

from tests.domain.finaltest_world import DAY, LOCATION, line, pupil

from elk_domain.finaltest.matching import MatchStatus, match_lines

BSN = "111222333"
OTHER_BSN = "123456782"


def verdict(lines: list, pupils: list):  # type: ignore[no-untyped-def, type-arg]
    [only] = match_lines(lines, pupils, LOCATION)
    return only


class TestCertain:
    def test_bsn_attaches_whatever_the_spelling(self) -> None:
        found = verdict([line(bsn=BSN, first_name="Samuel")], [pupil(1, bsn=BSN), pupil(2)])
        assert (found.status, found.pupil.id, found.reason) == (
            MatchStatus.MATCHED,
            1,
            "Gekoppeld op BSN.",
        )

    def test_birth_date_and_name_attach_with_accents_prefixes_and_hyphens(self) -> None:
        pupils = [pupil(1, "Zoë", "Berg", "van der"), pupil(2, "Jan-Willem", "El Amrani-de Wit")]
        zoe = line(first_name="ZOE", last_name="van der Berg")
        jan = line(2, first_name="Jan Willem", last_name="el amrani de wit")
        assert [(v.status, v.pupil.id) for v in match_lines([zoe, jan], pupils, LOCATION)] == [
            (MatchStatus.MATCHED, 1),
            (MatchStatus.MATCHED, 2),
        ]

    def test_a_twin_is_told_apart_by_the_first_name(self) -> None:
        found = verdict([line(first_name="Jan")], [pupil(1, "Jan"), pupil(2, "Johan")])
        assert (found.status, found.pupil.id) == (MatchStatus.MATCHED, 1)

    def test_an_unknown_or_invalid_bsn_in_the_file_falls_back_to_the_name(self) -> None:
        assert verdict([line(bsn=OTHER_BSN)], [pupil(1)]).status is MatchStatus.MATCHED
        assert verdict([line(bsn="12345")], [pupil(1, bsn=BSN)]).status is MatchStatus.MATCHED


class TestUncertain:
    def test_bsn_with_another_birth_date(self) -> None:
        found = verdict([line(bsn=BSN)], [pupil(1, bsn=BSN, born=dt.date(2013, 5, 5))])
        assert found.status is MatchStatus.UNCERTAIN
        assert [p.id for p in found.candidates] == [1]
        assert "geboortedatum verschilt" in found.reason

    def test_bsn_without_a_birth_date_in_elk_attaches(self) -> None:
        found = verdict([line(bsn=BSN)], [pupil(1, bsn=BSN, born=None)])
        assert found.status is MatchStatus.MATCHED

    def test_name_and_birth_date_but_another_bsn(self) -> None:
        found = verdict([line(bsn=OTHER_BSN)], [pupil(1, bsn=BSN)])
        assert (found.status, found.reason) == (
            MatchStatus.UNCERTAIN,
            "Naam en geboortedatum kloppen, maar het BSN verschilt.",
        )

    def test_initials_never_attach_even_to_one_candidate(self) -> None:
        found = verdict(
            [line(first_name="J.")], [pupil(1, "Jan"), pupil(2, "Johan"), pupil(3, "Piet")]
        )
        assert found.status is MatchStatus.UNCERTAIN
        assert [p.id for p in found.candidates] == [1, 2]

    def test_initials_that_fit_nobody_look_for_near_names(self) -> None:
        found = verdict([line(first_name="P.")], [pupil(1, "Jan")])
        assert (found.status, found.reason) == (
            MatchStatus.UNCERTAIN,
            "Geboortedatum klopt, de naam is anders gespeld.",
        )
        assert verdict([line(first_name="P.")], [pupil(1, "Jan", "Zwart")]).status is (
            MatchStatus.NOT_FOUND
        )

    def test_two_pupils_with_the_same_name_and_birth_date(self) -> None:
        found = verdict([line()], [pupil(1), pupil(2)])
        assert found.status is MatchStatus.UNCERTAIN
        assert [p.id for p in found.candidates] == [1, 2]

    def test_a_close_spelling_on_the_same_day_is_offered(self) -> None:
        found = verdict([line(last_name="Janssen")], [pupil(1), pupil(2, "Piet", "Zwart")])
        assert found.status is MatchStatus.UNCERTAIN
        assert [p.id for p in found.candidates] == [1]

    def test_the_same_name_on_another_day_is_offered(self) -> None:
        found = verdict([line()], [pupil(1, born=dt.date(2013, 4, 5)), pupil(2, born=None)])
        assert (found.status, [p.id for p in found.candidates]) == (MatchStatus.UNCERTAIN, [1, 2])
        assert "geboortedatum verschilt" in found.reason

    def test_two_lines_for_one_pupil_attach_neither(self) -> None:
        verdicts = match_lines([line(1), line(2, bsn=BSN)], [pupil(1, bsn=BSN)], LOCATION)
        assert [v.status for v in verdicts] == [MatchStatus.UNCERTAIN] * 2
        assert all(v.pupil is None and v.candidates[0].id == 1 for v in verdicts)


class TestNotFound:
    def test_nobody_alike(self) -> None:
        found = verdict([line(first_name="Fatima", last_name="Yilmaz")], [pupil(1)])
        assert (found.status, found.pupil, found.candidates) == (MatchStatus.NOT_FOUND, None, ())

    def test_a_line_of_another_school(self) -> None:
        for brin in ("99ZZ00", "", "12AB01", "12A"):
            found = verdict([line(brin=brin)], [pupil(1)])
            assert found.status is MatchStatus.NOT_FOUND
            assert "andere school" in found.reason

    def test_four_letters_of_the_brin_are_enough(self) -> None:
        assert verdict([line(brin="12ab")], [pupil(1)]).status is MatchStatus.MATCHED
        assert verdict([line(brin="12AB 00")], [pupil(1)]).status is MatchStatus.MATCHED

    def test_a_pupil_without_birth_date_is_only_offered(self) -> None:
        found = verdict([line()], [pupil(1, born=None)])
        assert found.status is MatchStatus.UNCERTAIN
        assert line().birth_date == DAY


class TestLine:
    def test_the_written_name_is_the_file_s(self) -> None:
        assert line(first_name=" Zoë", tussenvoegsel="van der ").written_name() == (
            "Zoë van der Jansen"
        )
        assert line(tussenvoegsel="").written_name() == "Sam Jansen"
