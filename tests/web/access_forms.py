"""A valid form for every POST row of the access matrix: what the use case accepts.

Each function takes the ``World`` and the row's URL arguments and returns the fields to post
(besides the CSRF token): the current version, a fresh e-mail address, a real PNG. Forms that
change what a later row relies on get new values each time (``World.fresh``).
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

from tests.web.access_world import PASSWORD, TOTP_SECRET, VO_ADMIN, Args, Form, World, oso_key_of

from elk_domain.accounts.users import choice_of
from elk_domain.finaltest.upload import StagedUpload
from elk_domain.kernel.advice import Level
from elk_domain.okidoc import fields as f
from elk_domain.pupils.model import NoteVisibility, ReasonNotPlaced
from elk_web.finaltest.imports import UPLOAD


def _okidoc_version(w: World, pupil_id: int) -> int:
    with w.services.uow() as uow:
        return uow.okidocs.for_pupil(pupil_id).version


def okidoc_tab(w: World, a: Args) -> Form:
    """One changed field of the Advies tab, with the version the editor was opened at."""
    return {
        "expected_version": _okidoc_version(w, a["pupil_id"]),
        f.ADVICE_CONTACT: f"Juf Eva {w.fresh()}",
    }


def okidoc_version(w: World, a: Args) -> Form:
    """Only the version: "Volledig maken"."""
    return {"expected_version": _okidoc_version(w, a["pupil_id"])}


def inspection(w: World, a: Args) -> Form:
    """The parents saw it today and agree."""
    return {**okidoc_version(w, a), "inzage_datum": w.clock.now().date().isoformat(),
            "akkoord": "ja", "zienswijze": ""}  # fmt: skip


def final_test(w: World, pupil_id: int) -> Form:
    """One row of Invoeren doorstroomtoets: test, outcome and the same definitive advice."""
    level = ("havo", "vwo")[w.fresh() % 2]
    return {
        "leerling": str(pupil_id),
        f"v-{pupil_id}": _okidoc_version(w, pupil_id),
        f"r-{pupil_id}-toets": "Route 8",
        f"r-{pupil_id}-uitslag": level,
        f"r-{pupil_id}-advies": level,
    }


def result_zip(text: str) -> bytes:
    """A doorstroomtoets provider's ZIP holding one semicolon CSV."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("uitslagen.csv", text.encode())
    return buffer.getvalue()


def results(w: World, _: Args) -> bytes:
    """One result line of the own school, for a pupil ELK does not have (nothing is changed)."""
    return result_zip(
        "BRIN;Voornaam;Achternaam;Geboortedatum;Toets;Afnamedatum;Uitslag\n"
        f"12AB00;Fenna;Onbekend{w.fresh()};01-01-2014;Route 8;11-02-2026;havo\n"
    )


def result_file(w: World, a: Args) -> Form:
    """The provider's ZIP, uploaded on the import page."""
    return {"bestand": (results(w, a), "uitslag.zip")}


def staged_results(w: World) -> dict[str, Any]:
    """The session of a principal who uploaded a result file for the own school just now."""
    with w.services.uow() as uow:
        user = uow.users.by_email(w.me) if w.me else None
    key = w.services.files.put(results(w, {}), content_type="application/zip")
    staged = StagedUpload(
        key=key,
        school_id=w.staff.school_id,
        user_id=user.id if user is not None else 0,
        filename="uitslag.zip",
    )
    return {UPLOAD: staged.as_dict()}


def attachment(w: World, _: Args) -> Form:
    """A small real PNG, new content each time (the same file is attached only once)."""
    return {"soort": "Overig", "bestand": (png(f"scan {w.fresh()}"), "scan.png")}


