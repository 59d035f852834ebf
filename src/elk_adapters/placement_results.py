"""The placement result as JSON, and ``elk placement verify``'s comparison with a recomputation.

The result file is checked the way the instance is (``placement_files.load_json``); verify then
recomputes the run from the instance and the withdrawals the result names, and lists in Dutch
every place where the file differs from the recomputation.
"""

from __future__ import annotations

from typing import Any

import attrs

from elk_adapters.placement_files import MAX_TEXT, load_json
from elk_domain.errors import Rejected, Violation
from elk_domain.placement.model import Instance
from elk_domain.placement.result import Audit, Cutoff, Result
from elk_domain.placement.run import replay

RESULT_FORMAT = "elk-placement-result/1"
MAX_LISTED = 20  # differences named one by one; the rest are counted


def result_to_json(result: Result) -> dict[str, Any]:
    """The result document: placements, lottery, reserve lists, audit, withdrawals."""
    return {
        "format": RESULT_FORMAT,
        "procedure": result.procedure,
        "seed_commitment": result.seed_commitment,
        "placements": dict(result.placements),
        "lottery": dict(result.lottery),
        "reserve": {programme: list(row) for programme, row in result.reserve.items()},
        "withdrawn": [list(batch) for batch in result.withdrawn],
        "audit": _audit(result.audit),
    }


def _audit(audit: Audit) -> dict[str, Any]:
    return {
        "blocking_pairs": audit.blocking_pairs,
        "placed_by_choice": list(audit.placed_by_choice),
        "placed_equivalent": audit.placed_equivalent,
        "unplaced": audit.unplaced,
        "withdrawn": audit.withdrawn,
        "oversubscribed": [attrs.asdict(cutoff) for cutoff in audit.oversubscribed],
        "swap_pupils": audit.swap_pupils,
    }


def result_from_json(document: dict[str, Any]) -> Result:
    """The result as ``result_to_json`` wrote it (ELK's own stored runs; not checked again)."""
    audit = document["audit"]
    return Result(
        procedure=document["procedure"],
        seed_commitment=document["seed_commitment"],
        placements=document["placements"],
        lottery=document["lottery"],
        reserve={programme: tuple(row) for programme, row in document["reserve"].items()},
        withdrawn=tuple(tuple(batch) for batch in document.get("withdrawn", ())),
        audit=Audit(
            blocking_pairs=audit["blocking_pairs"],
            placed_by_choice=tuple(audit["placed_by_choice"]),
            placed_equivalent=audit["placed_equivalent"],
            unplaced=audit["unplaced"],
            withdrawn=audit["withdrawn"],
            oversubscribed=tuple(Cutoff(**cutoff) for cutoff in audit["oversubscribed"]),
            swap_pupils=audit["swap_pupils"],
        ),
    )


def read_withdrawn(document: Any) -> list[list[str]]:
    """The withdrawal batches a result names, each checked to be a list of ids."""
    batches: Any = document.get("withdrawn", []) if isinstance(document, dict) else None
    ok = isinstance(batches, list) and all(
        isinstance(batch, list)
        and all(isinstance(i, str) and 0 < len(i) <= MAX_TEXT for i in batch)
        for batch in batches
    )
    if not ok:
        message = "Verwacht een lijst van lijsten met leerlingnummers (tekst)."
        violations = [Violation("withdrawn", message)]
        raise Rejected("Het resultaatbestand klopt niet.", violations=violations)
    return list(batches)


def verify(instance: Instance, data: bytes) -> list[str]:
    """Recompute the run and compare it with the result file; the differences, in Dutch."""
    given = load_json(data, "Het resultaatbestand")
    if not isinstance(given, dict):
        return ["Het resultaatbestand is geen JSON-object."]
    expected = result_to_json(replay(instance, read_withdrawn(given)))
    found: list[str] = []
    for key in sorted(set(expected) | set(given)):
        if key not in given:
            found.append(f"Het veld '{key}' ontbreekt.")
        elif key not in expected:
            found.append(f"Onbekend veld '{key[:MAX_TEXT]}'.")
        elif isinstance(expected[key], dict) and key != "audit":
            found.extend(_per_entry(key, expected[key], given[key]))
        elif expected[key] != given[key]:
            found.append(_differs(key, expected[key], given[key]))
    if len(found) > MAX_LISTED:
        found[MAX_LISTED:] = [f"… en nog {len(found) - MAX_LISTED} verschillen."]
    return found


_ENTRY = {"placements": "plaatsing van leerling", "lottery": "lotnummer van leerling"}


def _per_entry(key: str, expected: dict[str, Any], given: Any) -> list[str]:
    if not isinstance(given, dict):
        return [f"Het veld '{key}' is geen JSON-object."]
    what = _ENTRY.get(key, "reservelijst van opleiding")
    found = []
    for entry in sorted(set(expected) | set(given)):
        if entry not in given:
            found.append(f"De {what} {entry} ontbreekt.")
        elif entry not in expected:
            found.append(f"De {what} {entry[:MAX_TEXT]} hoort er niet in.")
        elif expected[entry] != given[entry]:
            found.append(_differs(f"{what} {entry}", expected[entry], given[entry]))
    return found


def _differs(what: str, expected: Any, given: Any) -> str:
    shown = repr(given)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return f"De {what}: in het bestand {shown}, herberekend {expected!r}."
