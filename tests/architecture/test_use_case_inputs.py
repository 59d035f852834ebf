"""Use cases take a command object (frozen attrs) when they need more than four inputs.

Issue 13, item 3. A use case is a public module-level function of ``src/elk_domain`` (the
in-memory fakes in ``testing/`` aside) whose first parameter is ``uow``, or ``ports`` for the
OSO batches (``BatchPorts``: a unit of work per job, the engine, files, clock). What it is
handed falls in three kinds, told apart by the parameter's name:

- a port, the way the use case reaches the outside world (``PORTS``);
- who acts (``WHO_ACTS``): the signed-in ``actor``, or the ``pending`` user between password
  and code, who is not an actor yet;
- data: every other parameter, ``*args`` and ``**kwargs`` included.

More than ``MAX_INPUTS`` data inputs fail the test: bundle them in a command (``AddNote``,
``RecordInspection``) or an options value (``MergeOptions``). The names are a fixed set and kept
honest: each is used by some use case, always with the type it stands for, so naming a data
parameter ``files`` does not slip it past the count.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import attrs

DOMAIN = Path(__file__).resolve().parents[2] / "src" / "elk_domain"
MAX_INPUTS = 4

# Parameter name → the annotations it may carry (source text; ``*Work`` for any unit of work).
PORTS: dict[str, frozenset[str]] = {
    "uow": frozenset({"*Work"}),
    "ports": frozenset({"BatchPorts"}),
    "clock": frozenset({"Clock"}),
    "random": frozenset({"RandomSource"}),
    "hasher": frozenset({"PasswordHasher"}),
    "gateway": frozenset({"OsoGateway"}),
    "files": frozenset({"FileStore"}),
    "renderer": frozenset({"DocumentRenderer"}),
    "links": frozenset({"AccountLinks", "PortalLinks"}),
    "mailer": frozenset({"Mailer"}),
}
WHO_ACTS: dict[str, frozenset[str]] = {
    "actor": frozenset({"Actor"}),
    "pending": frozenset({"Pending"}),
}
NOT_DATA = {**PORTS, **WHO_ACTS}
FIRST = ("uow", "ports")  # what a use case's first parameter is called


@attrs.frozen
class UseCase:
    """One use case's signature: where it is and its parameters as (name, annotation)."""

    where: str
    parameters: tuple[tuple[str, str], ...]

    @property
    def data(self) -> list[str]:
        """The parameters that are neither ports nor who acts."""
        return [name for name, _ in self.parameters if name not in NOT_DATA]


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[str, str]]:
    args = function.args
    named = [*args.posonlyargs, *args.args]
    starred = [args.vararg] if args.vararg else []
    keywords = [args.kwarg] if args.kwarg else []
    for arg in (*named, *starred, *args.kwonlyargs, *keywords):
        yield arg.arg, ast.unparse(arg.annotation) if arg.annotation else ""


def use_cases(root: Path = DOMAIN) -> Iterator[UseCase]:
    """Every public module-level function under ``root`` whose first parameter is in ``FIRST``."""
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] == "testing":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            parameters = tuple(_parameters(node))
            if node.name.startswith("_") or not parameters or parameters[0][0] not in FIRST:
                continue
            yield UseCase(f"{relative.as_posix()}:{node.lineno} {node.name}", parameters)


def _fits(annotation: str, allowed: frozenset[str]) -> bool:
    return any(
        annotation.endswith(a.removeprefix("*")) if a.startswith("*") else annotation == a
        for a in allowed
    )


class TestUseCaseInputs:
    def test_no_use_case_takes_more_than_four_data_inputs(self) -> None:
        offenders = [
            f"{case.where}: {len(case.data)} data inputs {case.data}"
            for case in use_cases()
            if len(case.data) > MAX_INPUTS
        ]
        assert not offenders, "use a frozen attrs command:\n" + "\n".join(offenders)

    def test_the_scan_finds_the_use_cases_of_every_area(self) -> None:
        areas = {case.where.split("/")[0] for case in use_cases()}
        expected = {"accounts", "documents", "okidoc", "organisation", "oso", "parents", "pupils"}
        assert areas >= expected
        assert sum(1 for _ in use_cases()) > 80


class TestThePortNamesStayHonest:
    def test_each_name_is_used_by_some_use_case(self) -> None:
        used = {name for case in use_cases() for name, _ in case.parameters}
        assert set(NOT_DATA) <= used, sorted(set(NOT_DATA) - used)

    def test_each_name_carries_the_type_it_stands_for(self) -> None:
        wrong = [
            f"{case.where}: {name}: {annotation}"
            for case in use_cases()
            for name, annotation in case.parameters
            if name in NOT_DATA and not _fits(annotation, NOT_DATA[name])
        ]
        assert not wrong, "\n".join(wrong)


class TestTheCheckFires:
    """The counting on made-up modules: it catches what it should and lets the rest through."""

    def _cases(self, tmp_path: Path, source: str) -> list[UseCase]:
        (tmp_path / "area").mkdir()
        (tmp_path / "area" / "cases.py").write_text(source, encoding="utf-8")
        (tmp_path / "testing").mkdir()
        (tmp_path / "testing" / "fakes.py").write_text(source, encoding="utf-8")
        return list(use_cases(tmp_path))

    def test_counts_data_but_neither_ports_nor_who_acts(self, tmp_path: Path) -> None:
        source = (
            "def wide(uow: AWork, clock: Clock, actor: Actor, a: int, b: int, c: int,\n"
            "         *rest: int, d: int = 0, **more: int) -> None: ...\n"
            "def narrow(uow: AWork, files: FileStore, actor: Actor, command: Cmd) -> None: ...\n"
            "def batch(ports: BatchPorts, actor: Actor, a: int, b: int, c: int, d: int,\n"
            "          e: int) -> None: ...\n"
            "def _private(uow: AWork, a: int, b: int, c: int, d: int, e: int) -> None: ...\n"
            "def helper(okidoc: OkiDoc, a: int, b: int, c: int, d: int) -> None: ...\n"
            "class Holder:\n"
            "    def method(uow, a, b, c, d, e): ...\n"
        )
        cases = self._cases(tmp_path, source)
        assert [(c.where, c.data) for c in cases] == [
            ("area/cases.py:1 wide", ["a", "b", "c", "rest", "d", "more"]),
            ("area/cases.py:3 narrow", ["command"]),
            ("area/cases.py:4 batch", ["a", "b", "c", "d", "e"]),
        ]

    def test_a_port_name_with_another_type_is_caught(self, tmp_path: Path) -> None:
        source = "def save(uow: AWork, files: list[str]) -> None: ...\n"
        [case] = self._cases(tmp_path, source)
        assert not _fits(dict(case.parameters)["files"], PORTS["files"])
        assert _fits("OsoWork", PORTS["uow"])