def png(comment: str) -> bytes:
    """A valid 1×1 grey PNG with ``comment`` in a tEXt chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"".join((
        b"\x89PNG\r\n\x1a\n", chunk(b"IHDR", header),
        chunk(b"tEXt", b"Comment\x00" + comment.encode()),
        chunk(b"IDAT", zlib.compress(b"\x00\x80")), chunk(b"IEND", b""),
    ))  # fmt: skip


def note(w: World, _: Args) -> Form:
    """A note for the own organisation."""
    return {"tekst": f"Gesprek met ouders {w.fresh()}.",
            "zichtbaarheid": NoteVisibility.OWN_ORGANISATION.value}  # fmt: skip


def reason(_w: World, _: Args) -> Form:
    """Verhuisd."""
    return {"reden": ReasonNotPlaced.VERHUISD.value}


def parent_login(_w: World, _: Args) -> Form:
    """The ELK parent portal."""
    return {"portaal": "elk"}


def parent_sign_in(w: World, _: Args) -> Form:
    """The matrix parent's ELK number and password."""
    return {"elk_nummer": w.parent_number, "wachtwoord": PASSWORD}


def new_group(w: World, _: Args) -> Form:
    """A group name the school does not have yet."""
    return {"naam": f"Groep {w.fresh()}"}


def _group_state(w: World, group_id: int) -> tuple[str, list[int], list[int]]:
    with w.services.uow() as uow:
        group = uow.groups.get(group_id)
        members = [p.id for p in uow.pupils.list(group.school_id) if p.group_id == group_id]
    return group.name, members, sorted(group.contact_user_ids)


def fill_group(w: World, a: Args) -> Form:
    """The end user's form: the group's pupils stay in it."""
    _name, members, _contacts = _group_state(w, a["group_id"])
    return {"getoond": members, "leerling": members}


def manage_group(w: World, a: Args) -> Form:
    """The administrator's form: same name, pupils and contact persons."""
    name, members, contacts = _group_state(w, a["group_id"])
    return {"naam": name, "leerling": members, "contactpersoon": contacts}


def preferences(w: World, a: Args) -> Form:
    """LAT yes, CAP no, SEM not set, with the stored version."""
    with w.services.uow() as uow:
        version = uow.preferences.for_school(a["school"]).version
    return {"versie": version, f.LWOO_LAT: "ja", f.LWOO_CAP: "nee", f.LWOO_SEM: "",
            f.LWOO_INSTITUTION: "", f.LWOO_RESEARCHER: f"Onderzoeker {w.fresh()}"}  # fmt: skip


def new_user(w: World, _: Args) -> Form:
    """An end user of the staff's PO school, with an address nobody has; for the VO
    administrator a VO user of their own school."""
    n = w.fresh()
    if w.me == VO_ADMIN:
        return {"email": f"collega{n}@lyceum.test", "naam": f"Nieuwe VO-collega {n}",
                "rol": "invoeren_accorderen", "organisatie": "vo",
                "school": w.staff.vo_school_id}  # fmt: skip
    return {"email": f"collega{n}@regenboog.test", "naam": f"Nieuwe Collega {n}",
            "rol": "invoeren_accorderen", "organisatie": "po",
            "school": w.staff.school_id}  # fmt: skip


def edit_user(w: World, a: Args) -> Form:
    """The user's own role, active, a new name, the stored version."""
    with w.services.uow() as uow:
        user = uow.users.get(a["user_id"])
    return {"versie": user.version, "naam": f"{user.display_name.split(' (')[0]} ({w.fresh()})",
            "rol": choice_of(user.role).value, "actief": "1"}  # fmt: skip


def new_board(w: World, _: Args) -> Form:
    """A board with a contact."""
    n = w.fresh()
    return {"naam": f"Stichting Nieuw {n}", "contact_naam": "Bea Bestuur",
            "contact_email": f"bea{n}@bestuur.test"}  # fmt: skip


