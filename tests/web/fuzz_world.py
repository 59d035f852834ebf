"""The POST fuzz's world: real parts, every principal logged in, a database snapshot to reset to.

``build_world`` starts a local SMTP capture and the OSO simulator, seeds a migrated SQLite file
(conftest's ``staff`` records plus a few pupils in other states), logs in every principal,
snapshots the database and crawls the GET pages as each principal for the forms
(``form_crawl``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import itertools
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from tests.fixtures.hostile import Route
from tests.fixtures.oso_sim import KEY, LOCATION, NUMBER
from tests.web.access_forms import result_zip
from tests.web.form_crawl import Forms, crawl_forms
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services, bootstrap
from elk_adapters.mail.capture import MailCapture, free_port
from elk_adapters.mail.outbox import read_outbox
from elk_adapters.oso.gateway import ZeepOsoGateway
from elk_adapters.oso.simulator.server import SimulatorServer
from elk_adapters.oso.simulator.state import SimulatorState
from elk_adapters.persistence.database import SqlAlchemyUnitOfWork, make_engine, write_lock_for
from elk_domain.accounts.auth import actor_of
from elk_domain.kernel.advice import Level
from elk_domain.kernel.mail_queue import deliver_pending_mail
from elk_domain.kernel.people import Actor
from elk_domain.kernel.values import ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Scalar, Source
from elk_domain.organisation.model import Period, Timeline
from elk_domain.oso.config import register_delivery_point
from elk_domain.parents.account import ParentAccount
from elk_domain.parents.login import PortalLinks, SendParentLogin, send_parent_login
from elk_domain.parents.registration import (
    FirstChoiceOptions,
    PreferenceList,
    PriorityClaim,
    PriorityKind,
    Registration,
)
from elk_domain.pupils.model import ParentLoginStatus, Pupil
from elk_domain.testing import FixedClock
from elk_domain.unit_of_work import UnitOfWork
from elk_web import create_app

if TYPE_CHECKING:
    from tests.web.conftest import Staff, WebKit

#: Who posts: the access matrix's principals (the parent logged in with the ELK number of the
#: teacher's pupil), plus a visitor between password and 2FA code.
PRINCIPALS = (
    "anon", "admin", "board", "school_admin", "teacher", "colleague", "vo", "parent", "pending",
)  # fmt: skip
PARENT_PASSWORD = "een zin als wachtwoord voor de ouder"
_EMAILS: dict[str, Callable[[Staff], str]] = {
    "admin": lambda s: s.admin.email,
    "board": lambda s: s.board_contact.email,
    "school_admin": lambda s: s.school_admin.email,
    "teacher": lambda s: s.teacher.email,
    "colleague": lambda s: s.colleague.email,
    "vo": lambda s: s.vo_user.email,
}
HOSTILE_IDS = (0, -1, 2**31, 2**63, 10**30)
#: Per URL argument: the seeded records (own, other group, other school, other board, the
#: world's extra pupils) and, for every argument, ``HOSTILE_IDS``. A POST route with an argument
#: missing here fails the fuzz.
ARGUMENTS: dict[str, Callable[[World], tuple[object, ...]]] = {
    "pupil_id": lambda w: (
        *(w.staff.pupil_id, w.staff.other_group_pupil_id, w.staff.other_school_pupil_id),
        *w.pupils.values(),
    ),
    "user_id": lambda w: tuple(
        u.id
        for u in (
            w.staff.colleague,
            w.staff.vo_user,
            w.staff.other_teacher,
            w.staff.admin,
            w.staff.board_contact,
            w.staff.school_admin,
        )
    ),
    "school_id": lambda w: (w.staff.school_id, w.staff.vo_school_id, w.staff.other_school_id),
    "group_id": lambda w: (w.staff.group_id, w.staff.other_group_id, w.staff.other_school_group_id),
    "token": lambda w: ("onbekend", "a" * 400, "../../etc/passwd", "\r\n", *w.tokens),
    "sha256": lambda _: ("0" * 64, "../x"),
}
CRAWL_ROOTS = ("/", "/inloggen", "/account/wachtwoord-vergeten", "/account/inloggen/code",
          "/account/tweestapsverificatie", "/ouders/", "/ouders/inloggen",
          "/ouders/wachtwoord-vergeten", "/ouders/aanmelden", "/ouders/aanmelden/controleren",
          "/ouders/aanmelding")  # fmt: skip


@attrs.define
class World:
    """The app on a database that ``fresh_client`` puts back before every request."""

    app: Flask
    services: Services
    staff: Staff
    engine: sa.Engine
    database: Path
    snapshot: Path
    clock: FixedClock
    moment: dt.datetime
    rules: list[Rule]
    tokens: tuple[str, ...] = ()  # valid set-password tokens (from a captured reset mail)
    pupils: dict[str, int] = attrs.Factory(dict)  # the world's own pupils, by their state
    cookies: dict[str, str | None] = attrs.Factory(dict)
    csrf: dict[str, str] = attrs.Factory(dict)
    forms: Forms = attrs.Factory(Forms)

    def reset(self) -> None:
        """The database and the clock as they were right after every principal logged in."""
        self.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.snapshot, self.database)
        self.clock.set(self.moment)

    def deliver_mail(self) -> None:
        """What the mail worker of ``elk serve`` does: send the queued mail (real SMTP)."""
        deliver_pending_mail(self.services.uow(), self.clock, self.services.mailer)

    def fresh_client(self, principal: str) -> FlaskClient:
        """A browser with the principal's cookie, on the snapshot state."""
        self.reset()
        client = self.app.test_client()
        cookie = self.cookies[principal]
        if cookie is not None:
            client.set_cookie("elk_session", cookie)
        return client


