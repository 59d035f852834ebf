"""What the views of every blueprint share."""

from __future__ import annotations

from werkzeug.wrappers import Response

#: What a view returns: a page, a page with its status code (422 for a refused form), or a
#: redirect.
Page = str | tuple[str, int] | Response