def new_school(w: World, _: Args) -> Form:
    """A PO school of the staff's board at a location no school has."""
    n = w.fresh()
    return {"board_id": w.staff.board_id, "kind": "po", "official_name": f"School {n}",
            "name": f"School {n}", "school_type": "Basisschool", "street": "Laan",
            "house_number": str(n), "postcode": "1181 AD", "city": "Amstelveen",
            "brin": f"{10 + n % 90:02d}XY", "vestiging": "00"}  # fmt: skip


def edit_school(w: World, a: Args) -> Form:
    """The school's form as shown, with another director."""
    with w.services.uow() as uow:
        school = uow.schools.get(a["school_id"])
    form: Form = {
        "versie": school.version, "board_id": school.board_id, "kind": school.kind.value,
        "official_name": school.official_name, "name": school.name,
        "school_type": school.school_type, "street": school.address.street,
        "house_number": school.address.house_number, "postcode": school.address.postcode,
        "city": school.address.city, "brin": school.location.brin,
        "vestiging": school.location.vestiging, "director": f"Directeur {w.fresh()}",
        "elk_contact": school.elk_contact,
    }  # fmt: skip
    for level in Level:
        if level in school.levels:
            form[f"niveau_{level.name}"] = "1"
            form[f"capaciteit_{level.name}"] = school.capacity.get(level, 0)
    for name, ticked in (("voorrang", school.offers_priority),
                         ("gelijkwaardig", school.offers_equivalent_level)):  # fmt: skip
        if ticked:
            form[name] = "1"
    return form


def timeline(w: World, _: Args) -> Form:
    """Every period around the test clock's date, placement after registration."""
    day = w.clock.now().date()

    def iso(days: int) -> str:
        return (day + dt.timedelta(days=days)).isoformat()

    return {"parent_login_start": iso(-10), "parent_login_end": iso(10),
            "registration_start": iso(0), "registration_end": iso(14),
            "registration_week_start": iso(7), "registration_week_end": iso(11),
            "placement_date": iso(30)}  # fmt: skip


def news(w: World, _: Args) -> Form:
    """A news item."""
    return {"titel": f"Bericht {w.fresh()}", "tekst": "De aanmeldweek is verschoven."}


def oso_key(w: World, a: Args) -> Form:
    """The school's number and key from Mijn OSO."""
    number, key = oso_key_of(w.services, a["school_id"])
    return {"nummer": number, "sleutel": key}


def bsn_list(w: World, a: Args) -> Form:
    """A BSN whose dossier is ready in the staff's school's LAS (a new one each time)."""
    with w.services.uow() as uow:
        location = uow.schools.get(w.staff.school_id).location
    return {"school": w.staff.school_id, "bsns": w.oso.add_pupil(location)}


def login_form(w: World, _: Args) -> Form:
    """The teacher's e-mail address and password."""
    return {"email": w.staff.teacher.email, "password": PASSWORD}


def own_password(_w: World, _: Args) -> Form:
    """The same password again (the test logs in with it afterwards)."""
    return {"current": PASSWORD, "new": PASSWORD, "repeat": PASSWORD}


def _code(w: World) -> str:
    import pyotp

    w.clock.advance(dt.timedelta(seconds=30))  # a code is never accepted twice
    return str(pyotp.TOTP(TOTP_SECRET).at(w.clock.now()))


def second_factor(w: World, _: Args) -> Form:
    """Password and the current code of the app (its secret is ``TOTP_SECRET``)."""
    return {"password": PASSWORD, "huidige_code": _code(w)}


def enrol_code(w: World, a: Args) -> Form:
    """Who the user is, and the code for the secret being linked (the row puts it in the
    session): the same secret again, so the test's login helper still knows the codes."""
    form = second_factor(w, a)
    return {**form, "code": form["huidige_code"]}


def nothing(_w: World, _: Args) -> Form:
    """A form without fields (besides the CSRF token)."""
    return {}


def fixed(**fields: Any) -> Callable[[World, Args], Form]:
    """A form with these fields."""
    return lambda _w, _a: dict(fields)
