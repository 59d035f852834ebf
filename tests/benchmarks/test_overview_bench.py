"""Benchmark: the Leerlingen overview (50 rows, filtered, sorted) against a bare query + Jinja2.

``demo load --pupils 10000`` fills a fresh SQLite database; then, in one run and one process:
- app: GET /leerlingen/?groep=…&sorteer=naam through the whole Flask app (login session,
  permission checks, the read model, the real template) via Flask's test client;
- bare: the same 50 rows fetched by one SQLAlchemy query and rendered by Jinja2 alone.
Both run single-threaded in-process (no HTTP server: the ratio compares the work per page,
not a socket stack). Prints exactly one ``BENCH overview`` line; target ratio >= 0.6.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import jinja2
import sqlalchemy as sa

from elk_adapters.bootstrap import bootstrap, migrate_database
from elk_adapters.demo import DEMO_ACCOUNTS, load_demo
from elk_adapters.persistence import tables as t
from elk_adapters.settings import Settings
from elk_domain.memory import InMemoryFileStore, InMemoryMailer, InsecurePlainHasher
from elk_web import create_app

PUPILS = 10_000
WARMUP, ROUNDS = 20, 300
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_BARE = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html><html lang=nl><body><table><thead><tr><th>Naam</th><th>Groep</th>"
    "<th>OKI</th><th>Steun</th><th>Tafel</th></tr></thead><tbody>{% for r in rows %}<tr>"
    "<th>{{ r.last_name }}, {{ r.first_name }} {{ r.tussenvoegsel }}</th><td>{{ r.group }}</td>"
    "<td>{{ r.status }}</td><td>{{ 'ja' if r.extra_support }}</td>"
    "<td>{{ 'ja' if r.tafelmiddag_po }}</td></tr>{% endfor %}</tbody></table></body></html>"
)


def test_overview_benchmark(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    settings = Settings(
        env="test",
        instance_path=instance,
        database_url=f"sqlite:///{instance / 'elk.sqlite3'}",
        secret_key="bench-secret-key-0123456789",
        log_format="json",
    )
    migrate_database(settings)
    services = bootstrap(
        settings, mailer=InMemoryMailer(), files=InMemoryFileStore(), hasher=InsecurePlainHasher()
    )
    load_demo(services, pupils=PUPILS)
    account = next(a for a in DEMO_ACCOUNTS if a.email == "ib@elk.example")
    with services.uow() as uow:
        user = uow.users.by_email(account.email)
        assert user is not None
        assert user.school_id is not None
        school_id = user.school_id
        group = next(g for g in uow.groups.list(school_id) if g.name == "8b")

    app = create_app(settings, services)
    client = app.test_client()
    token = _CSRF.search(client.get("/inloggen").get_data(as_text=True))
    assert token is not None
    client.post(
        "/inloggen",
        data={"email": account.email, "password": account.password, "csrf_token": token[1]},
    )
    url = f"/leerlingen/?groep={group.id}&sorteer=naam&per_pagina=50"

    statements: list[str] = []

    def count(_c: object, _cur: object, statement: str, *_a: object) -> None:
        statements.append(statement)

    latencies = []
    for index in range(WARMUP + ROUNDS):
        if index == WARMUP:
            sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(url)
        latencies.append(time.perf_counter() - started)
        if index == WARMUP:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
        assert response.status_code == 200
    measured = latencies[WARMUP:]
    app_rps = ROUNDS / sum(measured)
    p95_ms = statistics.quantiles(measured, n=20)[-1] * 1000
    assert response.get_data(as_text=True).count('<tr data-href="') == 50

    engine = sa.create_engine(settings.database_url)
    p, g, o = t.pupils, t.groups, t.okidocs
    query = (
        sa.select(
            p.c.first_name,
            p.c.tussenvoegsel,
            p.c.last_name,
            g.c.name.label("group"),
            o.c.status,
            o.c.extra_support,
            o.c.tafelmiddag_po,
        )
        .join(g, g.c.id == p.c.group_id)
        .join(o, o.c.pupil_id == p.c.id)
        .where(p.c.school_id == school_id, p.c.group_id == group.id)
        .order_by(sa.func.lower(p.c.last_name), sa.func.lower(p.c.first_name), p.c.id)
        .limit(50)
    )
    bare = []
    with engine.connect() as connection:
        for _ in range(WARMUP + ROUNDS):
            started = time.perf_counter()
            html = _BARE.render(rows=connection.execute(query).all())
            bare.append(time.perf_counter() - started)
    engine.dispose()
    assert html.count("<tr>") == 51
    bare_rps = ROUNDS / sum(bare[WARMUP:])
    print(  # noqa: T201  (the one line `make bench` reports)
        f"BENCH overview app_rps={app_rps:.1f} bare_rps={bare_rps:.1f} "
        f"ratio={app_rps / bare_rps:.2f} p95_ms={p95_ms:.1f} queries_per_page={len(statements)}"
    )
