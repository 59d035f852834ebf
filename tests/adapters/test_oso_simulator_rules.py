"""Every dossier the simulator generates passes the XSD and Edustandaard's official rules.

Across both OV profiles it serves (binnen-BRIN, PO-VO overstapdossier), both sizes, any seed,
any set of categories the parents withheld, with and without the doorstroomtoets block: the
simulator serves only what a real LAS could send (issue 21). About 1,000 dossiers; the rules
are compiled once per process.
"""

from __future__ import annotations

import datetime as dt
import random

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elk_adapters.oso.dossiers.official_rules import check
from elk_adapters.oso.dossiers.parser import schema_violations, withheld
from elk_adapters.oso.dossiers.xmlsafe import parse_untrusted
from elk_adapters.oso.simulator.dossier_data import Transfer, category_marks, withholdable
from elk_adapters.oso.simulator.generator import build_dossier_xml
from elk_adapters.oso.simulator.samples import REALISTIC, SMALL, random_dossier, with_final_test
from elk_domain.kernel.values import SchoolLocation

LOCATION = SchoolLocation("12AB", "00")
TODAY = dt.date(2026, 1, 15)
SHAPED = attrs.evolve(REALISTIC, attachment_kb=(0, 0))  # realistic, with short text documents


@st.composite
def _simulated(draw: st.DrawFn) -> tuple[bytes, Transfer, frozenset[str]]:
    transfer = draw(st.sampled_from(Transfer))
    kept_back = draw(st.frozensets(st.sampled_from(withholdable(transfer))))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    # Every block of the realistic shape, mostly with short documents: the rules never read a
    # document's content, and a 170 KB dossier costs Saxon ~5 ms more (one in ten has them).
    size = draw(st.sampled_from([SMALL, *[SHAPED] * 4, *[SMALL] * 4, REALISTIC]))
    data = random_dossier(rng, LOCATION, TODAY, profile=size, transfer=transfer, withheld=kept_back)
    if draw(st.booleans()):  # the newer version, with the doorstroomtoets block
        data = with_final_test(data, rng, TODAY + dt.timedelta(days=draw(st.integers(0, 120))))
    return build_dossier_xml(data), transfer, kept_back


@settings(
    max_examples=1000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(simulated=_simulated())
def test_every_simulated_dossier_passes_the_xsd_and_the_official_rules(
    simulated: tuple[bytes, Transfer, frozenset[str]],
) -> None:
    xml, transfer, kept_back = simulated
    root = parse_untrusted(xml)
    assert schema_violations(root) == []
    assert check(root) == ()
    assert withheld(root) == kept_back
    assert root.findtext("{*}overdrachtsoort") == transfer.overdrachtsoort


def test_the_simulator_state_serves_both_profiles_and_opt_outs() -> None:
    from elk_adapters.oso.simulator.state import SimulatorState

    state = SimulatorState(seed=5)
    state.add_school(LOCATION, "1", "k")
    for transfer in Transfer:
        for kept_back in (frozenset(), frozenset(withholdable(transfer))):
            bsn = state.add_pupil(LOCATION, transfer=transfer, withheld=kept_back)
            for xml in (
                state.dossier_xml(LOCATION, bsn),
                build_dossier_xml(state.new_version(LOCATION, bsn, dt.date(2026, 4, 20))),
            ):
                assert xml is not None
                root = parse_untrusted(xml)
                assert (schema_violations(root), check(root)) == ([], ())
                assert withheld(root) == kept_back


def test_a_required_category_cannot_be_withheld() -> None:
    data = random_dossier(random.Random(1), LOCATION, TODAY, profile=SMALL)
    with pytest.raises(ValueError, match="PO_VO cannot withhold overstapadvies"):
        build_dossier_xml(
            attrs.evolve(data, transfer=Transfer.PO_VO, withheld=frozenset({"overstapadvies"}))
        )
    marks = dict(category_marks(Transfer.BINNEN_BRIN, frozenset({"overstapadvies"})))
    assert marks["cat_overstapadvies"] == "OPT-UIT"
    assert marks["cat_school"] == "VERPLICHT"
