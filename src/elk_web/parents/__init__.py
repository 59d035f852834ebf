"""The parents' portal (R-OUD-2/3, R-AAN): logging in with the child's ELK number, the child's
data, and the registration with a ranked preference list. See docs/parents.md."""

from __future__ import annotations

from elk_web.parents import placement, portal, registration
from elk_web.parents._blueprint import bp

__all__ = ["bp", "placement", "portal", "registration"]
