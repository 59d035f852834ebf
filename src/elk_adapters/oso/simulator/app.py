"""The simulator's web app: SOAP on ``/oso`` and ``/las/<kenmerk>``, control on ``/control``.

Faults are applied here, around the operation handlers, so every fault kind looks to the client
exactly as it would from a misbehaving Traffic Center or LAS. ``SimulatorApp`` (what the server
runs) answers SOAP without Flask; ``create_app`` is the Flask app that serves the rest.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from http import HTTPStatus
from typing import TYPE_CHECKING

import attrs
from flask import Blueprint, Flask, Response, current_app, jsonify, request
from werkzeug.wsgi import get_host

from elk_adapters.oso.simulator import gzipped, soap
from elk_adapters.oso.simulator.dossier_data import Transfer
from elk_adapters.oso.simulator.generator import build_dossier_xml
from elk_adapters.oso.simulator.operations import HANDLERS, SoapRefusal
from elk_adapters.oso.simulator.rule_breaking import without_category_block
from elk_adapters.oso.simulator.state import ALL, Fault, FaultKind, SimulatorState
from elk_domain.errors import Rejected
from elk_domain.kernel.values import SchoolLocation

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

_XML = "text/xml; charset=utf-8"
_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)
_SOAP_BOMB = _BOMB + (
    b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>&c;'
    b"</soap:Body></soap:Envelope>"
)
#: The largest SOAP request the simulator reads.
MAX_REQUEST_BYTES = 1024 * 1024
#: Bytes of padding for the oversized fault: well above the 20 MB dossier limit.
OVERSIZE_BYTES = 24 * 1024 * 1024

soap_bp = Blueprint("soap", __name__)


def _state() -> SimulatorState:
    state: SimulatorState = current_app.extensions["oso_sim"]
    return state


Answer = tuple[int, bytes, str]  # HTTP status, body, content type


def _xml(body: bytes, status: int = 200) -> Answer:
    return status, body, _XML


def _bad_dossier(state: SimulatorState, kind: FaultKind, values: dict[str, str]) -> bytes:
    """A documentResponse carrying a dossier that ELK must refuse (or, ``breaks_rules``, merge
    and report)."""
    location = SchoolLocation(values.get("bronBrin", ""), values.get("bronVestiging", "00"))
    data = state.dossiers.get((location, values.get("zoeksleutel", "")))
    if data is None:
        xml = b"<dossier/>"
    elif kind is FaultKind.WRONG_VERSION:
        xml = build_dossier_xml(attrs.evolve(data, version="2020.1"))
    elif kind is FaultKind.WRONG_BRIN:
        xml = build_dossier_xml(attrs.evolve(data, location=SchoolLocation("99ZZ", "00")))
    elif kind is FaultKind.BREAKS_RULES:
        xml = without_category_block(build_dossier_xml(data))
    elif kind is FaultKind.INVALID:
        xml = build_dossier_xml(data).replace(b"<bsn>", b"<bsnx>").replace(b"</bsn>", b"</bsnx>")
    elif kind is FaultKind.DOSSIER_DOCTYPE:
        xml = _BOMB + b"<dossier>&c;</dossier>"
    else:  # OVERSIZED
        xml = build_dossier_xml(data) + b" " * OVERSIZE_BYTES
    return soap.document_answer(xml)


def _faulty(
    state: SimulatorState, fault: Fault, operation: str, values: dict[str, str]
) -> Answer | None:
    """The answer a fault replaces the real one with; None to answer normally."""
    kind = fault.kind
    if kind in (FaultKind.LATENCY, FaultKind.TIMEOUT):
        time.sleep(fault.seconds or (0.2 if kind is FaultKind.LATENCY else 5.0))
        return None
    if kind is FaultKind.HTTP_500:
        return 500, b"Interne serverfout (gesimuleerd)", "text/plain"
    if kind is FaultKind.SOAP_FAULT:
        return _xml(soap.fault("InterneFout", "Gesimuleerde storing bij OSO.", client=False), 500)
    if kind is FaultKind.MALFORMED:
        return _xml(
            b'<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Bo'
        )
    if kind is FaultKind.DOCTYPE:
        return _xml(_SOAP_BOMB)
    if kind is FaultKind.GZIP_BOMB:
        return _xml(gzipped.bomb()) if operation == "documentRequest" else None
    if operation == "documentRequest":
        with state.lock:
            return _xml(_bad_dossier(state, kind, values))
    return None


def answer(state: SimulatorState, body: bytes, base_url: str) -> Answer:
    """Dispatch one SOAP request to its operation, with any injected fault applied."""
    try:
        operation, values = soap.read_request(body)
    except (Rejected, ValueError) as exc:
        message = exc.message if isinstance(exc, Rejected) else str(exc)
        return _xml(soap.fault("OngeldigBericht", message), 500)
    fault = state.fault_for(values.get("zoeksleutel", ""))
    if fault is not None and (replaced := _faulty(state, fault, operation, values)) is not None:
        return replaced
    handler = HANDLERS.get(operation)
    if handler is None:
        return _xml(soap.fault("OnbekendeOperatie", f"Onbekende operatie {operation}."), 500)
    try:
        with state.lock:
            return _xml(handler(state, values, base_url))
    except SoapRefusal as refusal:
        return _xml(soap.fault(refusal.code, refusal.message), 500)


@soap_bp.post("/oso")
@soap_bp.post("/las/<kenmerk>")
def endpoint(kenmerk: str = "") -> Response:
    """SOAP through Flask (``create_app`` alone); ``SimulatorApp`` answers these without it."""
    status, body, content_type = answer(
        _state(), request.get_data(cache=False), request.host_url.rstrip("/")
    )
    body, headers = gzipped.compressed(body, "")  # only a prepared gzip answer is sent as such
    return Response(body, status=status, content_type=content_type, headers=headers)


control_bp = Blueprint("control", __name__, url_prefix="/control")


def _body() -> dict[str, str]:
    data = request.get_json(silent=True) or {}
    return {str(k): str(v) for k, v in data.items()}


@control_bp.post("/schools")
def add_school() -> Response:
    """Create a delivery point: {location, number, key}."""
    b = _body()
    _state().add_school(SchoolLocation.parse(b["location"]), b["number"], b["key"])
    return jsonify(ok=True)


@control_bp.post("/pupils")
def add_pupil() -> Response:
    """Give a school a pupil with a dossier: {location, bsn?, ready?, transfer?, withheld?}.

    ``transfer``: ``BINNEN_BRIN`` (default) or ``PO_VO``; ``withheld``: category names
    separated by commas. Answers {bsn}.
    """
    b = _body()
    bsn = _state().add_pupil(
        SchoolLocation.parse(b["location"]),
        b.get("bsn") or None,
        ready=b.get("ready") != "False",
        transfer=Transfer[b.get("transfer") or "BINNEN_BRIN"],
        withheld=frozenset(name for name in b.get("withheld", "").split(",") if name),
    )
    return jsonify(bsn=bsn)


@control_bp.post("/pupils/<location>/<bsn>/new-version")
def new_version(location: str, bsn: str) -> Response:
    """A newer dossier with final test and revised advice: {taken_on?}."""
    taken = dt.date.fromisoformat(_body().get("taken_on", "2026-04-20"))
    _state().new_version(SchoolLocation.parse(location), bsn, taken)
    return jsonify(ok=True)


@control_bp.post("/delivery-points/<location>/switch-off")
def switch_off(location: str) -> Response:
    """R-OSO-2: switch 'mag overdracht aanvragen' off: {reason?}."""
    _state().switch_off(SchoolLocation.parse(location), _body().get("reason", ""))
    return jsonify(ok=True)


@control_bp.post("/faults")
def set_fault() -> Response:
    """Inject a fault: {kind, bsn?, seconds?}."""
    b = _body()
    kind = FaultKind(b["kind"])
    _state().set_fault(kind, bsn=b.get("bsn", ALL), seconds=float(b.get("seconds", "0")))
    return jsonify(ok=True)


@control_bp.delete("/faults")
def clear_faults() -> Response:
    """Remove every injected fault."""
    _state().clear_faults()
    return jsonify(ok=True)


@control_bp.get("/state")
def show_state() -> Response:
    """A summary for the demo: delivery points and pupils per location."""
    state = _state()
    with state.lock:
        points = [
            {
                "location": str(p.location),
                "number": p.number,
                "registered": p.registered,
                "may_request": p.may_request,
            }
            for p in state.points.values()
        ]
        pupils = [
            {"location": str(loc), "bsn": bsn, "ready": (loc, bsn) in state.ready}
            for loc, bsn in state.dossiers
        ]
    return jsonify(
        points=points, pupils=pupils, faults={k: v.kind.value for k, v in state.faults.items()}
    )


def _is_soap(environ: WSGIEnvironment) -> bool:
    path: str = environ.get("PATH_INFO", "")
    kenmerk = path.removeprefix("/las/")
    return environ.get("REQUEST_METHOD") == "POST" and (
        path == "/oso" or (kenmerk != path and kenmerk != "" and "/" not in kenmerk)
    )


class SimulatorApp:
    """The simulator as WSGI: SOAP answered directly, everything else by the Flask app.

    In tests and the benchmark the simulator shares the machine's CPUs with ELK; Flask's
    request handling cost about as much as the SOAP answer itself. Same answers, same limits.
    """

    def __init__(self, state: SimulatorState | None = None, *, gzip: bool = False) -> None:
        self.flask = create_app(state)
        self.state: SimulatorState = self.flask.extensions["oso_sim"]
        self.gzip = gzip  # answer gzip-compressed when the client accepts it
        self.gzipped = 0  # answers sent gzip-compressed (tests check the client asked for it)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if not _is_soap(environ):
            return self.flask(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_REQUEST_BYTES:
            return self.flask(environ, start_response)  # Flask's 413, as before
        base_url = f"{environ['wsgi.url_scheme']}://{get_host(environ)}"
        status, body, content_type = answer(
            self.state, environ["wsgi.input"].read(length), base_url
        )
        accepted = environ.get("HTTP_ACCEPT_ENCODING", "") if self.gzip else ""
        body, encoding = gzipped.compressed(body, accepted)
        self.gzipped += bool(encoding)
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body))), *encoding]
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [body]


def create_app(state: SimulatorState | None = None) -> Flask:
    """The simulator app; ``state`` is shared with an in-process caller when given."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.extensions["oso_sim"] = state or SimulatorState()
    app.register_blueprint(soap_bp)
    app.register_blueprint(control_bp)
    return app