def post_rules(app: Flask) -> list[Rule]:
    """Every rule that accepts POST, in a fixed order."""
    found = [rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())]
    return sorted(found, key=lambda rule: rule.rule)


def route_for(world: World, rule: Rule) -> Route:
    """The rule's URL for every combination of argument values (real records first), and the
    names its form posts."""
    names = sorted(rule.arguments)
    missing = [name for name in names if name not in ARGUMENTS]
    assert not missing, f"{rule.rule}: no values for {missing}: add them to ARGUMENTS"
    adapter = world.app.url_map.bind("localhost")
    urls: dict[str, None] = {}  # ordered, without repeats
    real = 0
    for hostile in (False, True):
        choices = [HOSTILE_IDS if hostile else ARGUMENTS[name](world) for name in names]
        for values in itertools.product(*choices):
            with contextlib.suppress(ValueError, TypeError):  # -1 where a string is expected...
                urls[adapter.build(rule.endpoint, dict(zip(names, values, strict=True)))] = None
        if not hostile:
            real = len(urls)
    return Route(
        urls=tuple(urls),
        real=real,
        fields=world.forms.fields.get(rule.endpoint, ()),
        file_fields=world.forms.file_fields.get(rule.endpoint, ()),
        seen=world.forms.seen,
        other_names=world.forms.names,
        query_names=world.forms.query_names,
    )


@contextlib.contextmanager
def build_world(root: Path, schema: Path, kit: WebKit) -> Iterator[World]:
    """Mail capture and OSO simulator running, the world built; both stopped afterwards."""
    state = SimulatorState(seed=8)
    state.add_school(LOCATION, NUMBER, KEY)
    with MailCapture(root / "mail", port=free_port()) as mail, SimulatorServer(state) as oso:
        settings = kit.make_settings(root / "instance", smtp_host=mail.host, smtp_port=mail.port)
        settings.instance_path.mkdir(parents=True)
        for part in schema.parent.glob(f"{schema.name}*"):
            shutil.copy(part, settings.instance_path / part.name)
        engine = make_engine(settings.database_url)
        lock = write_lock_for(engine)
        clock = FixedClock()
        services = bootstrap(
            settings,
            uow=lambda: SqlAlchemyUnitOfWork(engine, write_lock=lock),
            read_uow=lambda: SqlAlchemyUnitOfWork(engine, read_only=True),
            clock=clock,
            oso=ZeepOsoGateway(oso.endpoint, operation_timeout=3, retries=0),
        )
        staff = kit.seed_all(services)
        register_delivery_point(
            services.uow(), services.oso, clock, Actor.system(), staff.school_id, NUMBER, KEY
        )
        pupils = _more_pupils(services, staff)
        _colleague_chose_2fa(services, staff, kit.totp_secret)
        app = create_app(settings, services)
        app.testing = True
        world = World(app, services, staff, engine, settings.instance_path / "elk.sqlite3",
                      root / "snapshot.sqlite3", clock, clock.now(), post_rules(app))  # fmt: skip
        world.pupils = pupils
        _log_everyone_in(world, kit)
        world.tokens = (_reset_token(world, kit, mail), _parent_token(world, mail))
        engine.dispose()
        shutil.copyfile(world.database, world.snapshot)
        world.moment = clock.now()
        clients = {p: world.fresh_client(p) for p in PRINCIPALS}
        roots = (
            *CRAWL_ROOTS,
            *(f"/{area}/wachtwoord-instellen/{t}" for t in world.tokens
              for area in ("account", "ouders")),
        )  # fmt: skip
        world.forms = crawl_forms(app, clients, roots)
        yield world
        engine.dispose()


