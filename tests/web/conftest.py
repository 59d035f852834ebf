"""The web app on the real parts: a temporary, migrated SQLite database, the real file store on
the test's temporary folder, the real SMTP path (outbox table, delivery step, ``SmtpMailer``) to a
local aiosmtpd capture, the real (fast) Argon2 hasher, and a fixed clock."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from flask import Flask
from flask.testing import FlaskClient
from tests.fixtures.hostile import FUZZ_FIGURES
from werkzeug.test import TestResponse

from elk_adapters.bootstrap import Services, bootstrap
from elk_adapters.mail.capture import MailCapture, free_port
from elk_adapters.mail.outbox import CapturedMail, read_outbox
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_domain.kernel.mail_queue import deliver_pending_mail
from elk_domain.kernel.people import OrgKind, Role, User
from elk_domain.kernel.values import Address, SchoolLocation
from elk_domain.organisation.model import Board, Group, NewsItem, School
from elk_domain.testing import FixedClock
from elk_web import create_app

PASSWORD = "correct horse battery staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the 2FA accounts' authenticator app
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@attrs.frozen
class Seed:
    """Ids of the seeded records, for tests that need them."""

    admin: User
    teacher: User
    vo_user: User
    school_id: int
    group_id: int


def make_settings(instance: Path, **changes: object) -> Settings:
    """Test settings on a fresh SQLite file in ``instance``."""
    base = Settings(
        env="test",
        instance_path=instance,
        database_url=f"sqlite:///{instance / 'elk.sqlite3'}",
        secret_key="test-secret-key-0123456789",
        log_format="json",
    )
    return attrs.evolve(base, **changes)  # type: ignore[misc]


def make_services(settings: Settings, clock: FixedClock, schema: Path) -> Services:
    """The real adapters (bootstrap's defaults) on a copy of the migrated schema, with ``clock``:
    files under the instance folder, mail through SMTP to ``settings.smtp_host:smtp_port``."""
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    for part in schema.parent.glob(f"{schema.name}*"):  # the database and any WAL file
        shutil.copy(part, settings.instance_path / part.name)
    return bootstrap(settings, clock=clock)


def seed(services: Services) -> Seed:
    """A board, a PO school with group 8a, a VO school and users of each kind; two news items."""
    hasher = services.hasher
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Stichting Amstelland"))
        po = uow.schools.add(_school(board.id, OrgKind.PO, "De Regenboog", "12AB"))
        vo = uow.schools.add(_school(board.id, OrgKind.VO, "Het Lyceum", "34CD"))
        admin = uow.users.add(
            User(
                id=0,
                email="beheer@elk.test",
                display_name="Fien Beheer",
                role=Role.FUNCTIONAL_ADMIN,
                password_hash=hasher.hash(PASSWORD),
                totp_secret=TOTP_SECRET,  # the role must use 2FA (decision 0033)
            )
        )
        teacher = uow.users.add(
            User(
                id=0,
                email="juf.eva@regenboog.test",
                display_name="Eva de Vries",
                role=Role.END_USER,
                org_kind=OrgKind.PO,
                board_id=board.id,
                school_id=po.id,
                password_hash=hasher.hash(PASSWORD),
            )
        )
        vo_user = uow.users.add(
            User(
                id=0,
                email="mentor@lyceum.test",
                display_name="Victor Mentor",
                role=Role.VO_USER,
                org_kind=OrgKind.VO,
                board_id=board.id,
                school_id=vo.id,
                password_hash=hasher.hash(PASSWORD),
            )
        )
        group = uow.groups.add(Group(0, po.id, "8a", frozenset({teacher.id})))
        uow.news.add(
            NewsItem(
                id=0,
                title="Tijdpad 2025 staat klaar",
                body="De data voor dit schooljaar\nzijn bekend.",
                published_at=dt.datetime(2025, 1, 10, 9, 0, tzinfo=dt.UTC),
                author="ELK beheer",
            )
        )
        uow.news.add(
            NewsItem(
                id=0,
                title="Aanmeldweek begint",
                body="Ouders kunnen vanaf maandag aanmelden.",
                published_at=dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC),
            )
        )
        uow.commit()
    return Seed(admin, teacher, vo_user, po.id, group.id)


def _school(board_id: int, kind: OrgKind, name: str, brin: str) -> School:
    return School(
        id=0,
        board_id=board_id,
        kind=kind,
        official_name=name,
        name=name,
        school_type="Basisschool" if kind is OrgKind.PO else "Scholengemeenschap",
        address=Address.create(
            street="Schoolstraat", house_number="1", postcode="1181 AB", city="Amstelveen"
        ),
        location=SchoolLocation.parse(brin),
    )


def read_csrf_token(response: TestResponse) -> str:
    """The CSRF token in a rendered form."""
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


def log_in(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    """Log in through the form (with its CSRF token); returns the POST's response."""
    token = read_csrf_token(client.get("/inloggen"))
    return client.post(
        "/inloggen", data={"email": email, "password": password, "csrf_token": token}
    )


def log_out(client: FlaskClient) -> TestResponse:
    """Press "Uitloggen" on the home page."""
    token = read_csrf_token(client.get("/"))
    return client.post("/uitloggen", data={"csrf_token": token})


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture(scope="session")
def mail_capture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailCapture]:
    """One local SMTP server for the session; each test gets an empty outbox (``outbox``)."""
    folder = tmp_path_factory.mktemp("mail")
    with MailCapture(folder / "outbox", port=free_port()) as capture:
        yield capture


