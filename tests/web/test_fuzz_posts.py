"""Every POST route, as every principal, with random and hostile form data: never a 5xx, and
never the posted markup sent back unescaped.

After each request the queued mail is delivered as ``elk serve``'s worker would, over real
SMTP: a request must not queue a mail the worker cannot send.

The routes come from ``app.url_map``, so a new route is fuzzed without touching this file (it
fails if the route has a URL argument ``ARGUMENTS`` cannot fill). The field names come from the
real forms (a crawl of the GET pages as each role, parsing every ``<form method=post>``) and from
the names the views read (``request.form.get("...")`` in src/elk_web), plus invented ones.

The world (database, mail, files, OSO) is real: a migrated SQLite file, ``SmtpMailer`` talking to
a local capture server, the filesystem file store and the OSO simulator over HTTP. It is built
once per module; every principal is logged in once and the database is snapshotted *after* the
logins. Before each request the database file is put back and the principal's cookie restored, so
each example starts from the same state: a request that makes an Oki-doc Definitief or ends a
session does not spoil the next one, and hypothesis can shrink a failure deterministically.
"""

from __future__ import annotations

import math
import os
import re
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from tests.fixtures.hostile import (
    FUZZ_FIGURES,
    Payload,
    Route,
    explicit_payloads,
    payloads,
    raw,
)
from tests.web.fuzz_world import ARGUMENTS, PRINCIPALS, World, build_world, post_rules, route_for

if TYPE_CHECKING:
    from tests.web.conftest import WebKit

#: At least this many fuzzed POSTs per run of ``make test`` (issue 12); spread evenly.
TARGET_REQUESTS = 2_000
#: 5xx answers that are the right answer (none so far: OSO and SMTP are up in this world).
JUSTIFIED_5XX: dict[tuple[str, int], str] = {}

#: Generated examples per route and principal, at least (the rest of the target is fixed ones);
#: ``ELK_FUZZ_RANDOM=50`` digs deeper (a nightly run, or after changing a form).
MIN_RANDOM = int(os.environ.get("ELK_FUZZ_RANDOM", "3"))

#: Markup from ``HOSTILE_TEXT`` that must never come back as markup (Jinja escapes it).
UNESCAPED = (b"<script>alert(1)</script>", b'"><img src=x onerror=alert(1)>')

_counts: dict[str, int] = {}


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
    migrated_schema: Path,
    web_kit: WebKit,
    request: pytest.FixtureRequest,
) -> Iterator[World]:
    started = time.perf_counter()
    with build_world(tmp_path_factory.mktemp("fuzz"), migrated_schema, web_kit) as built:
        yield built
    request.config.stash[FUZZ_FIGURES] = {
        "requests": sum(_counts.values()),
        "principals": len(_counts),
        "routes": len(built.rules),
        "seconds": round(time.perf_counter() - started),
    }


def test_every_post_route_can_be_built(world: World) -> None:
    unknown = {
        rule.rule: sorted(set(rule.arguments) - ARGUMENTS.keys())
        for rule in post_rules(world.app)
        if set(rule.arguments) - ARGUMENTS.keys()
    }
    assert not unknown, f"POST routes with URL arguments the fuzz cannot fill: {unknown}"
    assert len(world.rules) >= 30, "the fuzz found suspiciously few POST routes"


