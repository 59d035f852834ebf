"""``create_app()`` as a WSGI server calls it (``elk_web:create_app()``): production by default."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from elk_domain.errors import Rejected
from elk_web import create_app


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """An operator's environment without ELK_ENV: only the instance folder is set."""
    monkeypatch.delenv("ELK_ENV", raising=False)
    monkeypatch.delenv("ELK_SECRET_KEY", raising=False)
    monkeypatch.delenv("ELK_DATABASE_URL", raising=False)
    monkeypatch.setenv("ELK_INSTANCE_PATH", str(tmp_path / "instance"))
    return monkeypatch


def test_without_elk_env_it_is_production_and_wants_a_strong_key(
    environment: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(Rejected, match=r"secrets\.token_urlsafe\(48\)"):
        create_app()


def test_with_a_strong_key_it_serves_secure_cookies(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("ELK_SECRET_KEY", secrets.token_urlsafe(48))

    app = create_app()

    assert app.extensions["elk"].settings.env == "production"
    assert app.config["SESSION_COOKIE_SECURE"] is True
