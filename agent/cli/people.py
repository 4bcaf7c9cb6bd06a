"""``housemind people ...``: the household's people and their roles (who may approve)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from housemind.agent.cli._common import DbOpt, JsonOpt, console, fail, open_db

__all__ = ["register"]

people_app = typer.Typer(
    help="The people of this home: owners and members may approve, guests may instruct.",
    no_args_is_help=True,
)


def _household(db: Path, must_exist: bool = True):  # noqa: ANN202 - imported lazily
    from housemind.safety.people import Household

    return Household(open_db(db, must_exist=must_exist))


@people_app.command("add")
def people_add(
    name: Annotated[str, typer.Argument(help="The person's name, e.g. alex.")],
    role: Annotated[str, typer.Option("--role", help="owner, member or guest.")] = "member",
    db: DbOpt = Path("housemind.db"),
    as_json: JsonOpt = False,
) -> None:
    """Add a person (or change their role)."""
    from housemind.safety.people import PersonError

    try:
        p = _household(db, must_exist=False).add(name, role)
    except PersonError as e:
        fail(str(e))
    if as_json:
        typer.echo(p.model_dump_json())
        return
    article = "an" if p.role == "owner" else "a"
    typer.echo(f"{p.display} is {article} {p.role} of this home")


@people_app.command("remove")
def people_remove(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    db: DbOpt = Path("housemind.db"),
) -> None:
    """Take a person off the list (the last owner stays)."""
    from housemind.safety.people import PersonError

    try:
        p = _household(db).remove(name)
    except PersonError as e:
        fail(str(e))
    typer.echo(f"removed {p.display} ({p.role})")


@people_app.command("list")
def people_list(db: DbOpt = Path("housemind.db"), as_json: JsonOpt = False) -> None:
    """Everyone on the list, with their role."""
    people = _household(db).list()
    if as_json:
        typer.echo(json.dumps([json.loads(p.model_dump_json()) for p in people]))
        return
    con = console()
    if not people:
        con.print("nobody yet: housemind people add NAME --role owner")
    for p in people:
        con.print(f"{p.display:<20} {p.role}")


@people_app.command("token")
def people_token(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    db: DbOpt = Path("housemind.db"),
    by: Annotated[str | None, typer.Option("--by", help="Who makes it (for the record).")] = None,
) -> None:
    """Make a new sign-in token for the dashboard (shown once; the old one stops working)."""
    from housemind.safety.credentials import Credentials
    from housemind.safety.people import PersonError

    try:
        token = Credentials(open_db(db)).issue_token(name, by=by)
    except PersonError as e:
        fail(str(e))
    typer.echo(token)
    console(stderr=True).print(
        f"the sign-in token of {name} (shown once; only its hash is kept)", highlight=False
    )


@people_app.command("password")
def people_password(
    name: Annotated[str, typer.Argument(help="The person's name.")],
    db: DbOpt = Path("housemind.db"),
) -> None:
    """Set a person's dashboard password (asked twice, never shown or stored as typed)."""
    from housemind.safety.credentials import Credentials
    from housemind.safety.people import PersonError

    password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        Credentials(open_db(db)).set_password(name, password, by=name)
    except PersonError as e:
        fail(str(e))
    typer.echo(f"{name} can now sign in to the dashboard with that password")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(people_app, name="people")
