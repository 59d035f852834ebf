"""The placement instance as JSON (docs/placement.md): read with every type checked, in Dutch.

The file comes from outside (an administrator's export, anyone re-checking a published run), so
it is treated as hostile: a size cap, no NaN or Infinity, no duplicate keys, no unknown keys, no
nesting beyond what the format has, and each wrong type reported with its path; never a
traceback. Reading the result back and comparing it lives in ``placement_results``.
"""

from __future__ import annotations

import json
from typing import Any

from elk_domain.errors import Rejected, Violation
from elk_domain.placement.model import Instance, Programme, Pupil

#: Larger files are refused before parsing (175,000 pupils take about 20 MB).
MAX_BYTES = 64 * 1024 * 1024
MAX_TEXT = 200  # characters in an id, a school or a level
MAX_VIOLATIONS = 50
_PROGRAMME_KEYS = {"id", "school", "level", "capacity"}
_PUPIL_KEYS = {"id", "choices", "priority", "stay_equivalent", "multiple_birth_group"}
_INSTANCE_KEYS = {"format", "procedure", "seed", "seed_commitment", "programmes", "pupils"}
INSTANCE_FORMAT = "elk-placement-instance/1"


class _Errors:
    """Collects violations; stops the read once there are too many to be useful."""

    def __init__(self) -> None:
        self.found: list[Violation] = []

    def add(self, path: str, message: str) -> None:
        self.found.append(Violation(path, message))
        if len(self.found) >= MAX_VIOLATIONS:
            raise Rejected(_REFUSED, violations=[*self.found, _TOO_MANY])


_REFUSED = "Het bestand is geen geldige invoer voor de plaatsing."
_TOO_MANY = Violation("…", f"Na {MAX_VIOLATIONS} fouten is het lezen gestopt.")