def test_the_crawl_found_the_forms(world: World) -> None:
    """The fields come from real pages (and the view's code): else a form would go unfuzzed."""
    found = {**world.forms.file_fields, **world.forms.fields}
    without = sorted(r.endpoint for r in world.rules if not found.get(r.endpoint))
    # These post buttons carry only the CSRF token (their forms have no other fields).
    buttons = {"auth.logout", "parents.logout", "users.invite", "users.reset_2fa",
               "users.impersonate", "oso.ping", "pupils.complete", "parents.definitive",
               "parents.discard"}  # fmt: skip
    assert set(without) <= buttons, f"no form found for: {sorted(set(without) - buttons)}"
    uploads = world.forms.file_fields.get("pupils.upload", ())
    assert "bestand" in uploads, "the upload form was missed"
    assert "reden" in world.forms.fields.get("vo.judge", ()), "the priority reason was missed"
    assert "bestand" in world.forms.file_fields.get("finaltest.upload", ())
    assert any(name.startswith("regel-") for name in world.forms.fields["finaltest.import_file"])


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_no_post_gives_a_server_error(world: World, principal: str) -> None:
    routes = {rule.endpoint: route_for(world, rule) for rule in world.rules}
    fixed = sum(len(explicit_payloads(route)) for route in routes.values()) * len(PRINCIPALS)
    wanted = TARGET_REQUESTS * 1.1 - fixed  # a margin: hypothesis may find a space exhausted
    random = max(MIN_RANDOM, math.ceil(wanted / (len(routes) * len(PRINCIPALS))))
    failures = []
    for endpoint, route in routes.items():
        try:
            _fuzz(world, principal, endpoint, route, random)
        except AssertionError as failure:
            failures.append(str(failure))
    assert not failures, (
        f"{len(failures)} route(s) answered with a server error or unescaped markup:\n\n"
        + "\n\n".join(failures)
    )


def test_the_fuzz_made_enough_requests(world: World) -> None:
    """Runs last in this module: the POSTs of the whole run, as every principal, counted."""
    if set(_counts) != set(PRINCIPALS):
        pytest.skip("only part of the fuzz ran (selected with -k?): nothing to count")
    total = sum(_counts.values())
    assert total >= TARGET_REQUESTS, f"only {total} fuzzed POST requests: {_counts}"


def _fuzz(world: World, principal: str, endpoint: str, route: Route, random: int) -> None:
    """Hypothesis drives one route as one principal: the fixed examples, then ``random``
    generated ones; a 5xx fails with the (shrunk) example."""

    @settings(
        max_examples=random,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        # Drawing a form of 100 fields (the Oki-doc's tabs) is slow and large for hypothesis'
        # taste on a loaded CI machine; neither says anything about the app.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=False,
    )
    @given(payload=payloads(route))
    def post(payload: Payload) -> None:
        _counts[principal] = _counts.get(principal, 0) + 1
        status, problem = _send(world, principal, payload)
        if (status >= 500 and (endpoint, status) not in JUSTIFIED_5XX) or problem:
            raise AssertionError(f"{endpoint} as {principal}: {status}\n  {payload!r}\n  {problem}")

    for fixed in explicit_payloads(route):
        post = example(payload=fixed)(post)
    post()


def _send(world: World, principal: str, payload: Payload) -> tuple[int, str]:
    """The status of one request from the snapshot state, and what went wrong (a crash's
    summary, markup sent back as markup), if anything."""
    client = world.fresh_client(principal)
    body, content_type = payload.body(world.csrf[principal])
    try:
        response = client.post(payload.path(), data=body, content_type=content_type)
    except Exception as crash:  # the app runs with testing=True: crashes propagate
        return 500, _summary(crash)
    try:
        world.deliver_mail()
    except Exception as crash:
        return response.status_code, f"the mail worker crashed on it: {_summary(crash)}"
    page, sent = response.get_data(), b"".join(raw(v) for _, v in (*payload.form, *payload.query))
    reflected = [m.decode() for m in UNESCAPED if m in sent and m in page]
    return response.status_code, f"markup sent back unescaped: {reflected}" if reflected else ""


def _summary(crash: BaseException) -> str:
    """The exception and the innermost frames in ELK's own code."""
    frames = [
        f"{Path(f.filename).name}:{f.lineno} {f.name}"
        for f in traceback.extract_tb(crash.__traceback__)
        if "/src/elk_" in f.filename
    ]
    message = re.sub(r"\s+", " ", str(crash))[:200]
    return f"{type(crash).__name__}: {message}  [{' <- '.join(reversed(frames[-4:]))}]"
