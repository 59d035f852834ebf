"""OSO: Configureren, Aanvragen overdracht, Notificaties and the bulk sync (R-OSO-1..7)."""

from __future__ import annotations

from elk_web.oso import pages, sync
from elk_web.oso._blueprint import bp

__all__ = ["bp", "pages", "sync"]