COMPLETE: dict[str, Scalar] = {
    f.PARENT_EMAIL: "ouder.jansen@example.nl",
    f.FINAL_TEST_OUTCOME: "havo",
    f.ADVICE_DEFINITIVE: "havo",
}


def _more_pupils(services: Services, staff: Staff) -> dict[str, int]:
    """In group 8a: a Volledig Oki-doc registered at the VO school, a Definitief one, and one
    whose name (as an OSO dossier could bring it) holds a line break; the parent login open."""
    at = services.clock.now()
    by_hand = Provenance(Source.HAND, at, "fuzz")
    kinds = {
        "volledig": (PersonName("Noor", "Jansen", "van"), OkiStatus.VOLLEDIG),
        "definitief": (PersonName("Daan", "Dekker"), OkiStatus.DEFINITIEF),
        "regeleinde": (PersonName("Eva\r\nBcc: x@evil.test", "Bos"), OkiStatus.DEFINITIEF),
    }
    ids = {}
    with services.uow() as uow:
        for kind, (name, status) in kinds.items():
            pupil = uow.pupils.add(
                Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                      school_id=staff.school_id, name=name, group_id=staff.group_id)
            )  # fmt: skip
            values = {p: FieldValue(v, by_hand) for p, v in COMPLETE.items()}
            uow.okidocs.add(OkiDoc(id=0, pupil_id=pupil.id, status=status, fields=values))
            ids[kind] = pupil.id
        claim = FirstChoiceOptions(priority_claim=PriorityClaim(PriorityKind.SIBLING, "Tim", "1b"))
        chosen = PreferenceList(school_ids=(staff.vo_school_id,), first_choice=claim)
        uow.registrations.add(  # with a claim: the VO list shows the judgement's form (reden)
            Registration(id=0, pupil_id=ids["volledig"], procedure=services.settings.procedure,
                         preferences=chosen, definitive=chosen, updated_at=at)
        )  # fmt: skip
        today = at.date()
        open_period = Period(today - dt.timedelta(days=1), today + dt.timedelta(days=30))
        uow.settings.save_timeline(Timeline(parent_login=open_period, registration=open_period,
                                            registration_week=open_period))  # fmt: skip
        _registering_again(uow, staff, by_hand)
        uow.commit()
    return ids


def _registering_again(uow: UnitOfWork, staff: Staff, by_hand: Provenance) -> None:
    """The fuzz parent's child (vmbo-k: a list of two) registered definitively at two VO schools
    and working on a new order in the registration week: every registration form is shown."""
    vo = uow.schools.get(staff.vo_school_id)
    uow.schools.update(attrs.evolve(vo, levels=frozenset(Level)))
    second = uow.schools.add(attrs.evolve(vo, id=0, name="Het Tweede College",
                                          location=SchoolLocation.parse("91VO")))  # fmt: skip
    okidoc = uow.okidocs.for_pupil(staff.pupil_id)
    advice = {**okidoc.fields, f.ADVICE_DEFINITIVE: FieldValue("vmbo-k", by_hand)}
    uow.okidocs.update(attrs.evolve(okidoc, fields=advice))
    pupil = uow.pupils.get(staff.pupil_id)
    uow.pupils.update(attrs.evolve(pupil, parent_login=ParentLoginStatus.REGISTRATION_COMPLETED))
    both = (vo.id, second.id)
    uow.registrations.add(
        Registration(id=0, pupil_id=staff.pupil_id, procedure="amstelland",
                     preferences=PreferenceList(school_ids=both[::-1]),
                     definitive=PreferenceList(school_ids=both), updated_at=by_hand.at,
                     definitive_at=by_hand.at)
    )  # fmt: skip


def _colleague_chose_2fa(services: Services, staff: Staff, secret: str) -> None:
    """An end user who switched 2FA on himself: he sees the form to switch it off again."""
    with services.uow() as uow:
        uow.users.update(attrs.evolve(uow.users.get(staff.colleague.id), totp_secret=secret))
        uow.commit()


