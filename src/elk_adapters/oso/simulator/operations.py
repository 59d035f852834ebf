"""The simulated Traffic Center and bron LAS: one handler per SOAP operation.

Each handler takes the request's field texts and returns a SOAP envelope; a refusal raises
``SoapRefusal``, which the app turns into a SOAP fault with an OSO-style error code.
"""

from __future__ import annotations

from collections.abc import Callable

from elk_adapters.oso.simulator import soap
from elk_adapters.oso.simulator.state import DeliveryPoint, SimulatorState
from elk_domain.kernel.values import SchoolLocation


class SoapRefusal(Exception):
    """A refusal by OSO: an error code and a Dutch message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


Handler = Callable[[SimulatorState, dict[str, str], str], bytes]


def _location(
    values: dict[str, str], brin: str = "brin", vestiging: str = "vestiging"
) -> SchoolLocation:
    return SchoolLocation(values.get(brin, ""), values.get(vestiging, "00") or "00")


def _point(
    state: SimulatorState, location: SchoolLocation, *, registered: bool = True
) -> DeliveryPoint:
    point = state.points.get(location)
    if point is None or (registered and not point.registered):
        raise SoapRefusal(
            "OnbekendAanleverpunt", f"Er is geen geregistreerd aanleverpunt voor {location}."
        )
    return point


def _describe(point: DeliveryPoint, base_url: str) -> dict[str, soap.Value]:
    return {
        "brin": point.location.brin,
        "vestiging": point.location.vestiging,
        "routeringsKenmerk": point.routing_key,
        "url": f"{base_url}/las/{point.routing_key}",
        "magOverdrachtAanvragen": point.may_request,
    }


def register(state: SimulatorState, v: dict[str, str], base_url: str) -> bytes:
    """Registreer aanleverpunt: number and key must match what Mijn OSO shows."""
    location = _location(v)
    point = state.points.get(location)
    if point is None or (point.number, point.key) != (
        v.get("aanleverpuntNummer"),
        v.get("aanleverpuntSleutel"),
    ):
        raise SoapRefusal(
            "OngeldigeSleutel",
            f"Aanleverpuntnummer of sleutel klopt niet voor BRIN {location.brin} "
            f"vestiging {location.vestiging}.",
        )
    point.registered = point.may_request = True
    return soap.response(
        "registreerAanleverpuntResponse", {"aanleverpunt": _describe(point, base_url)}
    )


def ping(state: SimulatorState, v: dict[str, str], base_url: str) -> bytes:
    """Ping: OK plus the delivery point's current flags."""
    point = _point(state, _location(v))
    return soap.response(
        "pingResponse", {"status": "OK", "aanleverpunt": _describe(point, base_url)}
    )


def transfer(state: SimulatorState, v: dict[str, str], base_url: str) -> bytes:
    """Initiëren sessie: the doel must be registered and allowed; binnen-BRIN means same BRIN."""
    doel = _location(v, "doelBrin", "doelVestiging")
    bron = _location(v, "bronBrin", "bronVestiging")
    point = _point(state, doel)
    if not point.may_request:
        raise SoapRefusal(
            "OverdrachtNietToegestaan",
            f"Aanleverpunt {doel} mag geen overdracht aanvragen (uitgeschakeld door OSO).",
        )
    if v.get("overdrachtsoort") == "overdrachtbinnenbrin" and bron.brin != doel.brin:
        raise SoapRefusal(
            "GeenRelatieMetDoel", "Binnen-BRIN-overdracht tussen verschillende BRINs."
        )
    session = state.open_session(bron, v.get("zoeksleutel", ""))
    bron_point = state.points.get(bron, point)
    return soap.response(
        "overdrachtResponse",
        {"sessieId": session, "aanleverpunt": [_describe(bron_point, base_url)]},
    )


def document(state: SimulatorState, v: dict[str, str], _: str) -> bytes:
    """The bron LAS answers a documentRequest within a matching, open session."""
    found = state.sessions.get(v.get("sessieId", ""))
    bron = _location(v, "bronBrin", "bronVestiging")
    if found is None or not found[2]:
        raise SoapRefusal("SessieOnbekend", "De sessie is onbekend of al afgemeld.")
    if (found[0], found[1]) != (bron, v.get("zoeksleutel")):
        raise SoapRefusal("SessieAfwijkend", "Het verzoek past niet bij de sessie.")
    answer = state.dossier_answer(bron, found[1])
    if answer is None:
        return soap.response("documentResponse", {"resultaat": "GeenDossier"})
    return answer


def sign_off(state: SimulatorState, v: dict[str, str], _: str) -> bytes:
    """Afmelden sessie with the best result."""
    session = v.get("sessieId", "")
    found = state.sessions.get(session)
    if found is None or not found[2]:
        raise SoapRefusal("SessieReedsAfgemeld", "De sessie is onbekend of al afgemeld.")
    state.sessions[session] = (found[0], found[1], False)
    return soap.response("afmeldingResponse", {"resultaat": "Afgemeld"})


def overview(state: SimulatorState, v: dict[str, str], base_url: str) -> bytes:
    """Opvragen aanleverpunten of one BRIN."""
    points = [
        _describe(p, base_url) for p in state.points.values() if p.location.brin == v.get("brin")
    ]
    return soap.response("overzichtAanleverpuntResponse", {"aanleverpunt": points})


def notices(state: SimulatorState, v: dict[str, str], _: str) -> bytes:
    """The notifications held for a location."""
    held = state.notices.get(_location(v), [])
    items: list[soap.Value] = [
        {
            "koppelsleutel": n.key,
            "soort": n.kind,
            "tijdstip": n.at.isoformat(),
            **({"zoeksleutel": n.bsn} if n.bsn else {}),
            "tekst": n.text,
        }
        for n in held
    ]
    return soap.response("notificatieOverzichtResponse", {"notificatie": items})


HANDLERS: dict[str, Handler] = {
    "registreerAanleverpuntRequest": register,
    "pingRequest": ping,
    "overdrachtRequest": transfer,
    "documentRequest": document,
    "afmeldingRequest": sign_off,
    "overzichtAanleverpuntRequest": overview,
    "notificatieOverzichtRequest": notices,
}
