"""The domain's error hierarchy: every refusal carries a kind that each entry point maps once."""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs


class ErrorKind(enum.Enum):
    """What kind of refusal an error is; web and CLI map each kind to a status or exit code."""

    REJECTED = "rejected"  # the input breaks a rule; the message says which
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"  # somebody else changed it first, or the state does not allow it
    UNAVAILABLE = "unavailable"  # an outside system (OSO, mail) did not answer


@attrs.frozen
class Violation:
    """One broken rule: the field path it concerns and a Dutch message a teacher understands."""

    path: str
    message: str


class ElkError(Exception):
    """Base of all domain errors; ``message`` is Dutch and safe to show to the user."""

    kind: ErrorKind = ErrorKind.REJECTED

    def __init__(self, message: str, *, violations: Iterable[Violation] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.violations: tuple[Violation, ...] = tuple(violations)


class Rejected(ElkError):
    """The input or the request breaks a rule."""

    kind = ErrorKind.REJECTED


class NotFound(ElkError):
    """The thing asked for does not exist (or is hidden from the actor)."""

    kind = ErrorKind.NOT_FOUND


class Forbidden(ElkError):
    """The actor's role or scope does not allow this action."""

    kind = ErrorKind.FORBIDDEN


class Conflict(ElkError):
    """The action clashes with the current state, e.g. a concurrent edit or a locked Oki-doc."""

    kind = ErrorKind.CONFLICT


class Unavailable(ElkError):
    """An outside system (OSO, mail server, storage) failed; retrying later may help."""

    kind = ErrorKind.UNAVAILABLE


class IllegalTransition(Conflict):
    """An Oki-doc (or other lifecycle) action is not allowed in the current state."""

    def __init__(self, state: str, action: str, message: str | None = None) -> None:
        super().__init__(message or f"Actie '{action}' is niet mogelijk in status '{state}'.")
        self.state = state
        self.action = action
