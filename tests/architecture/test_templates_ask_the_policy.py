"""Templates ask the one permission policy (``may('ACTION')``), never name roles themselves.

A role check in a template is a second copy of the policy that drifts from it: a role that
gains or loses an action in ``kernel/permissions.py`` would still see or miss the link.
"""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "elk_web" / "templates"
ROLE_CHECK = re.compile(
    r"\brole(\.value|\.name)?\s*(==|!=|\bin\b|\bnot in\b)|\.role\.(value|name)\b"
)


def test_no_template_decides_by_role_name() -> None:
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE_CHECK.search(line)
    ]
    assert not offenders, "ask may('ACTION') instead:\n" + "\n".join(offenders)


def test_the_check_sees_a_role_check() -> None:
    assert ROLE_CHECK.search("{% if actor.role.value in ('functioneel_beheerder',) %}")
    assert ROLE_CHECK.search("{% if actor.role.name == 'PARENT' %}")
    assert not ROLE_CHECK.search("{% if may('CONFIGURE_OSO') %}")