def load_json(data: bytes, what: str) -> Any:
    """Parse JSON from outside: size cap, strict, no duplicate keys; Rejected in Dutch."""
    if len(data) > MAX_BYTES:
        raise Rejected(f"{what} is groter dan {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Rejected(f"{what} is geen UTF-8-tekst.") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except RecursionError:
        raise Rejected(f"{what} is te diep genest.") from None
    except ValueError as exc:
        raise Rejected(f"{what} is geen geldige JSON: {exc}") from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise ValueError("een sleutel staat twee keer in hetzelfde object")
    return found


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is geen getal")


def read_instance(data: bytes) -> Instance:
    """The instance in ``data``; Rejected listing every problem (up to MAX_VIOLATIONS)."""
    raw = load_json(data, "Het invoerbestand")
    errors = _Errors()
    if not isinstance(raw, dict):
        raise Rejected(_REFUSED, violations=[Violation("", "Verwacht een JSON-object.")])
    _keys(raw, _INSTANCE_KEYS, "", errors)
    if raw.get("format", INSTANCE_FORMAT) != INSTANCE_FORMAT:
        errors.add("format", f"Verwacht '{INSTANCE_FORMAT}'.")
    procedure = _text(raw.get("procedure"), "procedure", errors)
    seed = _text(raw.get("seed"), "seed", errors, limit=1000)
    committed = raw.get("seed_commitment")
    commitment = None if committed is None else _text(committed, "seed_commitment", errors)
    programmes = tuple(
        _programme(item, f"programmes[{i}]", errors)
        for i, item in enumerate(_list(raw.get("programmes"), "programmes", errors))
    )
    pupils = tuple(
        _pupil(item, f"pupils[{i}]", errors)
        for i, item in enumerate(_list(raw.get("pupils"), "pupils", errors))
    )
    if errors.found:
        raise Rejected(_REFUSED, violations=errors.found)
    return Instance(
        procedure=procedure,
        seed=seed,
        seed_commitment=commitment,
        programmes=programmes,
        pupils=pupils,
    )


def _keys(raw: dict[str, Any], allowed: set[str], path: str, errors: _Errors) -> None:
    for key in sorted(set(raw) - allowed):
        errors.add(f"{path}{'.' if path else ''}{key[:MAX_TEXT]}", "Onbekend veld.")


def _list(value: Any, path: str, errors: _Errors) -> list[Any]:
    if not isinstance(value, list):
        errors.add(path, "Verwacht een lijst.")
        return []
    return value


def _text(value: Any, path: str, errors: _Errors, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        errors.add(path, f"Verwacht een tekst van 1 tot {limit} tekens.")
        return ""
    return value


def _ident(value: Any, path: str, errors: _Errors) -> str:
    """An id: a text, or a whole number written as digits (an ELK number)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**MAX_TEXT:
        return str(value)
    return _text(value, path, errors)


def _optional_ident(value: Any, path: str, errors: _Errors) -> str | None:
    return None if value is None else _ident(value, path, errors)


def _programme(raw: Any, path: str, errors: _Errors) -> Programme:
    if not isinstance(raw, dict):
        errors.add(path, "Verwacht een object.")
        return Programme(id="", school="", level="", capacity=0)
    _keys(raw, _PROGRAMME_KEYS, path, errors)
    capacity = raw.get("capacity")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not 0 <= capacity < 10**7:
        errors.add(f"{path}.capacity", "Verwacht een geheel getal van 0 tot 10.000.000.")
        capacity = 0
    return Programme(
        id=_ident(raw.get("id"), f"{path}.id", errors),
        school=_text(raw.get("school"), f"{path}.school", errors),
        level=_text(raw.get("level"), f"{path}.level", errors),
        capacity=capacity,
    )


def _short_text(value: Any) -> bool:
    return type(value) is str and 0 < len(value) <= MAX_TEXT


def _pupil_as_written(raw: Any) -> Pupil | None:
    """The pupil when every field is text as the format writes it (the common case, fast)."""
    if type(raw) is not dict or not raw.keys() <= _PUPIL_KEYS:
        return None
    pupil_id, choices, priority = raw.get("id"), raw.get("choices"), raw.get("priority", False)
    stay, group = raw.get("stay_equivalent"), raw.get("multiple_birth_group")
    if not (
        _short_text(pupil_id)
        and type(choices) is list
        and all(map(_short_text, choices))
        and type(priority) is bool
        and (stay is None or _short_text(stay))
        and (group is None or _short_text(group))
    ):
        return None
    return Pupil(
        id=str(pupil_id),
        choices=tuple(choices),
        priority=priority,
        stay_equivalent=stay,
        multiple_birth_group=group,
    )


def _pupil(raw: Any, path: str, errors: _Errors) -> Pupil:
    quick = _pupil_as_written(raw)
    if quick is not None:
        return quick
    if not isinstance(raw, dict):
        errors.add(path, "Verwacht een object.")
        return Pupil(id="", choices=())
    _keys(raw, _PUPIL_KEYS, path, errors)
    choices = _list(raw.get("choices"), f"{path}.choices", errors)
    priority = raw.get("priority", False)
    if not isinstance(priority, bool):
        errors.add(f"{path}.priority", "Verwacht true of false.")
        priority = False
    return Pupil(
        id=_ident(raw.get("id"), f"{path}.id", errors),
        choices=tuple(_ident(c, f"{path}.choices[{i}]", errors) for i, c in enumerate(choices)),
        priority=priority,
        stay_equivalent=_optional_ident(
            raw.get("stay_equivalent"), f"{path}.stay_equivalent", errors
        ),
        multiple_birth_group=_optional_ident(
            raw.get("multiple_birth_group"), f"{path}.multiple_birth_group", errors
        ),
    )


def instance_to_json(instance: Instance) -> dict[str, Any]:
    """The instance as the JSON document ``read_instance`` reads back."""
    document: dict[str, Any] = {"format": INSTANCE_FORMAT, "procedure": instance.procedure}
    document["seed"] = instance.seed
    if instance.seed_commitment is not None:
        document["seed_commitment"] = instance.seed_commitment
    document["programmes"] = [
        {"id": p.id, "school": p.school, "level": p.level, "capacity": p.capacity}
        for p in instance.programmes
    ]
    document["pupils"] = [
        {
            "id": p.id,
            "choices": list(p.choices),
            "priority": p.priority,
            "stay_equivalent": p.stay_equivalent,
            "multiple_birth_group": p.multiple_birth_group,
        }
        for p in instance.pupils
    ]
    return document
