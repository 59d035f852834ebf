"""Each import-linter contract in pyproject.toml fires on a deliberate violation."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
FAKES_PROTECTED = "The product does not import the in-memory fakes"
FAKES_LAYERED = "The in-memory fakes: wiring on area fakes on the store, no circles"
AREAS = "The domain's areas: each imports only the areas below it"


def _lint(tmp_path: Path, violations: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run lint-imports on a copy of src/ with extra modules written into it."""
    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for relative, source in violations.items():
        (tmp_path / "src" / relative).write_text(source, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


class TestImportContracts:
    def test_the_unchanged_tree_keeps_every_contract(self, tmp_path: Path) -> None:
        result = _lint(tmp_path, {})
        assert result.returncode == 0, result.stdout + result.stderr
        assert "BROKEN" not in result.stdout

    @pytest.mark.parametrize(
        ("module", "source", "contract"),
        [
            (
                "elk_domain/_violation.py",
                "import elk_adapters.settings\n",
                "Rings: web and CLI on adapters on domain",
            ),
            (
                "elk_web/_violation.py",
                "import elk_cli.main\n",
                "Rings: web and CLI on adapters on domain",
            ),
            (
                "elk_domain/_violation.py",
                "import sqlalchemy\n",
                "The domain imports no I/O or framework library",
            ),
            (
                "elk_web/_violation.py",
                "import elk_adapters.persistence\n",
                "Web and CLI reach adapters only through bootstrap and settings",
            ),
            (
                "elk_cli/_violation.py",
                "import elk_adapters.oso.batch\n",
                "Web and CLI reach adapters only through bootstrap and settings",
            ),
            (
                "elk_web/_violation.py",
                "from concurrent.futures import ThreadPoolExecutor\n",
                "The CLI's OSO commands and the web hold no batch engine",
            ),
            (
                "elk_domain/okidoc/_violation.py",
                "from elk_domain.testing import FixedClock\n",
                FAKES_PROTECTED,
            ),
            (
                "elk_adapters/_violation.py",
                "import elk_domain.testing.outside\n",
                FAKES_PROTECTED,
            ),
            (
                "elk_web/_violation.py",
                "from elk_domain.testing import InMemoryMailer\n",
                FAKES_PROTECTED,
            ),
            (
                "elk_cli/_violation.py",
                "from elk_domain.testing.unit_of_work import InMemoryUnitOfWork\n",
                FAKES_PROTECTED,
            ),
            ("elk_domain/testing/_violation.py", "", FAKES_LAYERED),
            ("elk_domain/kernel/_violation.py", "import elk_domain.pupils.model\n", AREAS),
            ("elk_domain/oso/_violation.py", "import elk_domain.parents.registration\n", AREAS),
            ("elk_domain/_violation.py", "", AREAS),
            (
                "elk_domain/documents/_violation.py",
                "from elk_domain.okidoc.edit import edit_fields\n",
                "No other area calls the use cases of okidoc",
            ),
            (
                "elk_domain/parents/_violation.py",
                "from elk_domain.accounts import users\n",
                "No other area calls the use cases of accounts",
            ),
            (
                # A copy of the tree: the mechanism's module replaced by one bad import.
                "elk_domain/placement/lottery.py",
                "import elk_domain.organisation.procedure\n",
                "The placement mechanism is pure: it imports only the kernel and errors",
            ),
            (
                "elk_domain/placement/audit.py",
                "import elk_domain.placement.ports\n",
                "The placement mechanism is pure: it imports only the kernel and errors",
            ),
            (
                "elk_domain/vo/_violation.py",
                "from elk_domain.placement.operations import run_placement\n",
                "No other area calls the use cases of placement",
            ),
        ],
        ids=[
            "domain-imports-adapters",
            "web-imports-cli",
            "domain-imports-sqlalchemy",
            "web-imports-persistence",
            "other-cli-module-imports-the-engine",
            "web-runs-threads",
            "domain-service-imports-the-fakes",
            "adapter-imports-the-fakes",
            "web-imports-the-fakes",
            "cli-imports-the-fakes",
            "fake-module-outside-the-layers",
            "kernel-imports-an-area-above-it",
            "sibling-areas-import-each-other",
            "domain-module-outside-every-area",
            "documents-call-an-okidoc-use-case",
            "parents-call-an-accounts-use-case",
            "placement-imports-another-area",
            "placement-mechanism-imports-the-database-run",
            "vo-calls-the-placement-run",
        ],
    )
    def test_a_deliberate_violation_breaks_its_contract(
        self, tmp_path: Path, module: str, source: str, contract: str
    ) -> None:
        result = _lint(tmp_path, {module: source})
        assert result.returncode != 0
        broken = [line for line in result.stdout.splitlines() if "BROKEN" in line]
        assert any(contract in line for line in broken), result.stdout

    @pytest.mark.parametrize(
        ("module", "extra_import"),
        [
            ("store.py", "from elk_domain.testing import unit_of_work"),
            ("pupils.py", "from elk_domain.testing import records"),
            ("records.py", "from elk_domain.testing import unit_of_work"),
        ],
        ids=["store-imports-the-wiring", "area-fakes-import-each-other", "area-imports-the-wiring"],
    )
    def test_a_circle_among_the_fakes_breaks_their_layers(
        self, tmp_path: Path, module: str, extra_import: str
    ) -> None:
        original = (ROOT / "src" / "elk_domain" / "testing" / module).read_text(encoding="utf-8")
        result = _lint(tmp_path, {f"elk_domain/testing/{module}": f"{original}\n{extra_import}\n"})
        assert result.returncode != 0
        broken = [line for line in result.stdout.splitlines() if "BROKEN" in line]
        assert any(FAKES_LAYERED in line for line in broken), result.stdout
