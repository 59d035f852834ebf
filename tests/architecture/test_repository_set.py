"""The unit of work's repositories are listed once, in ``elk_domain.unit_of_work.Repositories``.

Both units of work (SQLAlchemy and in-memory) inherit that list instead of repeating it, and
wire every name with an adapter that has the methods of the name's port.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine
from elk_domain.testing import InMemoryUnitOfWork
from elk_domain.unit_of_work import Repositories, UnitOfWork

REPOSITORY_PORTS: dict[str, type] = typing.get_type_hints(Repositories)
UNITS_OF_WORK = (SqlAlchemyUnitOfWork, InMemoryUnitOfWork)


def _port_methods(port: type) -> list[str]:
    return [
        name
        for name, value in vars(port).items()
        if inspect.isfunction(value) and not name.startswith("_")
    ]


def _shape(function: typing.Any, *, bound: bool) -> list[tuple[str, inspect._ParameterKind]]:
    """Parameter kinds in order; names where a caller must use them (keyword-only)."""
    parameters = list(inspect.signature(function).parameters.values())[0 if bound else 1 :]
    return [
        (p.name if p.kind is inspect.Parameter.KEYWORD_ONLY else "", p.kind) for p in parameters
    ]


class TestOneDefinition:
    def test_the_set_names_every_repository_with_its_port(self) -> None:
        assert (
            len(REPOSITORY_PORTS) == 23
        )  # + vo_region (15), orientation_lists (14), placement_runs (16)
        assert all(getattr(port, "_is_protocol", False) for port in REPOSITORY_PORTS.values())

    def test_the_unit_of_work_port_adds_the_transaction_not_a_second_list(self) -> None:
        assert typing.get_type_hints(UnitOfWork) == REPOSITORY_PORTS
        assert not inspect.get_annotations(UnitOfWork)

    @pytest.mark.parametrize("unit_of_work", UNITS_OF_WORK, ids=lambda cls: cls.__name__)
    def test_no_unit_of_work_declares_its_own_list(self, unit_of_work: type) -> None:
        assert UnitOfWork in unit_of_work.__mro__
        declared = set(inspect.get_annotations(unit_of_work))
        assert not declared & set(REPOSITORY_PORTS)


@pytest.fixture(params=["sqlite", "memory"])
def unit_of_work(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitOfWork]:
    """An open unit of work of each kind (the SQLAlchemy one wires its repositories on entry)."""
    if request.param == "memory":
        yield InMemoryUnitOfWork()
        return
    engine = make_engine(f"sqlite:///{tmp_path / 'elk.db'}")
    try:
        with SqlAlchemyUnitOfWork(engine) as uow:
            yield uow
    finally:
        engine.dispose()


@pytest.mark.parametrize("name", sorted(REPOSITORY_PORTS))
def test_every_repository_is_wired_with_an_adapter_of_its_port(
    unit_of_work: UnitOfWork, name: str
) -> None:
    port = REPOSITORY_PORTS[name]
    adapter = getattr(unit_of_work, name)
    assert _port_methods(port), f"{port.__name__} has no methods to compare"
    for method in _port_methods(port):
        implemented = getattr(adapter, method, None)
        assert callable(implemented), f"{type(adapter).__name__}.{method} of {port.__name__}"
        expected = _shape(getattr(port, method), bound=False)
        assert _shape(implemented, bound=True) == expected, f"{type(adapter).__name__}.{method}"
