"""Shared pieces of the command line: option types, errors, database opening, output.

Nothing here imports a heavy library at module level: ``housemind --help`` must start fast.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

__all__ = [
    "ApiBaseOpt",
    "DbOpt",
    "FurnitureOpt",
    "HomeIdOpt",
    "HomeOpt",
    "JsonOpt",
    "PlannerOpt",
    "PolicyOpt",
    "QuickOpt",
    "build_planner",
    "check_days",
    "console",
    "db_url",
    "fail",
    "open_db",
    "parse_policy",
    "run_bench",
    "shown",
]

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
# A string, not a Path: typer's Path would turn postgresql+psycopg://h/db into
# postgresql+psycopg:/h/db. db_url() makes a path or a URL into a checked URL.
DbOpt = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="HOUSEMIND_DB",
        help="Project database: a SQLite file, or a URL such as "
        "postgresql+psycopg://user@host/housemind (password: $PGPASSWORD or ~/.pgpass).",
    ),
]
HomeIdOpt = Annotated[
    str | None,
    typer.Option(
        "--home-id",
        envvar="HOUSEMIND_HOME_ID",
        help="The home on a shared PostgreSQL server (its own schema, home_<ID>).",
    ),
]
HomeOpt = Annotated[
    str | None,
    typer.Option("--home", help="Floor plan (default: the v1 apartment)."),
]
FurnitureOpt = Annotated[
    int | None,
    typer.Option("--furniture-seed", help="Seed of the furniture arrangement (plan default)."),
]
PlannerOpt = Annotated[
    str | None,
    typer.Option(
        "--planner",
        help="Planner backend or chain, most preferred first: symbolic, "
        "litellm:<provider/model>, transformers:<path>, or e.g. "
        "'litellm:openai/gpt-4o-mini,symbolic' (default: the config file's, else symbolic; "
        "see docs/planners.md).",
    ),
]
PolicyOpt = Annotated[
    str | None,
    typer.Option(
        "--policy",
        help="System 1 backend: scripted (default: each skill's own), vla (the built-in VLA "
        "for the skills it learned, navigation stays scripted), skill=backend pairs, or a "
        "remote policy such as openpi://HOST:PORT.",
    ),
]
QuickOpt = Annotated[
    bool, typer.Option("--quick", help="Small sizes (seconds, for tests and smoke runs).")
]
ApiBaseOpt = Annotated[
    str | None,
    typer.Option(
        "--api-base",
        help="Server URL for litellm backends, e.g. http://127.0.0.1:8000/v1 for a local "
        "OpenAI-compatible server (keys come from the provider's environment variable).",
    ),
]


def console(*, stderr: bool = False) -> Any:
    """A rich console (imported lazily)."""
    from rich.console import Console

    return Console(stderr=stderr)


def fail(msg: str, code: int = 2) -> NoReturn:
    """Print ``error: msg`` on stderr and exit with ``code`` (no traceback)."""
    console(stderr=True).print(f"[bold red]error:[/] {msg}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def check_days(days: float, option: str = "--days", *, allow_zero: bool = False) -> float:
    """A finite, positive number of days, or exit with a message that says what to pass."""
    ok = math.isfinite(days) and (days >= 0 if allow_zero else days > 0)
    if not ok:
        bound = "0 or more" if allow_zero else "more than 0"
        fail(f"{option} must be a finite number of days, {bound} (e.g. {option} 7); got {days}")
    return days


def db_url(db: str, home_id: str | None = None, *, creating: bool = False) -> str:
    """The checked database URL of ``--db`` (a SQLite file or a URL) and ``--home-id``.

    Exits with a message that says what to pass when they are not usable.

    Args:
        db: The ``--db`` value.
        home_id: The ``--home-id`` value.
        creating: The command may create a SQLite file: its folder must exist.
    """
    from housemind.memory.db import MemoryStoreError, database_url

    try:
        url = database_url(db, home_id=home_id)
    except MemoryStoreError as e:
        fail(str(e))
    if creating and url.startswith("sqlite:///") and "://" not in db:
        path = Path(db)
        if not path.exists() and not path.parent.is_dir():
            fail(f"cannot create {db}: the folder {path.parent} does not exist; create it first")
    return url


def shown(db: str) -> str:
    """``--db`` as it may be printed: a URL's password masked."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", db)


def open_db(
    db: str,
    home_id: str | None = None,
    *,
    must_exist: bool = True,
    hint: str = "pass --db PATH",
) -> Any:
    """Open the project database ``db`` (a SQLite file or a URL), or exit saying what to do.

    Args:
        db: The SQLite file, or a database URL (``postgresql+psycopg://...``).
        home_id: The home on a shared PostgreSQL server.
        must_exist: Refuse a database that does not exist yet (commands that only read):
            a missing SQLite file, or a home that is not on the server.
        hint: What to tell the person when it is missing.
    """
    from housemind.memory import Database, MemoryStoreError, open_database

    url = db_url(db, home_id)
    try:
        probe = Database(url)  # parses and checks the URL; connects to nothing yet
        try:
            path = probe.sqlite_path
            if path is not None:
                if must_exist and not path.exists():
                    fail(f"no database at {db}; {hint}")
                if not path.exists() and not path.parent.is_dir():
                    fail(
                        f"cannot create {db}: the folder {path.parent} does not exist; "
                        "create it first"
                    )
            elif must_exist and not probe.exists():
                what = f"home {probe.home_id!r}" if probe.home_id else "housemind database"
                fail(f"no {what} in {probe.url}; {hint}")
        finally:
            probe.close()
        return open_database(url)
    except MemoryStoreError as e:
        fail(str(e))


def build_planner(spec: str | None, api_base: str | None = None) -> Any:
    """The planner ``--planner``/``--api-base`` (or the config file) name, or exit saying why."""
    from housemind.agent.planners import PlannerSpecError, make_planner

    try:
        return make_planner(spec, api_base=api_base)
    except PlannerSpecError as e:
        fail(str(e))


def run_bench(bench: Callable[..., dict[str, Any]], sizes: dict[str, Any], as_json: bool) -> None:
    """Run a benchmark: one JSON line, or progress and pretty JSON for people."""
    if as_json:
        typer.echo(json.dumps(bench(**sizes)))
        return
    con = console()
    res = bench(**sizes, progress=lambda msg: con.print(f"[dim]{msg}…[/]"))
    con.print_json(json.dumps(res))


def parse_policy(policy: str | None) -> Any:
    """The policy override of ``--policy`` (None: each skill's own), or exit with what to pass."""
    from housemind.skills.policies import parse_policy_choice

    try:
        return parse_policy_choice(policy)
    except ValueError as e:
        fail(str(e))
