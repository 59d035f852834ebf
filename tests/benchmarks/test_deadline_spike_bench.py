"""BENCH deadline_spike (issue 14): the evening before the deadline, 200 parents log in with the
ELK number and make their registration definitive, all within one minute, against `elk serve`
(waitress) on SQLite over real HTTP.

Each parent: the login page, the login, the registration page, five "Toevoegen" presses, the
check page and "Definitief maken": 10 requests, as the browser sends them (with the CSRF token
and the session cookie). The parents start spread over the first 30 seconds, 40 at a time at
most. Printed: errors (a request that failed or answered unexpectedly), lost (a parent whose
registration is not definitive in the database with the five schools, or whose confirmation mail
was not queued), p95 of the request times. Target: 0 errors, 0 lost, p95 < 300 ms.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests

from elk_adapters.bootstrap import bootstrap
from elk_adapters.mail.capture import free_port
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_domain.kernel.advice import Level
from elk_domain.kernel.people import OrgKind
from elk_domain.kernel.values import Address, ElkNumber, PersonName, SchoolLocation
from elk_domain.okidoc import fields as f
from elk_domain.okidoc.model import FieldValue, OkiDoc, OkiStatus, Provenance, Source
from elk_domain.organisation.model import Board, Group, Period, School, Timeline
from elk_domain.organisation.procedure import ParentPortal
from elk_domain.parents.account import ParentAccount
from elk_domain.pupils.model import ParentLoginStatus, Pupil

PARENTS = 200
AT_ONCE = 40
SPREAD_S = 30.0
PASSWORD = "fietsen naar de bieb"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _settings(folder: Path, port: int) -> Settings:
    return Settings(
        env="demo", instance_path=folder,
        database_url=f"sqlite:///{folder / 'elk.sqlite3'}",
        secret_key="bench-deadline-spike-0123456789abcdef", log_format="json",
        smtp_port=free_port(), base_url=f"http://127.0.0.1:{port}",
    )  # fmt: skip


def _seed(settings: Settings) -> tuple[list[str], list[int]]:
    """A primary school with 200 pupils (havo advice, activated parent login) and eight VO
    schools that fit; the registration period open. The ELK numbers and the VO school ids."""
    services = bootstrap(settings)
    now = dt.datetime.now(dt.UTC)
    by_hand = Provenance(Source.HAND, now, "juf")
    password_hash = services.hasher.hash(PASSWORD)  # one hash: the server verifies each login
    address = Address.create(street="Laan", house_number="1", postcode="1181 AB", city="Amstelveen")
    numbers, vo_ids = [], []
    with services.uow() as uow:
        board = uow.boards.add(Board(0, "Stichting"))
        po = uow.schools.add(
            School(
                id=0,
                board_id=board.id,
                kind=OrgKind.PO,
                official_name="PO",
                name="De Regenboog",
                school_type="Basisschool",
                address=address,
                location=SchoolLocation.parse("12AB"),
            )
        )
        group = uow.groups.add(Group(0, po.id, "8"))
        for n in range(8):
            vo = uow.schools.add(
                School(
                    id=0,
                    board_id=board.id,
                    kind=OrgKind.VO,
                    official_name=f"VO {n}",
                    name=f"College {n}",
                    school_type="Scholengemeenschap",
                    address=address,
                    location=SchoolLocation.parse(f"{40 + n}VO"),
                    levels=frozenset({Level.HAVO, Level.VWO}),
                    capacity={Level.HAVO: 60},
                )
            )
            vo_ids.append(vo.id)
        values = {f.ADVICE_DEFINITIVE: "havo", f.FINAL_TEST_OUTCOME: "havo"}
        for n in range(PARENTS):
            pupil = uow.pupils.add(
                Pupil(
                    id=0,
                    elk_number=ElkNumber(uow.pupils.next_elk_number()),
                    school_id=po.id,
                    name=PersonName(f"Kind{n}", "Jansen"),
                    group_id=group.id,
                    parent_login=ParentLoginStatus.ACTIVATED,
                )
            )
            fields = {path: FieldValue(value, by_hand) for path, value in values.items()}
            fields[f.PARENT_EMAIL] = FieldValue(f"ouder{n}@example.nl", by_hand)
            uow.okidocs.add(
                OkiDoc(id=0, pupil_id=pupil.id, status=OkiStatus.DEFINITIEF, fields=fields)
            )
            uow.parent_accounts.add(
                ParentAccount(
                    id=0,
                    pupil_id=pupil.id,
                    email=f"ouder{n}@example.nl",
                    password_hash=password_hash,
                )
            )
            numbers.append(str(pupil.elk_number))
        span = Period(now.date() - dt.timedelta(days=3), now.date() + dt.timedelta(days=3))
        uow.settings.save_timeline(Timeline(parent_login=span, registration=span))
        uow.commit()
    return numbers, vo_ids


class Parent:
    """One parent's browser: a session, the CSRF token of the last page, the request times."""

    def __init__(self, base: str, number: str) -> None:
        self.base, self.number = base, number
        self.session = requests.Session()
        self.times: list[float] = []
        self.errors: list[str] = []

    def _send(self, method: str, path: str, expect: int, **form: str) -> str:
        start = time.perf_counter()
        try:
            response = self.session.request(
                method, self.base + path, data=form or None, allow_redirects=False, timeout=30
            )
        except requests.RequestException as exc:
            self.errors.append(f"{method} {path}: {exc.__class__.__name__}")
            return ""
        finally:
            self.times.append(time.perf_counter() - start)
        if response.status_code != expect:
            self.errors.append(f"{method} {path}: {response.status_code}")
        return response.text

    def token(self, path: str) -> str:
        found = CSRF.search(self._send("GET", path, 200))
        return found.group(1) if found else ""

    def register(self, schools: list[int]) -> None:
        token = self.token("/ouders/inloggen")
        self._send(
            "POST",
            "/ouders/inloggen",
            302,
            csrf_token=token,
            elk_nummer=self.number,
            wachtwoord=PASSWORD,
        )
        token = self.token("/ouders/aanmelden")
        for school in schools:
            self._send(
                "POST", "/ouders/aanmelden", 302, csrf_token=token, actie=f"toevoegen:{school}"
            )
        token = self.token("/ouders/aanmelden/controleren")
        self._send("POST", "/ouders/aanmelden/definitief", 302, csrf_token=token)


