"""Invoeren doorstroomtoets (R-DT-3, R-DT-4) and importing the provider's file (R-DT-2)."""

from __future__ import annotations

from elk_web.finaltest import entry, imports
from elk_web.finaltest._blueprint import bp

__all__ = ["bp", "entry", "imports"]
