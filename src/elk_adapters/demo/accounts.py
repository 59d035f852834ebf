"""The demo's staff accounts (known passwords, printed by ``make demo``), news and timeline."""

from __future__ import annotations

import datetime as dt

import attrs

from elk_domain.kernel.people import OrgKind, Role
from elk_domain.organisation.model import NewsItem, Period, Timeline


@attrs.frozen(kw_only=True)
class DemoAccount:
    """A staff account of the demo; ``scope`` says where it lives: region, board, school or VO."""

    email: str
    password: str
    name: str
    role: Role
    scope: str  # "region", "board", "school" or "vo"
    note: str = ""
    group: str = ""  # non-empty: linked as contact person to this group only
    # Roles that must use 2FA get a fixed, printed secret in the demo, so a visitor without an
    # authenticator app can still log in: `elk demo code EMAIL` prints the current code.
    totp_secret: str = ""

    @property
    def org_kind(self) -> OrgKind | None:
        """PO for board and school accounts, VO for the VO account, none for the region."""
        return {"board": OrgKind.PO, "school": OrgKind.PO, "vo": OrgKind.VO}.get(self.scope)


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        email="beheer@elk.example",
        password="elk-demo-beheer",
        name="Functioneel Beheer",
        role=Role.FUNCTIONAL_ADMIN,
        scope="region",
        note="ELK beheer: besturen, scholen, tijdpad",
        totp_secret="ELKDEMOBEHEERAAA",
    ),
    DemoAccount(
        email="bestuur@elk.example",
        password="elk-demo-bestuur",
        name="Hanna Bestuurder",
        role=Role.BOARD_CONTACT,
        scope="board",
        note="contactpersoon van het bestuur",
        totp_secret="ELKDEMOBESTUURAA",
    ),
    DemoAccount(
        email="schoolbeheer@elk.example",
        password="elk-demo-school",
        name="Pieter Schoolbeheer",
        role=Role.SCHOOL_ADMIN,
        scope="school",
        note="beheerder van de demoschool",
        totp_secret="ELKDEMOSCHOOLAAA",
    ),
    DemoAccount(
        email="leerkracht8a@elk.example",
        password="elk-demo-leerkracht",
        name="Marieke Leerkracht",
        role=Role.END_USER,
        scope="school",
        group="8a",
        note="ziet alleen groep 8a",
    ),
    DemoAccount(
        email="ib@elk.example",
        password="elk-demo-ib",
        name="Joris Intern-Begeleider",
        role=Role.END_USER,
        scope="school",
        note="ziet alle groepen van de school",
    ),
    DemoAccount(
        email="vo@elk.example",
        password="elk-demo-vo",
        name="Vera Voortgezet",
        role=Role.VO_USER,
        scope="vo",
        note="gebruiker van een VO-school",
    ),
)


def demo_news(now: dt.datetime) -> list[NewsItem]:
    """A few home-page messages, dated relative to ``now``."""
    items = (
        (
            20,
            "Welkom bij ELK Amstelland (demo)",
            "Dit is een demonstratieomgeving met een verzonnen regio. Alle namen, adressen en "
            "BSN's zijn fictief; verzonden e-mail komt op de pagina 'Verzonden e-mail' terecht.",
        ),
        (
            10,
            "Tijdpad kernprocedure",
            "Het versturen van ouderinlogs en het aanmelden door ouders zijn in deze demo open. "
            "De functioneel beheerder kan het tijdpad aanpassen.",
        ),
        (
            2,
            "Doorstroomtoets en definitief advies",
            "Synchroniseer na de uitslag de doorstroomtoets en het definitieve advies via OSO, "
            "of vul ze in op de pagina 'Invoeren doorstroomtoets'.",
        ),
    )
    return [
        NewsItem(
            id=0,
            title=title,
            body=body,
            published_at=now - dt.timedelta(days=days),
            author="Functioneel Beheer",
        )
        for days, title, body in items
    ]


def demo_timeline(today: dt.date) -> Timeline:
    """Every period open around today, so each screen of the procedure can be tried."""
    open_period = Period(today - dt.timedelta(days=14), today + dt.timedelta(days=42))
    return Timeline(
        parent_login=open_period,
        registration=open_period,
        registration_week=Period(today - dt.timedelta(days=3), today + dt.timedelta(days=4)),
        placement_date=today + dt.timedelta(days=49),
    )
