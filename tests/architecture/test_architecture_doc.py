"""The docs name only code that exists today: docs/architecture.md first, and the other docs.

Every backticked reference in docs/*.md (not docs/decisions/: a decision records what was true
when it was taken) is checked when it looks like code:

- a path (``src/elk_domain/okidoc/edit.py``, ``elk_adapters/oso/batch.py``, ``tests/web/``,
  ``tests/domain/kernel/test_filetypes.py::TestZipBombs``, or a shorter tail such as
  ``persistence/database.py``) must name a file or folder of the repository, and each
  ``::name`` a class or function defined in that file;
- a dotted name of a package (``elk_domain.okidoc.edit.edit_fields``, ``elk_web:create_app()``)
  must import; a shorter one whose head is a module (``lifecycle.state_diagram()``,
  ``persistence.database.write_lock_for``) must resolve in at least one module of that name;
- a route (``POST /leerlingen/<int:pupil_id>/oki-doc``) in docs/architecture.md must be a rule
  of the web app with that method.

A dotted name that is no code may still be a name the code uses: a Flask endpoint
(``pupils.save``), a string constant of src/ (the audit action ``okidoc.wijzigen``) or a column
of the schema (``okidocs.version``). Dotted names that name none of these and whose head is no
module (field paths such as ``ouders.0.email``) are not checked.

The names of the layout before the restructure by area (issue 13) may not appear at all, neither
in the docs nor in the docstrings of src/.
docs/architecture.md's picture shows every area of the layers contract, in the contract's order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from tests.architecture.doc_references import (
    ARCHITECTURE,
    DOCS,
    DOTTED,
    ROUTE,
    areas,
    check_dotted,
    check_name,
    check_path,
    check_route,
    docstring_problems,
    is_path,
    problems,
    references,
)

from elk_adapters.settings import Settings
from elk_web import create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The web app, for its URL map (no request is made, no database is read)."""
    instance = tmp_path_factory.mktemp("instance")
    settings = Settings(
        env="test",
        instance_path=instance,
        database_url=f"sqlite:///{instance / 'elk.sqlite3'}",
        secret_key="test-secret-key-0123456789",
        log_format="json",
    )
    return create_app(settings)


@pytest.mark.parametrize("doc", DOCS, ids=[p.name for p in DOCS])
def test_the_docs_name_only_code_that_exists(doc: Path, app: Flask) -> None:
    assert problems(doc, app) == []


def test_the_docstrings_of_src_name_nothing_of_the_old_layout() -> None:
    assert docstring_problems() == []


def test_the_architecture_doc_checks_enough_references() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    refs = list(references(text))
    assert sum(is_path(r) for r in refs) >= 30
    assert sum(bool(DOTTED.match(r)) and not is_path(r) for r in refs) >= 30
    assert sum(bool(ROUTE.match(r)) for r in refs) >= 2


def test_the_picture_shows_every_area_in_the_contracts_order() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    picture = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert picture.startswith("flowchart ")
    domain = picture.split("subgraph dom ", 1)[1].split("\n    end\n", 1)[0]
    places = [m.start() if (m := re.search(rf"\b{a}\b", domain)) else -1 for a in areas()]
    assert -1 not in places, [a for a, p in zip(areas(), places, strict=True) if p == -1]
    assert places == sorted(places)


class TestTheCheckFires:
    def test_on_a_missing_module_path_and_a_missing_function(self, app: Flask) -> None:
        assert check_path("src/elk_domain/okidoc/nothing.py")
        assert check_path("tests/domain/okidoc/test_lifecycle.py::TestNoSuchThing")
        assert check_dotted("elk_domain.okidoc.edit.no_such_use_case", frozenset()) is not None
        assert check_dotted("lifecycle.no_such_rule", frozenset()) is not None
        assert check_dotted("Action.NO_SUCH_ACTION", frozenset()) is not None
        assert check_dotted("oso_pages.sync_selected", frozenset()) is not None
        assert check_name("no_such_use_case")
        assert check_name("edit_fields") is None

    def test_on_a_missing_route(self, app: Flask) -> None:
        assert check_route("POST /leerlingen/<int:pupil_id>/geen-pagina", app)
        assert check_route("POST /leerlingen/<int:pupil_id>/oki-doc", app) is None

    def test_not_on_field_paths_commands_and_settings(self, app: Flask) -> None:
        endpoints = frozenset(app.view_functions)
        for text in ("ouders.0.email", "advies.doorstroomtoets.naam", "stdnum.nl.bsn"):
            assert check_dotted(text, endpoints) is None
        assert not is_path("elk oso sync --school BRIN")
        assert not is_path("/etc/elk/oso.crt")

    def test_on_the_old_layout(self, tmp_path: Path, app: Flask) -> None:
        page = tmp_path / "old.md"
        page.write_text("See `elk_domain/ports.py` and `services/okidocs.py`.\n", encoding="utf-8")
        found = problems(page, app)
        assert any("elk_domain/ports.py" in line for line in found)
        assert any("services/okidocs.py" in line for line in found)

    def test_on_the_old_layout_in_a_docstring(self, tmp_path: Path) -> None:
        (tmp_path / "old.py").write_text(
            '"""Saving is ``okidoc_edit.edit_fields``; mail ``services.mail_queue``."""\n',
            encoding="utf-8",
        )
        assert len(docstring_problems(tmp_path)) == 2
