"""The import contracts name every use case of every area, so a new one is covered at once.

A use case is a module-level function whose first parameter is the unit of work. Each area's
use-case modules are forbidden to every other area by one contract in pyproject.toml ("No other
area calls the use cases of …"); the building blocks that use cases share across areas (the
audit record, the mail queue, the access rule for a pupil, saving an Oki-doc) are not.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "src" / "elk_domain"
BUILDING_BLOCKS = {
    "elk_domain.kernel.support",
    "elk_domain.kernel.mail_queue",
    "elk_domain.pupils.access",
    "elk_domain.okidoc.saving",
}


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def _areas() -> list[str]:
    layers = next(c for c in _contracts() if c["name"].startswith("The domain's areas"))["layers"]
    assert isinstance(layers, list)
    return [name.strip() for layer in layers for name in layer.split("|")]


def _use_case_modules(area: str) -> set[str]:
    found = set()
    for path in (DOMAIN / area).rglob("*.py"):
        module = ".".join(path.relative_to(DOMAIN.parent).with_suffix("").parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            first = node.args.args[:1] if isinstance(node, ast.FunctionDef) else []
            if first and first[0].arg == "uow":
                found.add(module)
    return found - BUILDING_BLOCKS


class TestAreaContracts:
    def test_every_folder_of_the_domain_is_a_layer(self) -> None:
        folders = {p.name for p in DOMAIN.iterdir() if (p / "__init__.py").exists()}
        assert folders - {"testing"} == set(_areas()) - {"unit_of_work", "errors"}

    def test_each_area_forbids_its_use_cases_to_every_other_area(self) -> None:
        areas = [a for a in _areas() if (DOMAIN / a).is_dir()]
        for area in areas:
            use_cases = _use_case_modules(area)
            if not use_cases:
                continue
            contract = next(
                c
                for c in _contracts()
                if c["name"] == f"No other area calls the use cases of {area}"
            )
            assert set(contract["forbidden_modules"]) == use_cases, area  # type: ignore[arg-type]
            others = {f"elk_domain.{a}" for a in areas if a != area}
            assert set(contract["source_modules"]) == others, area  # type: ignore[arg-type]

    def test_use_cases_are_told_from_building_blocks_and_rules(self) -> None:
        assert "elk_domain.okidoc.edit" in _use_case_modules("okidoc")
        assert "elk_domain.okidoc.saving" not in _use_case_modules("okidoc")
        assert "elk_domain.okidoc.rules" not in _use_case_modules("okidoc")
