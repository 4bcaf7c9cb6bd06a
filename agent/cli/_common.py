"""Shared pieces of the command line: option types, errors, database opening, output.

Nothing here imports a heavy library at module level: ``housemind --help`` must start fast.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

__all__ = [
    "ApiBaseOpt",
    "DbOpt",
    "FurnitureOpt",
    "HomeOpt",
    "JsonOpt",
    "PlannerOpt",
    "build_planner",
    "check_days",
    "console",
    "fail",
    "open_db",
    "run_bench",
]

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
DbOpt = Annotated[Path, typer.Option("--db", help="Project database file.")]
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


def open_db(db: Path, *, must_exist: bool = True, hint: str = "pass --db PATH") -> Any:
    """Open the project database file ``db``, or exit with a message that says what to do.

    Args:
        db: The SQLite file.
        must_exist: Refuse a file that does not exist (commands that only read).
        hint: What to tell the person when the file is missing.
    """
    from housemind.memory import MemoryStoreError, open_database

    if must_exist and not db.exists():
        fail(f"no database at {db}; {hint}")
    if not db.exists() and not db.parent.is_dir():
        fail(f"cannot create {db}: the folder {db.parent} does not exist; create it first")
    try:
        return open_database(f"sqlite:///{db}")
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
