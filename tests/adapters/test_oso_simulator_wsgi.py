"""The simulator's SOAP path without Flask (``SimulatorApp``) answers as the Flask app did.

Served over real HTTP by ``SimulatorServer``; the Flask app alone (``create_app``) still
answers SOAP the same way, for callers that mount it themselves.
"""

from __future__ import annotations

import datetime as dt

import requests
from tests.fixtures.oso_sim import KEY, LOCATION, NUMBER, oso_simulator

from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.simulator import soap
from elk_adapters.oso.simulator.app import MAX_REQUEST_BYTES, create_app
from elk_adapters.oso.simulator.server import SimulatorServer
from elk_adapters.oso.simulator.state import FaultKind, SimulatorState
from elk_domain.kernel.values import Bsn

__all__ = ["oso_simulator"]

PING = (
    b'<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
    b'<soap:Body><oso:pingRequest xmlns:oso="' + soap.TNS.encode() + b'"><oso:brin>12AB</oso:brin>'
    b"<oso:vestiging>00</oso:vestiging></oso:pingRequest></soap:Body></soap:Envelope>"
)


class TestSoapWithoutFlask:
    def test_answers_soap_on_oso_and_on_a_delivery_point(
        self, oso_simulator: SimulatorServer
    ) -> None:
        for url in (oso_simulator.endpoint, f"{oso_simulator.base_url}/las/000000070001"):
            response = requests.post(url, data=PING, timeout=5)
            assert response.status_code == 500  # not registered yet: a SOAP fault
            assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
            assert b"OnbekendAanleverpunt" in response.content

    def test_other_methods_and_paths_are_flasks(self, oso_simulator: SimulatorServer) -> None:
        assert requests.get(oso_simulator.endpoint, timeout=5).status_code == 405
        assert requests.post(f"{oso_simulator.base_url}/las/", timeout=5).status_code == 404
        assert requests.post(f"{oso_simulator.base_url}/las/a/b", timeout=5).status_code == 404

    def test_a_body_over_the_limit_is_refused_with_413(
        self, oso_simulator: SimulatorServer
    ) -> None:
        body = PING + b" " * MAX_REQUEST_BYTES
        assert requests.post(oso_simulator.endpoint, data=body, timeout=5).status_code == 413

    def test_a_faults_plain_text_answer_keeps_its_content_type(
        self, oso_simulator: SimulatorServer
    ) -> None:
        ZeepOsoGateway(oso_simulator.endpoint).register_delivery_point(LOCATION, NUMBER, KEY)
        oso_simulator.state.set_fault(FaultKind.HTTP_500)
        response = requests.post(oso_simulator.endpoint, data=PING, timeout=5)
        assert response.status_code == 500
        assert response.headers["Content-Type"] == "text/plain"

    def test_the_prepared_answer_follows_a_new_version(
        self, oso_simulator: SimulatorServer
    ) -> None:
        gateway = ZeepOsoGateway(oso_simulator.endpoint)
        gateway.register_delivery_point(LOCATION, NUMBER, KEY)
        bsn = Bsn(oso_simulator.state.add_pupil(LOCATION))
        first = gateway.fetch_dossier(LOCATION, bsn)
        oso_simulator.state.new_version(LOCATION, bsn.value, dt.date(2026, 4, 20))
        second = gateway.fetch_dossier(LOCATION, bsn)
        assert first is not None
        assert second is not None
        assert not first.final_test_results
        assert second.final_test_results


def test_the_flask_app_alone_answers_soap_the_same() -> None:
    state = SimulatorState()
    client = create_app(state).test_client()
    response = client.post("/oso", data=PING)
    assert response.status_code == 500
    assert response.content_type == "text/xml; charset=utf-8"
    assert b"OnbekendAanleverpunt" in response.data
