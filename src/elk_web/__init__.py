"""The ELK web application: ``create_app`` wires settings, services, sessions and blueprints."""

from __future__ import annotations

import functools
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from elk_adapters.bootstrap import Services, bootstrap
from elk_adapters.logging import configure_logging
from elk_adapters.settings import Settings
from elk_domain.kernel.people import Actor, Role
from elk_web.context import current_actor_or_none, request_id
from elk_web.formatting import init_formatting
from elk_web.hooks import init_request_hooks
from elk_web.language import init_language
from elk_web.navigation import cached_menu, may
from elk_web.numbers import DatabaseIdConverter
from elk_web.session import init_sessions
from elk_web.urls import init_urls

__all__ = ["create_app"]


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the app; without arguments it reads ``ELK_*`` settings and wires real adapters.

    Read from the environment, an installation is production unless ELK_ENV says otherwise:
    a WSGI server calling ``elk_web:create_app()`` never starts a demo by accident.
    """
    if settings is None:
        settings = services.settings if services is not None else _production_default()
    if services is None:
        services = bootstrap(settings)
    configure_logging(settings)
    app = Flask(__name__, instance_path=str(settings.instance_path.resolve()))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session (idle timeout)
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
    )
    app.extensions["elk"] = services
    _trust_proxies(app, settings.trusted_proxies)
    # Ids in URLs beyond the database's integer range match no route (404), not a crash.
    app.url_map.converters["int"] = DatabaseIdConverter
    init_request_hooks(app, production=settings.env == "production")
    CSRFProtect(app)
    init_sessions(app, settings)
    app.context_processor(_template_context)
    init_formatting(app)
    init_language(app)
    _register_blueprints(app)
    init_urls(app)
    return app


def _production_default() -> Settings:
    return Settings.from_env(default_env="production")


def _trust_proxies(app: Flask, proxies: int) -> None:
    """Behind ``proxies`` reverse proxies, take the client address and scheme from them.

    Only X-Forwarded-For (the login throttle's client address) and X-Forwarded-Proto (https
    behind a TLS-terminating proxy) are trusted; the host, port and prefix are not, since ELK
    builds links from ELK_BASE_URL and many proxies pass a client's X-Forwarded-Host through
    unchanged. See docs/decisions/0035-production-defaults.md.
    """
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0, x_prefix=0
        )


def _register_blueprints(app: Flask) -> None:
    from elk_web import admin, auth, errors, finaltest, main, overviews, pupils

    for module in (errors, main, auth, admin, pupils, finaltest, overviews):
        app.register_blueprint(module.bp)
    from elk_web import documents  # PDF downloads (issue 7)

    app.register_blueprint(documents.bp)
    from elk_web import account, audit, groups, organisations, preferences, region, users

    for area in (account, users, groups, preferences, organisations, region, audit):  # issue 5
        app.register_blueprint(area.bp)
    from elk_web import oso  # issue 4

    app.register_blueprint(oso.bp)
    from elk_web import vo  # issue 15

    app.register_blueprint(vo.bp)
    from elk_web import parents  # issue 14

    app.register_blueprint(parents.bp)


def _template_context() -> dict[str, Any]:
    actor = _actor_for_templates()
    return {
        "actor": actor,
        "menu": cached_menu(actor) if actor is not None else [],
        "may": functools.partial(may, actor),
        # A parent's session is in the parents' portal (its own header and logout), not a
        # permission: the policy still decides what the parent may do there.
        "parent_session": actor is not None and actor.role is Role.PARENT,
        "request_id": request_id(),
    }


def _actor_for_templates() -> Actor | None:
    # Error pages render this too, possibly because loading the user failed (database down):
    # the page must still render, as for an anonymous visitor.
    try:
        return current_actor_or_none()
    except Exception:
        return None
