"""The unit of work of the adapters: every area's repositories in one transaction.

Each area declares its repositories once, in its ``ports`` module (``OrganisationRepositories``,
``PupilRepositories``, …), and its use cases ask only for that area's ``...Work``. This module
composes the full set for the adapters: the SQLAlchemy and the in-memory unit of work subclass
``UnitOfWork`` and wire an adapter to every name; mypy checks each adapter against its port and
refuses a unit of work that leaves a name unwired (tests/architecture/test_repository_set.py
checks the same at run time), and checks that ``UnitOfWork`` satisfies every area's ``...Work``
wherever one is passed.
"""

from __future__ import annotations

from typing import Protocol

from elk_domain.accounts.ports import AccountRepositories
from elk_domain.kernel.ports import RecordRepositories, Transaction
from elk_domain.okidoc.ports import OkidocRepositories
from elk_domain.organisation.ports import OrganisationRepositories
from elk_domain.oso.ports import OsoRepositories
from elk_domain.overview.ports import OverviewRepositories
from elk_domain.parents.ports import ParentRepositories
from elk_domain.placement.ports import PlacementRepositories
from elk_domain.pupils.ports import PupilRepositories
from elk_domain.vo.ports import VoRepositories


class Repositories(
    PlacementRepositories,
    VoRepositories,
    ParentRepositories,
    OverviewRepositories,
    OsoRepositories,
    OkidocRepositories,
    PupilRepositories,
    AccountRepositories,
    OrganisationRepositories,
    RecordRepositories,
    Protocol,
):
    """The repository set of a unit of work: every area's repositories, each declared once."""


class UnitOfWork(Repositories, Transaction, Protocol):
    """One transaction over every repository."""
