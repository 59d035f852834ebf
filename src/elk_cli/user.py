"""``elk user``: staff accounts an operator creates outside the web application."""

from __future__ import annotations

import getpass

import click

from elk_adapters.bootstrap import Services, bootstrap
from elk_cli.console import console, load_settings
from elk_domain.accounts.operator import CreateAdmin, create_functional_admin
from elk_domain.kernel.people import Actor, User
from elk_domain.kernel.values import Email

ACTOR_NAME = "elk user create-admin ({})"


@click.group()
def user() -> None:
    """Manage staff accounts."""


def create_admin(services: Services, email: str, name: str, password: str) -> User:
    """Store a new functional administrator; audited as the operator's system account."""
    actor = Actor.system(ACTOR_NAME.format(getpass.getuser()))
    command = CreateAdmin(email, name, password)
    return create_functional_admin(services.uow(), services.clock, services.hasher, actor, command)


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
