"""docs/domain.md stays true: its diagram is the generator's output and its example runs."""

from __future__ import annotations

import doctest
from pathlib import Path

from elk_domain.okidoc import lifecycle
from elk_domain.parents import eligibility

DOMAIN_MD = Path(__file__).resolve().parents[2] / "docs" / "domain.md"


class TestDomainDocs:
    def test_the_diagram_is_generated_from_the_transition_table(self) -> None:
        text = DOMAIN_MD.read_text(encoding="utf-8")
        assert f"```mermaid\n{lifecycle.state_diagram()}```" in text

    def test_the_parent_login_diagram_is_generated_from_its_table(self) -> None:
        text = DOMAIN_MD.read_text(encoding="utf-8")
        assert f"```mermaid\n{eligibility.diagram()}\n```" in text

    def test_the_embedding_example_runs(self) -> None:
        failures, tried = doctest.testfile(
            str(DOMAIN_MD), module_relative=False, optionflags=doctest.ELLIPSIS, encoding="utf-8"
        )
        assert tried > 10
        assert failures == 0
