"""Benchmark: the Leerlingen overview (50 rows, filtered, sorted) against a bare query + Jinja2.

``demo load --pupils 10000`` fills a fresh SQLite database; then, in one run and one process,
interleaved (app page, bare page, app page, …) so that both sides see the same machine load:

- app: ``GET /leerlingen/?groep=…&sorteer=naam&per_pagina=50`` through the whole Flask app via
  Flask's test client: session cookie and user loading (``actor_for``: the user and their
  contact groups), CSRF and idle-timeout hooks, the use case (permission check, the school and
  its groups in one query, the read model's page query, its rows as domain objects), the view
  model (``elk_web.pupils.lines``), the real page (``base.html`` with the menu,
  ``pupils/index.html``, ``pupils/_rows.html``), security headers and the canonical log line.
- bare, the essential work of the same page: one SQLAlchemy Core SELECT written here (the same
  joins: pupil, group, the Oki-doc's overview columns, newest registration and its school and
  priority claim, ``count(*) OVER ()``; the same filter, order and limit) on a plain engine, its
  rows unpacked into the same display values (``OverviewLine.of``, the app's plain data holder),
  and the SAME templates (``pupils/index.html`` and all it extends and includes) rendered by a
  plain ``jinja2.Environment`` on the app's template folder. Stand-ins replace Flask:
  ``url_for`` (and the sort/page ``link``) build paths from a table read from the app's URL map,
  ``csrf_token`` is a constant, there are no flashed messages, and what the app works out per
  request besides the rows (actor, menu, the school and its groups for the filter, the PDF link
  patterns) is computed once before timing.

Both pages show the same 50 rows: their ``<tbody>`` is asserted equal, and the whole pages
are asserted equal apart from the CSRF token. Both run single-threaded, in-process: the ratio
compares the work per page, not a socket stack. ``queries_per_page`` counts every statement
the app sends for one page (BEGINs included). Prints exactly one ``BENCH overview`` line;
target ratio >= 0.6.
"""

from __future__ import annotations

import re
import statistics
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import sqlalchemy as sa
from flask import Flask

from elk_adapters.bootstrap import Services, bootstrap
from elk_adapters.demo import DEMO_ACCOUNTS, load_demo
from elk_adapters.logging import configure_logging
from elk_adapters.persistence import tables as t
from elk_adapters.persistence.schema import upgrade_database
from elk_adapters.settings import Settings
from elk_domain.accounts.auth import actor_for
from elk_domain.overview.model import OverviewQuery, OverviewSort
from elk_domain.overview.page import PAGE_SIZES
from elk_domain.parents.claims import PriorityState
from elk_domain.testing import InMemoryFileStore, InMemoryMailer, InsecurePlainHasher
from elk_web import create_app
from elk_web.navigation import menu_for
from elk_web.pupils.lines import OverviewLine, priority_text
from elk_web.pupils.overview import _pdf_link

PUPILS = 10_000
PAGE = 50
WARMUP, ROUNDS = 20, 300
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_TOKEN = "bare-csrf-token"
_URL_SAFE = "!$'()*,/:;?@"  # as werkzeug builds query strings


