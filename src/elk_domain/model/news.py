"""News items of the functional administrator, shown on everyone's home page."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen(kw_only=True)
class NewsItem:
    """A message on the home page."""

    id: int
    title: str
    body: str
    published_at: dt.datetime
    author: str = ""