def _serve(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ELK_ENV": "demo",
        "ELK_INSTANCE_PATH": str(settings.instance_path),
        "ELK_DATABASE_URL": settings.database_url,
        "ELK_SECRET_KEY": settings.secret_key,
        "ELK_BASE_URL": settings.base_url,
        "ELK_SMTP_PORT": str(settings.smtp_port),
        "ELK_LOG_FORMAT": "json",
        "ELK_MAIL_INTERVAL": "3600",
    }
    elk = shutil.which("elk", path=str(Path(sys.executable).parent)) or "elk"
    server = subprocess.Popen(
        [elk, "serve", "--demo", "--port", str(port), "--threads", "8"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{settings.base_url}/ouders/inloggen", timeout=2).ok:
                return server
        except requests.RequestException:
            time.sleep(0.2)
    server.kill()
    raise AssertionError("elk serve did not answer within 60 s")


def _lost(settings: Settings, numbers: list[str], schools: list[int]) -> int:
    services = bootstrap(settings)
    with services.uow() as uow:
        queued = [q.mail.to for q in uow.mail_queue.unsent()]
        lost = 0
        for n, _number in enumerate(numbers):
            account = uow.parent_accounts.by_elk_number(int(_number), ParentPortal.ELK)
            registration = (
                None
                if account is None
                else uow.registrations.for_pupil(account.pupil_id, "amstelland")
            )
            definitive = registration is not None and registration.definitive is not None
            complete = definitive and registration.definitive.school_ids == tuple(schools)
            if not complete or f"ouder{n}@example.nl" not in queued:
                lost += 1
    return lost


def _portal():
    from elk_domain.organisation.procedure import ParentPortal

    return ParentPortal.ELK


def test_deadline_spike(tmp_path: Path) -> None:
    port = free_port()
    settings = _settings(tmp_path / "instance", port)
    upgrade_database(settings)
    numbers, vo_ids = _seed(settings)
    server = _serve(settings, port)
    try:
        parents = [Parent(settings.base_url, number) for number in numbers]
        chosen = vo_ids[:5]
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            futures = []
            for n, parent in enumerate(parents):
                delay = SPREAD_S * n / PARENTS
                futures.append(pool.submit(_after, start + delay, parent, chosen))
            for future in futures:
                future.result()
        wall = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    times = sorted(t for p in parents for t in p.times)
    errors = [e for p in parents for e in p.errors]
    lost = _lost(settings, numbers, chosen)
    p95 = times[int(len(times) * 0.95) - 1] * 1000
    line = (
        f"BENCH deadline_spike parents={PARENTS} requests={len(times)} errors={len(errors)} "
        f"lost={lost} p95_ms={p95:.0f} p50_ms={times[len(times) // 2] * 1000:.0f} "
        f"wall_s={wall:.1f}" + (f" first_errors={errors[:3]}" if errors else "")
    )
    print(line)  # noqa: T201  (the one line `make bench` reports)
    assert len(times) == PARENTS * 10


def _after(moment: float, parent: Parent, schools: list[int]) -> None:
    time.sleep(max(0.0, moment - time.perf_counter()))
    parent.register(schools)
