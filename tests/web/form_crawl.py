"""The forms of the site as each principal sees them: what each POST route's form posts.

A breadth-first crawl of the GET pages (following local links, a few pages per endpoint and
query, so every Oki-doc tab but not every pupil) parses every ``<form>``: the POST route its
action names, its field names and the values it offers (options, checkboxes, hidden fields).
Forms shown only in some states are covered by the names each view reads in its source.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

import elk_web

_NOT_CRAWLED = re.compile(
    r"^(static|documents\..*|overviews\.csv|pupils\.attachment|auth\.logout)$"
)
_PER_KIND, _PER_PRINCIPAL = 4, 250  # pages per endpoint and query (a tab), per principal


@attrs.frozen
class Forms:
    """What the crawl found."""

    fields: Mapping[str, tuple[str, ...]] = attrs.Factory(dict)  # endpoint -> its form's names
    file_fields: Mapping[str, tuple[str, ...]] = attrs.Factory(dict)
    seen: Mapping[str, tuple[str, ...]] = attrs.Factory(dict)  # name -> values forms offer
    names: tuple[str, ...] = ()  # every name a form posts or a view reads
    query_names: tuple[str, ...] = ()  # names GET forms and views read from the query string


@attrs.define
class _Form:
    action: str
    method: str
    names: list[tuple[str, str, str]] = attrs.Factory(list)  # (name, type, value)


class _PageParser(HTMLParser):
    """The forms (with their fields and offered values) and the links of one page."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[_Form] = []
        self.links: list[str] = []
        self._form: _Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs_}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = _Form(a.get("action") or self.url, a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is not None and tag in {"input", "textarea", "button", "select"}:
            if a.get("name"):
                self._form.names.append((a["name"], a.get("type", tag), a.get("value", "")))
            self._select = a.get("name") if tag == "select" else self._select
        elif tag == "option" and self._form is not None and self._select:
            self._form.names.append((self._select, "option", a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def crawl_forms(app: Flask, clients: Mapping[str, FlaskClient], roots: Iterable[str]) -> Forms:
    """Visit the site with every client (one per principal) and record what its forms post."""
    fields: dict[str, set[str]] = {}
    files: dict[str, set[str]] = {}
    seen: dict[str, set[str]] = {}
    query: set[str] = set()
    adapter = app.url_map.bind("localhost")
    for client in clients.values():
        for form in _crawl(adapter, client, list(roots)):
            for name, kind, value in form.names:
                if name == "csrf_token":
                    continue
                if form.method != "post":
                    query.add(name)
                    continue
                endpoint = _endpoint(adapter, form.action, "POST")
                if endpoint is not None:
                    (files if kind == "file" else fields).setdefault(endpoint, set()).add(name)
                if value and kind not in {"file", "password"}:
                    seen.setdefault(name, set()).add(value)
    for rule in app.url_map.iter_rules():  # forms shown only in some states
        if "POST" in (rule.methods or ()):
            view = inspect.unwrap(app.view_functions[rule.endpoint])
            read = {n for where, n in _READ.findall(inspect.getsource(view)) if where != "args"}
            fields.setdefault(rule.endpoint, set()).update(read - files.get(rule.endpoint, set()))
    in_code = _names_read_by_views()
    return Forms(
        fields={k: tuple(sorted(v)) for k, v in fields.items() if v},
        file_fields={k: tuple(sorted(v)) for k, v in files.items()},
        seen={k: tuple(sorted(v)) for k, v in seen.items()},
        names=tuple(sorted(set().union(*fields.values(), in_code["form"]))),
        query_names=tuple(sorted(query | in_code["args"])),
    )


def _crawl(adapter: Any, client: FlaskClient, queue: list[str]) -> list[_Form]:
    """Breadth first from ``queue``, following local links, a few URLs per endpoint."""
    visited: set[str] = set()
    forms: list[_Form] = []
    per_kind: dict[str, int] = {}
    while queue and len(visited) < _PER_PRINCIPAL:
        url = queue.pop(0)
        endpoint = _endpoint(adapter, url, "GET")
        if url in visited or endpoint is None or _NOT_CRAWLED.match(endpoint):
            continue
        kind = endpoint + re.sub(r"\d+", "", url.partition("?")[2])  # the tab, not the pupil
        if per_kind.get(kind, 0) >= _PER_KIND:
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        visited.add(url)
        response = client.get(url, follow_redirects=True)
        assert response.status_code < 500, f"GET {url}: {response.status_code}"
        if response.mimetype != "text/html":  # a PDF or a CSV download has no forms
            continue
        query = response.request.query_string.decode()
        parser = _PageParser(response.request.path + (f"?{query}" if query else ""))
        parser.feed(response.get_data(as_text=True))
        forms += parser.forms
        local = (h.split("#")[0] for h in parser.links if h.startswith("/") and h[1:2] != "/")
        queue += [h for h in local if h and h not in visited]
    return forms


def _endpoint(adapter: Any, url: str, method: str) -> str | None:
    try:
        endpoint, _ = adapter.match(url.split("?")[0], method=method)
    except (HTTPException, RequestRedirect):
        return None
    return str(endpoint)


_READ = re.compile(r"request\.(form|args|values|files)\.(?:get|getlist)\(\s*\"([^\"]+)\"")


def _names_read_by_views() -> dict[str, set[str]]:
    """The field names the views read, found in their source (new views are covered too)."""
    names: dict[str, set[str]] = {"form": set(), "args": set()}
    for source in Path(elk_web.__file__).parent.rglob("*.py"):
        for where, name in _READ.findall(source.read_text(encoding="utf-8")):
            if where in {"form", "values", "files"}:
                names["form"].add(name)
            if where in {"args", "values"}:
                names["args"].add(name)
    return names
