"""The placement instance and result files: read strictly, refused in Dutch, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.domain.placement_world import instances

from elk_adapters.placement_files import MAX_BYTES, instance_to_json, load_json, read_instance
from elk_adapters.placement_results import result_to_json, verify
from elk_domain.errors import Rejected
from elk_domain.placement.model import Instance
from elk_domain.placement.run import continue_run, solve

EXAMPLE = Path(__file__).parents[1] / "fixtures" / "placement" / "amstelland-voorbeeld.json"


def refusal(data: bytes) -> tuple[str, list[tuple[str, str]]]:
    with pytest.raises(Rejected) as refused:
        read_instance(data)
    return refused.value.message, [(v.path, v.message) for v in refused.value.violations]


def document(**changes: Any) -> bytes:
    raw = json.loads(EXAMPLE.read_bytes())
    raw.update(changes)
    return json.dumps(raw).encode()


class TestReadingAnInstance:
    def test_reads_the_example_with_elk_numbers_as_numbers_or_text(self) -> None:
        instance = read_instance(EXAMPLE.read_bytes())
        assert instance.procedure == "amstelland"
        assert [p.id for p in instance.pupils][:2] == ["1234567", "2345678"]
        assert instance.pupils[0].stay_equivalent == "hermann-havo"
        assert instance.pupils[2].multiple_birth_group == "tweeling-1"

    @given(instances())
    @settings(max_examples=50, deadline=None)
    def test_writes_what_it_reads_back(self, instance: Instance) -> None:
        assert read_instance(json.dumps(instance_to_json(instance)).encode()) == instance

    def test_refuses_every_wrong_type_with_its_path(self) -> None:
        data = document(
            procedure=3,
            extra=1,
            programmes=[{"id": "a", "school": "", "level": "havo", "capacity": True}, 7],
            pupils=[
                {"id": True, "choices": "a", "priority": "ja"},
                {"id": "2", "choices": [1.5], "stay_equivalent": [], "nickname": "x"},
            ],
        )
        message, violations = refusal(data)
        assert message == "Het bestand is geen geldige invoer voor de plaatsing."
        assert [path for path, _ in violations] == [
            "extra",
            "procedure",
            "programmes[0].capacity",
            "programmes[0].school",
            "programmes[1]",
            "pupils[0].choices",
            "pupils[0].priority",
            "pupils[0].id",
            "pupils[1].nickname",
            "pupils[1].choices[0]",
            "pupils[1].stay_equivalent",
        ]

    def test_stops_listing_after_fifty_problems(self) -> None:
        _, violations = refusal(document(pupils=[1] * 500))
        assert len(violations) == 51
        assert violations[-1][1] == "Na 50 fouten is het lezen gestopt."

    @pytest.mark.parametrize(
        ("data", "says"),
        [
            (b"[]", "Verwacht een JSON-object."),
            (b"{", "geen geldige JSON"),
            (b'{"a": 1, "a": 2}', "twee keer"),
            (b'{"a": NaN}', "NaN is geen getal"),
            (b"[" * 100_000 + b"]" * 100_000, "te diep genest"),
            (b"\xff\xfe{}", "geen UTF-8"),
            (b'{"a": ' + b"9" * 5000 + b"}", "geen geldige JSON"),
        ],
    )
    def test_refuses_hostile_json_in_dutch(self, data: bytes, says: str) -> None:
        message, violations = refusal(data)
        assert says in message + " ".join(m for _, m in violations)

    def test_refuses_a_file_over_the_cap_before_parsing(self) -> None:
        with pytest.raises(Rejected, match="groter dan 64 MB"):
            load_json(b" " * (MAX_BYTES + 1), "Het invoerbestand")

    def test_refuses_another_format(self) -> None:
        _, violations = refusal(document(format="iets-anders/2"))
        assert violations == [("format", "Verwacht 'elk-placement-instance/1'.")]


class TestVerifying:
    def test_finds_nothing_to_say_about_an_honest_result(self) -> None:
        instance = read_instance(EXAMPLE.read_bytes())
        data = json.dumps(result_to_json(solve(instance))).encode()
        assert verify(instance, data) == []

    def test_replays_the_withdrawals_the_result_names(self) -> None:
        instance = read_instance(EXAMPLE.read_bytes())
        continued = continue_run(instance, solve(instance), ["2345678"])
        assert verify(instance, json.dumps(result_to_json(continued)).encode()) == []

    def test_names_a_changed_placement_and_what_was_expected(self) -> None:
        instance = read_instance(EXAMPLE.read_bytes())
        honest = result_to_json(solve(instance))
        forged = json.loads(json.dumps(honest))
        pupil = next(p for p, at in forged["placements"].items() if at)
        forged["placements"][pupil] = (
            "amstel-havo" if honest["placements"][pupil] != "amstel-havo" else None
        )
        found = verify(instance, json.dumps(forged).encode())
        assert found == [
            f"De plaatsing van leerling {pupil}: in het bestand "
            f"{forged['placements'][pupil]!r}, herberekend {honest['placements'][pupil]!r}."
        ]

    def test_names_missing_extra_and_malformed_parts(self) -> None:
        instance = read_instance(EXAMPLE.read_bytes())
        forged = result_to_json(solve(instance))
        del forged["audit"]
        forged["lottery"] = []
        forged["extra"] = 1
        forged["placements"]["999"] = None
        del forged["placements"]["1234567"]
        found = verify(instance, json.dumps(forged).encode())
        assert found == [
            "Het veld 'audit' ontbreekt.",
            "Onbekend veld 'extra'.",
            "Het veld 'lottery' is geen JSON-object.",
            "De plaatsing van leerling 1234567 ontbreekt.",
            "De plaatsing van leerling 999 hoort er niet in.",
        ]

    def test_refuses_a_result_that_is_no_object_or_has_bad_withdrawals(self) -> None:
        instance = read_instance(EXAMPLE.read_bytes())
        assert verify(instance, b"[]") == ["Het resultaatbestand is geen JSON-object."]
        with pytest.raises(Rejected) as refused:
            verify(instance, b'{"withdrawn": [[1]]}')
        assert refused.value.violations[0].path == "withdrawn"

    def test_lists_twenty_differences_and_counts_the_rest(self) -> None:
        instance = read_instance(EXAMPLE.read_bytes())
        forged = result_to_json(solve(instance))
        forged["lottery"] = {str(n): 0 for n in range(40)}
        found = verify(instance, json.dumps(forged).encode())
        assert len(found) == 21
        assert found[-1].startswith("… en nog ")


@given(instances(), st.data())
@settings(max_examples=60, deadline=None)
def test_verify_notices_any_single_changed_placement(
    instance: Instance, data: st.DataObject
) -> None:
    honest = result_to_json(solve(instance))
    assume(honest["placements"])
    pupil = data.draw(st.sampled_from(sorted(honest["placements"])))
    options = [None, *(p.id for p in instance.programmes)]
    other = data.draw(st.sampled_from([o for o in options if o != honest["placements"][pupil]]))
    honest["placements"][pupil] = other
    found = verify(instance, json.dumps(honest).encode())
    assert any(f"leerling {pupil}:" in line for line in found)
