"""The OSO blueprint, apart from its views so they can import it without a cycle."""

from __future__ import annotations

from flask import Blueprint, current_app

from elk_domain.errors import Rejected
from elk_domain.okidoc.fields import spec_for

bp = Blueprint("oso", __name__, url_prefix="/oso")


@bp.app_template_filter("oso_field")
def oso_field(path: str) -> str:
    """The Dutch label of an Oki-doc field path; other change names (bijlage) as they are."""
    try:
        return spec_for(path).label
    except Rejected:
        return path


@bp.app_template_filter("bsn_masked")
def bsn_masked(value: object) -> str:
    """A BSN as screen lists show it: only the last three digits."""
    text = str(value or "")
    return "******" + text[-3:] if text else ""


@bp.context_processor
def _links() -> dict[str, object]:
    """Link to other areas' pages only when they exist (they are built alongside)."""
    return {"endpoint_exists": lambda name: name in current_app.view_functions}
