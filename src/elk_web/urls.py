"""``url_for`` for the links every page repeats: the stylesheet, the menu, the user menu.

Flask builds a URL by matching the endpoint's rule against the request's URL adapter, about
20 µs a call; the base layout and the menu build the same dozen argument-free links on every
page. These depend only on the application's rules and the request's script root and host,
so they are built once per (script root, host, endpoint) and reused. Calls with arguments
(a pupil id, a query string, ``_external``) go to Flask's ``url_for`` unchanged.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, url_for

_EXTENSION = "elk_url_cache"


def fixed_url(endpoint: str, filename: str | None = None) -> str:
    """``url_for(endpoint)`` (or a static file's URL), built once per script root and host."""
    cache: dict[tuple[str, str, str, str | None], str] = current_app.extensions[_EXTENSION]
    key = (request.script_root, request.host, endpoint, filename)
    url = cache.get(key)
    if url is None:
        url = url_for(endpoint, filename=filename) if filename else url_for(endpoint)
        if len(cache) < 1024:  # a hostile Host header cannot grow it without bound
            cache[key] = url
    return url


def template_url_for(endpoint: str, **values: Any) -> str:
    """The templates' ``url_for``: argument-free links (and static files) come from the cache."""
    if not values:
        return fixed_url(endpoint)
    if endpoint == "static" and values.keys() == {"filename"}:
        return fixed_url(endpoint, str(values["filename"]))
    return url_for(endpoint, **values)


def init_urls(app: Flask) -> None:
    """Give the templates the caching ``url_for`` (the app has no URL defaults that vary)."""
    if app.url_default_functions:  # call it after the blueprints are registered
        raise RuntimeError("URL defaults can vary per request: the URL cache would be wrong.")
    app.extensions[_EXTENSION] = {}
    app.jinja_env.globals["url_for"] = template_url_for
