"""Benchmark (``make bench`` only): what Edustandaard's official rules add to checking a dossier.

Prints one line: ``BENCH oso_validate xsd_ms=… xsd_rules_ms=… ratio=… …``

* xsd_ms: per dossier, the safe parse (``parse_untrusted``) and the XSD validation: what every
  dossier went through before issue 21;
* xsd_rules_ms: the same, then the official rules (``official_rules.check``: the tree
  serialised, parsed by Saxon, the stylesheet run, the messages read): what a sync and
  ``elk oso validate`` now do before extracting fields;
* ratio = xsd_rules_ms / xsd_ms; rules_ms = the difference.
Both in one run, taking turns dossier by dossier, wall time, medians of ``ROUNDS`` rounds of
the per-dossier means. The dossiers: the simulator's realistic ones (~180 KB; both profiles,
with and without opt-outs and the doorstroomtoets) and the eight public samples.
* first_use_s: a fresh interpreter's first ``check`` (import of saxonche, the processor, the
  compilation of the stylesheets and the rule-code table): paid once per process, so once
  per ``elk oso sync`` worker process and once per web server process.
No target: the figures go to decision record 0043.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import elk_adapters
from elk_adapters.oso.dossiers.official_rules import check
from elk_adapters.oso.dossiers.parser import schema
from elk_adapters.oso.dossiers.xmlsafe import parse_untrusted
from elk_adapters.oso.simulator.dossier_data import Transfer, withholdable
from elk_adapters.oso.simulator.generator import build_dossier_xml
from elk_adapters.oso.simulator.samples import random_dossier, with_final_test
from elk_domain.kernel.values import SchoolLocation

SAMPLES = Path(__file__).parents[1] / "fixtures" / "oso"
SIMULATED, ROUNDS = 96, 7
LOCATION = SchoolLocation("12AB", "00")
_FIRST_USE = """
import sys, time
sys.path.insert(0, sys.argv[1])
from elk_adapters.oso.dossiers.xmlsafe import parse_untrusted
root = parse_untrusted(open(sys.argv[2], "rb").read())
from elk_adapters.oso.dossiers.official_rules import check
start = time.perf_counter()
assert check(root) == ()
print(time.perf_counter() - start)
"""


def _dossiers() -> list[bytes]:
    rng = random.Random(2026)
    today = dt.date(2026, 1, 15)
    found = []
    for n in range(SIMULATED):
        transfer = (Transfer.BINNEN_BRIN, Transfer.PO_VO)[n % 2]
        options = withholdable(transfer)
        kept_back = frozenset(rng.sample(options, rng.randrange(len(options)))) if n % 3 else None
        data = random_dossier(
            rng, LOCATION, today, transfer=transfer, withheld=kept_back or frozenset()
        )
        if n % 4 < 2:
            data = with_final_test(data, rng, dt.date(2026, 4, 20))
        found.append(build_dossier_xml(data))
    return found + [path.read_bytes() for path in sorted(SAMPLES.glob("Voorbeelddossier_*.xml"))]


def _xsd(data: bytes) -> None:
    assert schema().validate(parse_untrusted(data))


def _xsd_rules(data: bytes) -> None:
    root = parse_untrusted(data)
    assert schema().validate(root)
    assert check(root) == ()


def _round(dossiers: list[bytes], works: list[Callable[[bytes], None]]) -> list[float]:
    spent = [0.0] * len(works)
    for index, data in enumerate(dossiers):
        order = range(len(works)) if index % 2 else reversed(range(len(works)))
        for w in order:
            start = time.perf_counter()
            works[w](data)
            spent[w] += time.perf_counter() - start
    return [total / len(dossiers) * 1000 for total in spent]


def _first_use_s() -> float:
    source_root = str(Path(elk_adapters.__file__).resolve().parent.parent)
    sample = str(SAMPLES / "Voorbeelddossier_OV_BB_opt_out.xml")
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_USE, source_root, sample],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.strip())


def test_oso_validate_benchmark() -> None:
    dossiers = _dossiers()
    works = [_xsd, _xsd_rules]
    _round(dossiers[:20], works)  # warm up: schema, compiled rules, Saxon's own caches
    rounds = [_round(dossiers, works) for _ in range(ROUNDS)]
    xsd_ms, both_ms = (statistics.median(r[w] for r in rounds) for w in range(len(works)))
    first_use = statistics.median(_first_use_s() for _ in range(3))
    print(  # noqa: T201  (the one line `make bench` reports)
        f"BENCH oso_validate xsd_ms={xsd_ms:.2f} xsd_rules_ms={both_ms:.2f} "
        f"ratio={both_ms / xsd_ms:.1f} rules_ms={both_ms - xsd_ms:.2f} "
        f"first_use_s={first_use:.2f} dossiers={len(dossiers)} rounds={ROUNDS} "
        f"dossier_kb={sum(map(len, dossiers)) / len(dossiers) / 1024:.0f}"
    )
