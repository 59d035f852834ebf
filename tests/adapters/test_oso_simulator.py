"""The OSO simulator: deterministic, valid dossiers and a control API over plain HTTP."""

from __future__ import annotations

import datetime as dt

import requests
from lxml import etree
from tests.fixtures.oso_sim import KEY, LOCATION, NUMBER, oso_simulator

from elk_adapters.oso.dossiers.official_rules import check
from elk_adapters.oso.dossiers.parser import parse_dossier, schema_violations
from elk_adapters.oso.dossiers.xmlsafe import parse_untrusted
from elk_adapters.oso.dossiers.xmltext import OSO_NS
from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.simulator.rule_breaking import without_category_block
from elk_adapters.oso.simulator.server import SimulatorServer, seed_demo
from elk_adapters.oso.simulator.state import FaultKind, SimulatorState
from elk_domain.kernel.values import Bsn, SchoolLocation

__all__ = ["oso_simulator"]


def _post(sim: SimulatorServer, path: str, body: dict[str, object]) -> dict[str, object]:
    response = requests.post(f"{sim.base_url}{path}", json=body, timeout=5)
    response.raise_for_status()
    result: dict[str, object] = response.json()
    return result


def _get(sim: SimulatorServer, path: str) -> dict[str, object]:
    response = requests.get(f"{sim.base_url}{path}", timeout=5)
    response.raise_for_status()
    result: dict[str, object] = response.json()
    return result


class TestGeneratedDossiers:
    def test_same_seed_gives_the_same_dossiers(self) -> None:
        a, b = SimulatorState(seed=3), SimulatorState(seed=3)
        bsn_a, bsn_b = a.add_pupil(LOCATION), b.add_pupil(LOCATION)
        assert bsn_a == bsn_b
        assert a.dossier_xml(LOCATION, bsn_a) == b.dossier_xml(LOCATION, bsn_b)

    def test_every_seeded_dossier_passes_the_xsd_and_the_official_rules(self) -> None:
        # Before issue 21 the official rules refused every one of them (OVb.MD03).
        state = SimulatorState(seed=11)
        for _ in range(25):
            bsn = state.add_pupil(LOCATION)
            state.new_version(LOCATION, bsn, dt.date(2026, 4, 20))
            xml = state.dossier_xml(LOCATION, bsn)
            assert xml is not None
            root = parse_untrusted(xml)
            assert schema_violations(root) == []
            assert check(root) == ()

    def test_demo_seeding_creates_points_and_pupils(self) -> None:
        state = SimulatorState(seed=1)
        (row,) = seed_demo(state, [SchoolLocation("34CD", "01")], 3)
        location, number, key, bsns = row
        assert state.points[location].key == key
        assert number
        assert len(bsns) == 3
        assert all(state.dossier_xml(location, b) for b in bsns)


class TestControlApi:
    def test_schools_pupils_and_versions_over_http(self, oso_simulator: SimulatorServer) -> None:
        _post(oso_simulator, "/control/schools", {"location": "56EF00", "number": "1", "key": "k"})
        bsn = str(_post(oso_simulator, "/control/pupils", {"location": "56EF00"})["bsn"])
        _post(oso_simulator, f"/control/pupils/56EF00/{bsn}/new-version", {})
        xml = oso_simulator.state.dossier_xml(SchoolLocation("56EF", "00"), bsn)
        assert xml is not None
        assert parse_dossier(xml).final_test_results

    def test_a_po_vo_dossier_with_opt_outs_over_http(self, oso_simulator: SimulatorServer) -> None:
        body = {"location": str(LOCATION), "transfer": "PO_VO", "withheld": "verzuim,bijlagedocs"}
        bsn = str(_post(oso_simulator, "/control/pupils", body)["bsn"])
        xml = oso_simulator.state.dossier_xml(LOCATION, bsn)
        assert xml is not None
        dossier = parse_dossier(xml)
        assert dossier.withheld == {"verzuim", "bijlagedocs"}
        assert dossier.rule_messages == ()
        assert b"<overdrachtsoort>overstapdossier</overdrachtsoort>" in xml

    def test_faults_and_switch_off_over_http(self, oso_simulator: SimulatorServer) -> None:
        _post(oso_simulator, "/control/faults", {"kind": "http500", "bsn": "123456782"})
        _post(oso_simulator, f"/control/delivery-points/{LOCATION}/switch-off", {})
        state = _get(oso_simulator, "/control/state")
        assert state["faults"] == {"123456782": "http500"}
        assert state["points"] == [
            {"location": "12AB00", "number": "4711", "registered": False, "may_request": False}
        ]
        requests.delete(f"{oso_simulator.base_url}/control/faults", timeout=5).raise_for_status()
        assert _get(oso_simulator, "/control/state")["faults"] == {}

    def test_a_non_soap_request_gets_a_soap_fault(self, oso_simulator: SimulatorServer) -> None:
        response = requests.post(oso_simulator.endpoint, data=b"<x/>", timeout=5)
        assert response.status_code == 500
        assert b"OngeldigBericht" in response.content


class TestRuleBreakingDossier:
    """The ``breaks_rules`` fault (issue 21): passes the XSD, lacks the category block."""

    def test_the_category_block_is_left_out_and_nothing_else(self) -> None:
        state = SimulatorState(seed=5)
        xml = state.dossier_xml(LOCATION, state.add_pupil(LOCATION))
        assert xml is not None
        assert b"<categorie_uitlevering>" in xml  # every generated dossier has it
        served = without_category_block(xml)
        assert b"categorie_uitlevering" not in served
        assert schema_violations(parse_untrusted(served)) == []
        expected = parse_untrusted(xml)
        block = expected.find(f"{{{OSO_NS}}}metadata/{{{OSO_NS}}}categorie_uitlevering")
        assert block is not None
        expected[0].remove(block)
        assert etree.tostring(parse_untrusted(served)) == etree.tostring(expected)

    def test_the_fault_serves_a_dossier_the_parser_accepts(
        self, oso_simulator: SimulatorServer
    ) -> None:
        state = oso_simulator.state
        gateway = ZeepOsoGateway(oso_simulator.endpoint, operation_timeout=3, retries=0)
        gateway.register_delivery_point(LOCATION, NUMBER, KEY)
        bsn = state.add_pupil(LOCATION)
        state.set_fault(FaultKind.BREAKS_RULES, bsn=bsn)
        dossier = gateway.fetch_dossier(LOCATION, Bsn.parse(bsn))
        assert dossier is not None
        assert dossier.bsn == Bsn.parse(bsn)