def _log_everyone_in(world: World, kit: WebKit) -> None:
    """One session per principal; each cookie already holds its CSRF secret."""
    for principal in PRINCIPALS:
        client = world.app.test_client()
        if principal in _EMAILS:
            email = _EMAILS[principal](world.staff)
            kit.log_in_staff(client, world.clock, email)
            page = client.get("/account/instellingen")
            assert page.status_code == 200, f"{principal} ({email}) could not log in"
            if principal in ("school_admin", "teacher"):
                _upload_results(client, kit)
        elif principal == "parent":
            page = _log_in_parent(world, client, kit)
        elif principal == "pending":
            response = kit.log_in(client, world.staff.school_admin.email)
            assert response.headers.get("Location", "").endswith("/account/inloggen/code")
            page = client.get("/account/inloggen/code")
        else:
            page = client.get("/inloggen")
        world.csrf[principal] = kit.csrf_token(page)
        cookie = client.get_cookie("elk_session")
        world.cookies[principal] = cookie.value if cookie is not None else None


def _upload_results(client: FlaskClient, kit: WebKit) -> None:
    """A doorstroomtoets file waiting for its import, with an uncertain line (its form fuzzed)."""
    page = client.get("/leerlingen/doorstroomtoets/importeren")
    data = result_zip(
        "BRIN;Voornaam;Achternaam;Geboortedatum;Toets;Afnamedatum;Uitslag\n"
        "12AB00;Anna;Jansen;04-05-2013;Route 8;11-02-2026;havo\n"
    )
    response = client.post(
        "/leerlingen/doorstroomtoets/importeren",
        data={"csrf_token": kit.csrf_token(page), "bestand": (io.BytesIO(data), "uitslag.zip")},
    )
    assert response.status_code == 302, "the result file was not accepted"


def _log_in_parent(world: World, client: FlaskClient, kit: WebKit) -> TestResponse:
    """The teacher's pupil's parent, with a password, logged in with the ELK number."""
    with world.services.uow() as uow:
        pupil = uow.pupils.get(world.staff.pupil_id)
        uow.parent_accounts.add(
            ParentAccount(id=0, pupil_id=pupil.id, email="ouder.anna@example.nl",
                          password_hash=world.services.hasher.hash(PARENT_PASSWORD))
        )  # fmt: skip
        uow.commit()
    token = kit.csrf_token(client.get("/ouders/inloggen"))
    data = {"elk_nummer": str(pupil.elk_number), "wachtwoord": PARENT_PASSWORD, "csrf_token": token}
    assert client.post("/ouders/inloggen", data=data).headers.get("Location") == "/ouders/"
    return client.get("/ouders/")


def _parent_token(world: World, mail: MailCapture) -> str:
    """A live parent set-password link: the teacher sends the login of a Definitief pupil."""
    pupil = world.pupils["definitief"]
    with world.services.uow() as uow:
        actor = actor_of(uow, uow.users.get(world.staff.teacher.id))
    base = "http://localhost/ouders"
    links = PortalLinks(login_url=f"{base}/inloggen",
                        set_password_url=f"{base}/wachtwoord-instellen/{{token}}")  # fmt: skip
    send_parent_login(world.services.uow(), world.clock, world.services.random, actor,
                      SendParentLogin(pupil), links)  # fmt: skip
    world.deliver_mail()
    bodies = [m.body for m in read_outbox(mail.outbox) if "ouders/wachtwoord-instellen" in m.body]
    found = re.search(r"/ouders/wachtwoord-instellen/([^\s/]+)", "".join(bodies))
    assert found, "no parent login mail captured: the parents' set-password page would go unfuzzed"
    return found.group(1)


def _reset_token(world: World, kit: WebKit, mail: MailCapture) -> str:
    """A live set-password link, asked for as the other board's teacher (not a principal)."""
    client = world.app.test_client()
    token = kit.csrf_token(client.get("/account/wachtwoord-vergeten"))
    email = world.staff.other_teacher.email
    client.post("/account/wachtwoord-vergeten", data={"email": email, "csrf_token": token})
    world.deliver_mail()
    bodies = [m.body for m in read_outbox(mail.outbox) if email in m.to]
    found = re.search(r"/wachtwoord-instellen/([^\s/]+)", "".join(bodies))
    assert found, "no reset mail captured: the set-password page would go unfuzzed"
    return found.group(1)
