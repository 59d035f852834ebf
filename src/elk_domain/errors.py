"""The domain's error hierarchy: every refusal carries a kind that each entry point maps once."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs


class ErrorKind(enum.Enum):
    """What kind of refusal an error is; web and CLI map each kind to a status or exit code."""

    REJECTED = "rejected"  # the input breaks a rule; the message says which
    NOT_FOUND = "not_found"
    FORBIDDEN = "forbidden"
    CONFLICT = "conflict"  # somebody else changed it first, or the state does not allow it
    UNAVAILABLE = "unavailable"  # an outside system (OSO, mail) did not answer


class Message(str):
    """A Dutch text that remembers how it was made: a ``template`` and its named ``params``.

    It *is* the Dutch text (a ``str``), so whatever shows, compares or logs Dutch keeps working;
    a page in another language looks ``template`` up in its catalogue and fills in ``params``
    (the parents' portal, decision 0048). The domain itself never translates.
    """

    template: str
    params: Mapping[str, object]

    def __new__(cls, template: str, /, **params: object) -> Message:
        """``Message("Kies {n} scholen.", n=5)`` is the text "Kies 5 scholen."."""
        text = super().__new__(cls, template.format(**params) if params else template)
        text.template = template
        text.params = MappingProxyType(dict(params))
        return text

    def __reduce__(self) -> tuple[object, ...]:
        return (_message, (self.template, dict(self.params)))


def _message(template: str, params: dict[str, object]) -> Message:
    return Message(template, **params)


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
