"""What the VO school's use cases read: registrations, pupils, their Oki-docs and schools."""

from __future__ import annotations

from typing import Protocol

from elk_domain.okidoc.ports import OkidocWork
from elk_domain.parents.ports import RegistrationRepository


class VoRepositories(Protocol):
    """The repositories only the VO side adds to the Oki-doc's."""

    registrations: RegistrationRepository


class VoWork(VoRepositories, OkidocWork, Protocol):
    """The unit of work of the VO school's use cases."""