@pytest.fixture
def outbox(mail_capture: MailCapture) -> Path:
    """The capture's folder, emptied for this test (tests run one at a time)."""
    for message in mail_capture.outbox.iterdir():
        message.unlink()
    return mail_capture.outbox


@pytest.fixture
def settings(tmp_path: Path, mail_capture: MailCapture, outbox: Path) -> Settings:
    return make_settings(
        tmp_path / "instance", smtp_host=mail_capture.host, smtp_port=mail_capture.port
    )


DeliveredMail = Callable[[], list[CapturedMail]]


@pytest.fixture
def delivered_mail(services: Services, outbox: Path) -> DeliveredMail:
    """``delivered_mail()``: run the worker's delivery step with the real ``SmtpMailer``, then
    every message the capture received in this test, oldest first."""

    def deliver_and_read() -> list[CapturedMail]:
        deliver_pending_mail(services.uow(), services.clock, services.mailer)
        return list(reversed(read_outbox(outbox, limit=10_000)))

    return deliver_and_read


@pytest.fixture(scope="session")
def migrated_schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the newest migration, made once and copied for each test."""
    settings = make_settings(tmp_path_factory.mktemp("schema"))
    upgrade_database(settings, "head")
    return settings.instance_path / "elk.sqlite3"


@pytest.fixture
def services(settings: Settings, clock: FixedClock, migrated_schema: Path) -> Services:
    return make_services(settings, clock, migrated_schema)


@pytest.fixture
def seeded(services: Services) -> Seed:
    return seed(services)


@pytest.fixture
def app(services: Services, seeded: Seed) -> Flask:
    flask_app = create_app(services.settings, services)
    flask_app.testing = True
    return flask_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


# Helpers as fixtures: with --import-mode=importlib test modules cannot import conftest.
LoginHelper = Callable[..., TestResponse]
LogoutHelper = Callable[[FlaskClient], TestResponse]
CsrfHelper = Callable[[TestResponse], str]


@pytest.fixture
def login(clock: FixedClock) -> LoginHelper:
    """``login(client, email, password=PASSWORD)``: log in through the form, with the 2FA code
    of the seeded accounts when asked for one; returns the last response."""
    return lambda client, email, password=PASSWORD: log_in_staff(
        client, clock, email, password=password
    )


@pytest.fixture
def password_step() -> LoginHelper:
    """``password_step(client, email, password=PASSWORD)``: the login form only (no code)."""
    return log_in


@pytest.fixture
def logout() -> LogoutHelper:
    """``logout(client)``: press "Uitloggen"."""
    return log_out


@pytest.fixture
def csrf_token() -> CsrfHelper:
    """``csrf_token(response)``: the token of the form on a page."""
    return read_csrf_token


# --- Staff accounts (issue 5): a second board, more roles, pupils in two groups -------------


@attrs.frozen
class Staff:
    """Everyone the access matrix needs, with the records they may or may not reach."""

    board_id: int
    other_board_id: int
    school_id: int
    vo_school_id: int
    other_school_id: int  # a PO school of the other board
    board_contact: User
    school_admin: User  # 2FA on, with TOTP_SECRET
    teacher: User  # contact person of group 8a
    colleague: User  # end user of the same school, no group
    other_teacher: User  # end user of the other school
    vo_user: User
    admin: User
    group_id: int  # 8a
    other_group_id: int  # 8b, same school
    pupil_id: int  # in 8a
    other_group_pupil_id: int  # in 8b
    other_school_pupil_id: int
    other_school_group_id: int


def seed_staff(services: Services, seeded: Seed) -> Staff:
    """Add a board contact, a school administrator, a colleague, another board and pupils."""
    from elk_domain.kernel.values import ElkNumber, PersonName
    from elk_domain.okidoc.model import OkiDoc
    from elk_domain.pupils.model import Pupil

    hashed = services.hasher.hash(PASSWORD)
    with services.uow() as uow:
        school = uow.schools.get(seeded.school_id)
        vo = next(s for s in uow.schools.list() if s.kind is OrgKind.VO)
        other_board = uow.boards.add(Board(0, "Stichting Elders"))
        other = uow.schools.add(_school(other_board.id, OrgKind.PO, "De Linde", "56EF"))

        def user(email: str, name: str, role: Role, school_id: int | None, **extra: object) -> User:
            board = other_board.id if school_id == other.id else school.board_id
            return uow.users.add(
                User(id=0, email=email, display_name=name, role=role, org_kind=OrgKind.PO,
                     board_id=board, school_id=school_id, password_hash=hashed,
                     **extra)  # type: ignore[arg-type]
            )  # fmt: skip

        contact = user("bestuur@elk.test", "Bert Bestuur", Role.BOARD_CONTACT, None,
                       totp_secret=TOTP_SECRET)  # fmt: skip
        school_admin = user("schoolbeheer@regenboog.test", "Sanne Schoolbeheer",
                            Role.SCHOOL_ADMIN, school.id, totp_secret=TOTP_SECRET)  # fmt: skip
        colleague = user("meester.bram@regenboog.test", "Bram Bakker", Role.END_USER, school.id)
        other_teacher = user("juf.lies@linde.test", "Lies Linde", Role.END_USER, other.id)
        group_b = uow.groups.add(Group(0, school.id, "8b"))
        group_elsewhere = uow.groups.add(Group(0, other.id, "8"))

        def pupil(first: str, school_id: int, group_id: int | None) -> int:
            stored = uow.pupils.add(
                Pupil(id=0, elk_number=ElkNumber(uow.pupils.next_elk_number()),
                      school_id=school_id, name=PersonName(first, "Jansen"), group_id=group_id)
            )  # fmt: skip
            uow.okidocs.add(OkiDoc(id=0, pupil_id=stored.id))
            return stored.id

        in_a = pupil("Anna", school.id, seeded.group_id)
        in_b = pupil("Bas", school.id, group_b.id)
        elsewhere = pupil("Cor", other.id, None)
        uow.commit()
    return Staff(
        board_id=school.board_id, other_board_id=other_board.id, school_id=school.id,
        vo_school_id=vo.id, other_school_id=other.id, board_contact=contact,
        school_admin=school_admin, teacher=seeded.teacher, colleague=colleague,
        other_teacher=other_teacher, vo_user=seeded.vo_user, admin=seeded.admin,
        group_id=seeded.group_id, other_group_id=group_b.id, pupil_id=in_a,
        other_group_pupil_id=in_b, other_school_pupil_id=elsewhere,
        other_school_group_id=group_elsewhere.id,
    )  # fmt: skip


@pytest.fixture
def staff(services: Services, seeded: Seed) -> Staff:
    return seed_staff(services, seeded)


def totp_now(clock: FixedClock, secret: str = TOTP_SECRET) -> str:
    """The authenticator app's code at the test clock's time."""
    import pyotp

    return str(pyotp.TOTP(secret).at(clock.now()))


def log_in_staff(
    client: FlaskClient,
    clock: FixedClock,
    email: str,
    secret: str | None = TOTP_SECRET,
    *,
    password: str = PASSWORD,
) -> TestResponse:
    """Log in with password and, when asked, the 2FA code (advancing the clock one step so a
    code is never replayed)."""
    response = log_in(client, email, password)
    if response.headers.get("Location", "").endswith("/account/inloggen/code") and secret:
        clock.advance(dt.timedelta(seconds=30))
        token = read_csrf_token(client.get("/account/inloggen/code"))
        response = client.post(
            "/account/inloggen/code", data={"code": totp_now(clock, secret), "csrf_token": token}
        )
    return response


StaffLoginHelper = Callable[..., TestResponse]


@pytest.fixture
def login_staff(clock: FixedClock) -> StaffLoginHelper:
    """``login_staff(client, email)``: password plus 2FA code when the account has one."""
    return lambda client, email, secret=TOTP_SECRET: log_in_staff(client, clock, email, secret)


@attrs.frozen
class WebKit:
    """The helpers above as one object, for fixtures wider than one test (module, session)."""

    make_settings: Callable[..., Settings] = make_settings
    seed_all: Callable[[Services], Staff] = lambda services: seed_staff(services, seed(services))
    log_in: Callable[..., TestResponse] = log_in
    log_in_staff: Callable[..., TestResponse] = log_in_staff
    csrf_token: CsrfHelper = read_csrf_token
    totp_secret: str = TOTP_SECRET


@pytest.fixture(scope="session")
def web_kit() -> WebKit:
    """Seeding and logging in without function-scoped fixtures (the POST fuzz builds its world
    once per module and resets the database between requests)."""
    return WebKit()


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """The POST fuzz's figures (issue 12 asks for at least 2,000 requests per run)."""
    figures = config.stash.get(FUZZ_FIGURES, None)
    if figures:
        terminalreporter.write_line(
            f"POST fuzz: {figures['requests']:,} requests to {figures['routes']} routes as "
            f"{figures['principals']} principals in {figures['seconds']} s"
        )
