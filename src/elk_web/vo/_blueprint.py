"""The VO school's blueprint, apart from its views so that every view module can register on it
without importing the package (no import circle)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("vo", __name__, url_prefix="/vo")
