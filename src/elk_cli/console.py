"""Shared rich output and settings loading for the commands."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.table import Table

from elk_adapters.settings import Settings

# Piped output (CI logs, `make demo | tee`) gets a fixed width wide enough for the demo tables.
console = Console(highlight=False, width=None if Console().is_terminal else 120)


def load_settings(default_env: str = "demo") -> Settings:
    """The ``ELK_*`` settings; a refusal (say, production without secret key) is an ElkError.

    ``default_env`` is the kind of installation when ELK_ENV is not set.
    """
    return Settings.from_env(default_env=default_env)


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Table:
    """A rich table with the given header and rows; addresses and passwords never wrap."""
    result = Table(title=title or None, title_justify="left", show_lines=False)
    for index, column in enumerate(columns):
        result.add_column(column, no_wrap=index < len(columns) - 1)
    for row in rows:
        result.add_row(*(str(value) for value in row))
    return result
