"""What the documents need from outside: a renderer of PDFs."""

from __future__ import annotations

from typing import Protocol


class DocumentRenderer(Protocol):
    """Renders documents (Oki-doc, registration form) to PDF."""

    def render(self, template: str, context: dict[str, object]) -> bytes:
        """PDF bytes."""
        ...
