"""Message: the Dutch text of a refusal that keeps its template, so a parent's page can say it
in English (decision 0048)."""

from __future__ import annotations

import copy
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elk_domain.errors import Message, Rejected, Violation


class TestMessage:
    def test_is_the_dutch_text_with_its_params_filled_in(self) -> None:
        text = Message("Kies {need} scholen; u heeft er {have} gekozen.", need=5, have=3)
        assert text == "Kies 5 scholen; u heeft er 3 gekozen."
        assert text.template == "Kies {need} scholen; u heeft er {have} gekozen."
        assert dict(text.params) == {"need": 5, "have": 3}

    def test_without_params_braces_are_left_alone(self) -> None:
        text = Message("Een {accolade} zonder parameter.")
        assert text == "Een {accolade} zonder parameter."
        assert text.template == text
        assert dict(text.params) == {}

    def test_its_params_cannot_be_changed_afterwards(self) -> None:
        text = Message("{naam} staat er twee keer op.", naam="Het Lyceum")
        with pytest.raises(TypeError):
            text.params["naam"] = "Andere school"  # type: ignore[index]
        assert text.params["naam"] == "Het Lyceum"

    def test_in_a_violation_it_equals_the_plain_dutch_text(self) -> None:
        violation = Violation("voorkeuren", Message("Kies {n} scholen.", n=2))
        assert violation == Violation("voorkeuren", "Kies 2 scholen.")
        assert Rejected("Niet opgeslagen.", violations=[violation]).violations[0].message == (
            "Kies 2 scholen."
        )

    @given(name=st.text(), number=st.integers())
    def test_survives_copy_and_pickle_with_its_template(self, name: str, number: int) -> None:
        text = Message("{name} heeft nummer {number}.", name=name, number=number)
        for again in (copy.deepcopy(text), pickle.loads(pickle.dumps(text))):  # noqa: S301
            assert isinstance(again, Message)
            assert again == text
            assert again.template == text.template
            assert dict(again.params) == {"name": name, "number": number}
