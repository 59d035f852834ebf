"""Outer tests use the real parts: no in-memory fake of our own adapters outside tests/domain.

tests/web, tests/e2e, tests/adapters and tests/cli run against real SQLite, the real SMTP path
(outbox, worker, ``SmtpMailer``, the aiosmtpd capture) and the real file store on a temporary
folder (issue 13, item 6). The fakes in ``elk_domain.testing`` (formerly ``elk_domain.memory*``)
are for tests/domain only. ``FixedClock`` is allowed everywhere: it is not a fake of one of our
adapters but a test clock, the way a test controls time (2FA codes, expiry, mail due times).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
OUTER = ("web", "e2e", "adapters", "cli")
FAKE_MODULES = re.compile(r"^elk_domain\.(memory\w*|testing)(\.|$)")
TEST_CONTROLS = frozenset({"FixedClock"})  # controls of the test, not stand-ins for adapters
# (file relative to tests/, name): the repository contract runs the same checks against the
# in-memory fake and every real repository, so there the fake is a subject under test.
CONTRACT_SUBJECTS = frozenset(
    {
        ("adapters/conftest.py", "InMemoryStore"),
        ("adapters/conftest.py", "InMemoryUnitOfWork"),
    }
)


def fake_imports(source: str) -> Iterator[tuple[int, str]]:
    """(line, imported name) for each name a module takes from the in-memory fakes."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and FAKE_MODULES.match(node.module or ""):
            for alias in node.names:
                if alias.name not in TEST_CONTROLS:
                    yield node.lineno, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if FAKE_MODULES.match(alias.name):
                    yield node.lineno, alias.name  # the whole module: any fake in reach


def violations(root: Path = TESTS) -> list[str]:
    """Every fake imported by an outer test module, as ``path:line name``."""
    found = []
    for folder in OUTER:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            for line, name in fake_imports(path.read_text(encoding="utf-8")):
                if (relative, name) not in CONTRACT_SUBJECTS:
                    found.append(f"{relative}:{line} {name}")
    return found


def test_outer_tests_import_no_in_memory_fake() -> None:
    assert violations() == [], "outer tests must use the real parts (issue 13, item 6)"


class TestTheGuardFires:
    """The guard is shown to catch each way a fake could slip back in."""

    def test_on_a_fake_mailer_or_file_store(self, tmp_path: Path) -> None:
        web = tmp_path / "web"
        web.mkdir()
        (web / "conftest.py").write_text(
            "from elk_domain.memory import FixedClock, InMemoryFileStore, InMemoryMailer\n"
        )
        assert violations(tmp_path) == [
            "web/conftest.py:1 InMemoryFileStore",
            "web/conftest.py:1 InMemoryMailer",
        ]

    def test_on_the_moved_fakes_and_a_local_import(self, tmp_path: Path) -> None:
        e2e = tmp_path / "e2e"
        e2e.mkdir()
        (e2e / "test_x.py").write_text(
            "def test_x():\n"
            "    from elk_domain.testing.memory import InMemoryUnitOfWork\n"
            "    import elk_domain.memory_oso\n"
        )
        assert violations(tmp_path) == [
            "e2e/test_x.py:2 InMemoryUnitOfWork",
            "e2e/test_x.py:3 elk_domain.memory_oso",
        ]

    def test_not_on_the_test_clock_nor_in_domain_tests(self, tmp_path: Path) -> None:
        (tmp_path / "cli").mkdir()
        (tmp_path / "cli" / "test_x.py").write_text("from elk_domain.memory import FixedClock\n")
        (tmp_path / "domain").mkdir()
        (tmp_path / "domain" / "test_x.py").write_text(
            "from elk_domain.memory import InMemoryMailer\n"
        )
        assert violations(tmp_path) == []
