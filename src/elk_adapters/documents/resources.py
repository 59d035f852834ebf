"""What a rendered document may load: the embedded fonts in this package, and nothing else.

Two locks, because one of them alone is not enough in xhtml2pdf. ``link_callback`` maps the
few names the templates use to files in ``fonts/`` and answers None for everything else; but
xhtml2pdf then falls back to the original address, so the resource policy is the real gate:
local reads only inside ``fonts/``, no network at all. User text never becomes markup in the
first place: the templates are rendered with autoescaping on.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xhtml2pdf.config.resources import ResourceAccessPolicy

FONT_DIR = (Path(__file__).parent / "fonts").resolve()
_FONT_NAME = re.compile(r"^[A-Za-z0-9_-]+\.ttf$")


def link_callback(uri: str, rel: str | None = None) -> str | None:
    """The absolute path of an embedded font named by the template; None refuses the rest."""
    if not isinstance(uri, str) or not _FONT_NAME.fullmatch(uri):
        return None
    path = (FONT_DIR / uri).resolve()
    if not path.is_relative_to(FONT_DIR) or not path.is_file():
        return None
    return str(path)


def resource_policy() -> ResourceAccessPolicy:
    """xhtml2pdf's server policy (all limits on), local reads only in ``fonts/``, no network."""
    from xhtml2pdf.config.resources import ResourceAccessPolicy

    return ResourceAccessPolicy.server(base_dir=FONT_DIR, allow_remote=False)
