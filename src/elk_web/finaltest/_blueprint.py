"""The Doorstroomtoets blueprint, apart from its views so they can import it without a cycle."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("finaltest", __name__, url_prefix="/leerlingen/doorstroomtoets")