def test_overview_benchmark(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    settings = Settings(
        env="test",
        instance_path=instance,
        database_url=f"sqlite:///{instance / 'elk.sqlite3'}",
        secret_key="bench-secret-key-0123456789",
        log_format="json",
    )
    upgrade_database(settings)
    services = bootstrap(
        settings, mailer=InMemoryMailer(), files=InMemoryFileStore(), hasher=InsecurePlainHasher()
    )
    load_demo(services, pupils=PUPILS)
    print(run_benchmark(settings, services))  # noqa: T201  (the one line `make bench` reports)


def run_benchmark(settings: Settings, services: Services) -> str:
    """Measure both sides on a loaded database; returns the ``BENCH overview`` line."""
    account = next(a for a in DEMO_ACCOUNTS if a.email == "ib@elk.example")
    with services.uow() as uow:
        user = uow.users.by_email(account.email)
        assert user is not None
        assert user.school_id is not None
        school = uow.schools.get(user.school_id)
        groups = sorted(uow.groups.list(school.id), key=lambda g: g.name)
        group = next(g for g in groups if g.name == "8b")

    app = create_app(settings, services)
    # The app's canonical log line is formatted and written for every request, as in
    # production, but into a file (as a service manager would) rather than onto the terminal
    # that runs `make bench`: 640 JSON lines there buried the BENCH line, and writing to a
    # terminal costs what the terminal costs.
    log_path = settings.instance_path / "requests.log"
    log_file = log_path.open("w", encoding="utf-8")
    configure_logging(settings, stream=log_file)
    client = app.test_client()
    token = _CSRF.search(client.get("/inloggen").get_data(as_text=True))
    assert token is not None
    client.post(
        "/inloggen",
        data={"email": account.email, "password": account.password, "csrf_token": token[1]},
    )
    url = f"/leerlingen/?groep={group.id}&sorteer=naam&per_pagina={PAGE}"

    actor = actor_for(services.uow(), user.id, user.session_version)
    assert actor is not None
    with app.test_request_context(url):
        menu = menu_for(actor)
        pdf_links = (_pdf_link("documents.okidoc_pdf"), _pdf_link("documents.registration_pdf"))
    context = {
        "actor": actor,
        "menu": menu,
        "overview": SimpleNamespace(
            school=school,
            schools=(school,),
            groups=tuple(groups),
            query=OverviewQuery(
                school_id=school.id,
                group_ids=frozenset({group.id}),
                sort=OverviewSort.NAME,
                page_size=PAGE,
            ),
        ),
        "page_sizes": PAGE_SIZES,
        "sorts": OverviewSort,
        "pdf_links": pdf_links,
        "groep": [str(group.id)],
    }
    engine = sa.create_engine(settings.database_url)
    render = _bare_page(app, engine, school.id, group.id, context)

    statements: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_a: object) -> None:
        statements.append(statement)

    def count_begin(_connection: object) -> None:  # SQLite's BEGIN goes straight to the driver
        statements.append("BEGIN")

    # Interleaved (app page, bare page, app page, …) so that both sides see the same load.
    app_times, bare_times = [], []
    for index in range(WARMUP + ROUNDS):
        if index == WARMUP:
            sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
            sa.event.listen(sa.engine.Engine, "begin", count_begin)
        started = time.perf_counter()
        response = client.get(url)
        app_times.append(time.perf_counter() - started)
        if index == WARMUP:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
            sa.event.remove(sa.engine.Engine, "begin", count_begin)
            # SQLAlchemy never lowers this flag once a listener raised it, and with it raised
            # every statement of both sides dispatches (empty) events; no listener is left.
            sa.engine.Engine._has_events = False
        assert response.status_code == 200
        started = time.perf_counter()
        bare_html = render()
        bare_times.append(time.perf_counter() - started)
    engine.dispose()
    log_file.close()
    configure_logging(settings)  # back to standard error for whatever runs next
    logged = log_path.read_text(encoding="utf-8").splitlines()
    assert sum('"path": "/leerlingen/"' in line for line in logged) == WARMUP + ROUNDS
    app_rps = ROUNDS / sum(app_times[WARMUP:])
    bare_rps = ROUNDS / sum(bare_times[WARMUP:])
    p95_ms = statistics.quantiles(app_times[WARMUP:], n=20)[-1] * 1000
    app_html = response.get_data(as_text=True)

    assert _tbody(app_html).count('<tr data-href="') == PAGE
    assert _tbody(bare_html) == _tbody(app_html)
    assert bare_html.replace(_TOKEN, "T") == _CSRF.sub('name="csrf_token" value="T"', app_html)
    return (
        f"BENCH overview app_rps={app_rps:.1f} bare_rps={bare_rps:.1f} "
        f"ratio={app_rps / bare_rps:.2f} p95_ms={p95_ms:.1f} queries_per_page={len(statements)}"
    )


def _tbody(html: str) -> str:
    return html[html.index("<tbody>") : html.index("</tbody>")]


