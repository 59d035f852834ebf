"""What the permission policy reads of the things it decides on, as small protocols.

The kernel imports no area: a school, group or pupil of an area above satisfies these
structurally (``organisation.model.School``, ``organisation.model.Group``, ``pupils.model.Pupil``).
"""

from __future__ import annotations

from typing import Protocol


class SchoolLike(Protocol):
    """What the policy reads of a school (``organisation.model.School``)."""

    @property
    def id(self) -> int: ...

    @property
    def board_id(self) -> int: ...


class GroupLike(Protocol):
    """What the policy reads of a group (``organisation.model.Group``)."""

    @property
    def id(self) -> int: ...


class PupilLike(Protocol):
    """What the policy reads of a pupil (``pupils.model.Pupil``)."""

    @property
    def id(self) -> int: ...

    @property
    def group_id(self) -> int | None: ...
