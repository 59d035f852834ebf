"""``elk user``: staff accounts an operator creates outside the web application."""

from __future__ import annotations

import click

from elk_adapters.bootstrap import Services, bootstrap
from elk_cli.console import console, load_settings
from elk_domain.errors import Conflict, Rejected
from elk_domain.kernel.people import Role, User
from elk_domain.kernel.values import Email

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256


@click.group()
def user() -> None:
    """Manage staff accounts."""


def create_admin(services: Services, email: str, name: str, password: str) -> User:
    """Store a new functional administrator; the e-mail address is the username (R-AUTH-7)."""
    address = str(Email.parse(email))
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise Rejected(
            f"Het wachtwoord moet {MIN_PASSWORD_LENGTH} tot {MAX_PASSWORD_LENGTH} tekens lang zijn."
        )
    with services.uow() as uow:
        if uow.users.by_email(address) is not None:
            raise Conflict(f"Er bestaat al een gebruiker met e-mailadres {address}.")
        created = uow.users.add(
            User(
                id=0,
                email=address,
                display_name=name.strip() or "Functioneel beheerder",
                role=Role.FUNCTIONAL_ADMIN,
                password_hash=services.hasher.hash(password),
            )
        )
        uow.commit()
    return created


@user.command("create-admin")
@click.option("--email", required=True, help="E-mail address; also the username.")
@click.option("--name", default="Functioneel beheerder", show_default=True, help="Display name.")
def create_admin_command(email: str, name: str) -> None:
    """Create a functional administrator (ELK beheer); asks for the password twice, hidden."""
    Email.parse(email)  # refuse a bad address before asking for a password
    password = click.prompt(
        "Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord"
    )
    created = create_admin(bootstrap(load_settings()), email, name, password)
    console.print(f"Functioneel beheerder {created.email} aangemaakt (id {created.id}).")