def _bare_page(
    app: Flask, engine: sa.Engine, school_id: int, group_id: int, context: dict[str, Any]
) -> Callable[[], str]:
    """One page: the SELECT, the display values, the app's templates through plain Jinja2."""
    paths = {r.endpoint: r.rule for r in app.url_map.iter_rules() if not r.arguments}

    def url_for(endpoint: str, **values: Any) -> str:
        if endpoint == "static":
            return f"/static/{values['filename']}"
        query = [(k, v) for k, v in values.items() if v is not None]
        encoded = urllib.parse.urlencode(query, doseq=True, safe=_URL_SAFE)
        return paths[endpoint] + ("?" + encoded if query else "")

    def getlist(name: str) -> list[str]:
        return context["groep"] if name == "groep" else []

    assert app.template_folder is not None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(app.root_path) / app.template_folder),
        autoescape=True,
    )
    env.globals.update(
        url_for=url_for,
        csrf_token=lambda: _TOKEN,
        get_flashed_messages=lambda **_: [],
        request=SimpleNamespace(args=SimpleNamespace(getlist=getlist)),
        endpoint_exists=lambda name: name in paths,
    )
    template = env.get_template("pupils/index.html")
    query = _bare_query(school_id, group_id)
    base = url_for("pupils.index")
    fixed = {"school": school_id, "groep": context["groep"]}
    context["link"] = lambda **changes: url_for("pupils.index", **fixed, **changes)

    def render() -> str:
        with engine.connect() as connection:
            rows = connection.execute(query).all()
        total = rows[0][-1] if rows else 0
        lines = [
            OverviewLine.of(
                base,
                pupil_id=pupil_id,
                first=first,
                tussenvoegsel=tussenvoegsel,
                last=last,
                group=group_name,
                status=status,
                extra_support=extra_support,
                tafelmiddag_po=tafelmiddag_po,
                tafelmiddag_vo=tafelmiddag_vo,
                parent_login=parent_login,
                parent_login_amsterdam=parent_login_amsterdam,
                registered_at=registered_at,
                registration=registration,
                reason=reason,
                priority=priority_text(_CLAIM[(claim_kind is not None, granted)], why or ""),
            )
            for (
                pupil_id,
                first,
                tussenvoegsel,
                last,
                group_name,
                parent_login,
                parent_login_amsterdam,
                reason,
                status,
                extra_support,
                tafelmiddag_po,
                tafelmiddag_vo,
                registration,
                registered_at,
                claim_kind,
                granted,
                why,
                _total,
            ) in rows
        ]
        context["overview"].page = SimpleNamespace(
            total=total, page=1, pages=max(1, -(-total // PAGE))
        )
        return template.render(context, lines=lines, base=base)

    return render


# The priority claim's state from (a claim on the definitive list?, the school's judgement)
_CLAIM = {
    (False, None): PriorityState.NONE,
    (False, True): PriorityState.NONE,
    (False, False): PriorityState.NONE,
    (True, None): PriorityState.TO_JUDGE,
    (True, True): PriorityState.GRANTED,
    (True, False): PriorityState.REFUSED,
}


def _bare_query(school_id: int, group_id: int) -> sa.Select[Any]:
    p, g, o, r, s = t.pupils, t.groups, t.okidocs, t.registrations, t.schools
    newest = (
        sa.select(sa.func.max(r.c.id).label("id"), r.c.pupil_id).group_by(r.c.pupil_id).subquery()
    )
    return (
        sa.select(
            p.c.id,
            p.c.first_name,
            p.c.tussenvoegsel,
            p.c.last_name,
            g.c.name.label("group_name"),
            p.c.parent_login,
            p.c.parent_login_amsterdam,
            p.c.reason_not_placed,
            o.c.status,
            o.c.extra_support,
            o.c.tafelmiddag_po,
            o.c.tafelmiddag_vo,
            r.c.status.label("registration_status"),
            s.c.name.label("registered_at"),
            r.c.definitive[("priority_claim", "kind")].as_string().label("claim_kind"),
            r.c.priority_granted,
            r.c.priority_reason,
            sa.func.count().over().label("total"),
        )
        .select_from(p)
        .outerjoin(g, g.c.id == p.c.group_id)
        .outerjoin(o, o.c.pupil_id == p.c.id)
        .outerjoin(newest, newest.c.pupil_id == p.c.id)
        .outerjoin(r, r.c.id == newest.c.id)
        .outerjoin(s, s.c.id == r.c.first_choice_school_id)
        .where(p.c.school_id == school_id, p.c.group_id == group_id)
        .order_by(sa.func.lower(p.c.last_name), sa.func.lower(p.c.first_name), p.c.id)
        .limit(PAGE)
    )
