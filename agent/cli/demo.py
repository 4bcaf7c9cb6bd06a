"""``housemind demo`` and ``housemind run``: simulated days at home."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from housemind.agent.cli._common import (
    ApiBaseOpt,
    HomeIdOpt,
    HomeOpt,
    JsonOpt,
    PlannerOpt,
    PolicyOpt,
    build_planner,
    check_days,
    console,
    db_url,
    fail,
    parse_policy,
)

__all__ = ["register"]


def demo(
    seed: Annotated[int, typer.Option(help="HomeSim seed.")] = 0,
    days: Annotated[float, typer.Option(help="Simulated days to run.")] = 1.0,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Keep the run in this database: a new SQLite file, or a URL with a new "
            "--home-id (default: a temporary file).",
        ),
    ] = None,
    home_id: HomeIdOpt = None,
    planner: PlannerOpt = None,
    api_base: ApiBaseOpt = None,
    policy: PolicyOpt = None,
    as_json: JsonOpt = False,
    home: HomeOpt = None,
    instructions: Annotated[
        Path | None,
        typer.Option(
            "--instructions",
            help="A household's paragraph to run instead of the three demo instructions "
            "(read like 'housemind run --instructions'); 'make demo' runs "
            "examples/household.txt in the house for a week.",
        ),
    ] = None,
) -> None:
    """Run one simulated day at home with three standing instructions (offline)."""
    from housemind.agent.demo import DEMO_INSTRUCTIONS, run_demo

    check_days(days)
    choice = parse_policy(policy)
    url = None
    if db is not None:
        url = db_url(db, home_id, creating=True)
        _refuse_existing(db, url)
    chosen = build_planner(planner, api_base)
    if instructions is not None or home is not None:
        _household(seed, days, url, home, instructions, chosen, as_json)
        return
    if as_json:
        summary = run_demo(seed=seed, days=days, db_path=url, planner=chosen, policy=choice)
        typer.echo(json.dumps(summary))
        return
    from housemind.agent.live import LiveView

    with LiveView(
        title=f"housemind demo · HomeSim seed {seed}", instructions=DEMO_INSTRUCTIONS
    ) as view:
        summary = run_demo(
            seed=seed,
            days=days,
            db_path=url,
            on_event=view.on_event,
            planner=chosen,
            policy=choice,
        )
    view.print_summary(summary)
    if summary["planner_fallbacks"]:
        console().print(
            f"[yellow]planner fallbacks: {summary['planner_fallbacks']}[/] (a backend of "
            f"{chosen.name} was down or its plans were rejected; --json lists them per chore)"
        )
    if summary["chores_failed"]:
        raise typer.Exit(1)


def _household(
    seed: int, days: float, url: str | None, home: str | None, path: Path | None,
    chosen: object, as_json: bool,
) -> None:  # fmt: skip
    """The demo with a household's paragraph (``housemind run`` on a temporary database)."""
    import tempfile

    from housemind.agent.runs import RunError, read_instruction_lines, run_simulated

    with tempfile.TemporaryDirectory(prefix="housemind-demo-") as tmp:
        try:
            lines = read_instruction_lines(path) if path is not None else []
            if as_json:
                out = run_simulated(url or Path(tmp) / "home.db", days=days, seed=seed,
                                    home=home, instructions=lines, planner=chosen)  # fmt: skip
                typer.echo(json.dumps(out))
                return
            from housemind.agent.live import LiveView

            with LiveView(title=f"housemind demo · {home or 'apartment'} · seed {seed}",
                          instructions=lines) as view:  # fmt: skip
                out = run_simulated(url or Path(tmp) / "home.db", days=days, seed=seed,
                                    home=home, instructions=lines, planner=chosen,
                                    on_event=view.on_event)  # fmt: skip
        except RunError as e:
            fail(str(e))
    for line in out["read_back"]:
        console().print(f"[cyan]read back[/] {line}")
    view.print_summary(out)
    if out["chores_failed"]:
        raise typer.Exit(1)


def _refuse_existing(db: str, url: str) -> None:
    from housemind.memory import Database, MemoryStoreError

    try:
        probe = Database(url)
        try:
            there = probe.exists()
        finally:
            probe.close()
    except MemoryStoreError as e:
        fail(str(e))
    if there and probe.sqlite_path is not None:
        fail(f"{db} already exists; the demo starts a new home — pass a new --db path")
    if there:
        fail(
            f"home {probe.home_id or '(default)'} already exists in {probe.url}; the demo "
            "starts a new home — pass a new --home-id"
        )


def run(
    db: Annotated[
        str,
        typer.Option(
            "--db",
            envvar="HOUSEMIND_DB",
            help="Project database (created if new): a SQLite file or a URL such as "
            "postgresql+psycopg://user@host/housemind.",
        ),
    ],
    days: Annotated[float, typer.Option(help="Simulated days from the start of the run.")] = 7.0,
    seed: Annotated[int, typer.Option(help="HomeSim seed (for a new run).")] = 0,
    home: HomeOpt = None,
    instructions: Annotated[
        Path | None,
        typer.Option(
            "--instructions", help="Standing instructions to add (a paragraph or one a line)."
        ),
    ] = None,
    home_id: HomeIdOpt = None,
    standby: Annotated[
        bool,
        typer.Option(
            "--standby",
            help="If another runtime runs this home, wait and take over when it stops "
            "(default: refuse at once, exit code 4).",
        ),
    ] = False,
    planner: PlannerOpt = None,
    api_base: ApiBaseOpt = None,
    rerun: Annotated[
        Path | None,
        typer.Option("--rerun", help="Also log to a rerun.io recording (FILE.rrd; 'rerun' extra)."),
    ] = None,
    policy: PolicyOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run the home in simulation until --days after its start.

    The same command resumes a killed run; a larger --days extends a finished one. A new
    run starts at 06:00 on the day the earliest stored instruction became active (or on
    HomeSim's default Monday when there is none yet). One runtime per home: a second one
    refuses (exit code 4), or with --standby waits to take over.
    """
    from housemind.agent.home_lock import HomeBusyError
    from housemind.agent.runs import RunError, read_instruction_lines, run_simulated

    check_days(days)
    choice = parse_policy(policy)
    url = db_url(db, home_id, creating=True)
    chosen = build_planner(planner, api_base)
    try:
        lines = read_instruction_lines(instructions) if instructions is not None else None
        out = run_simulated(
            url,
            days=days,
            seed=seed,
            home=home,
            instructions=lines,
            planner=chosen,
            policy=choice,
            lock_wait_s=None if standby else 0.0,
            rerun=rerun,
        )
    except HomeBusyError as e:
        fail(str(e), code=4)
    except RunError as e:
        fail(str(e))
    if as_json:
        typer.echo(json.dumps(out))
        return
    until = datetime.fromisoformat(out["until"])
    how = "resumed and ran" if out["resumed"] else "extended and ran" if out["extended"] else "ran"
    con = console()
    if out.get("note"):
        con.print(out["note"])
    for line in out.get("read_back", []):  # what --instructions said, as read back
        con.print(f"[cyan]read back[/] {line}")
    con.print(
        f"{out['home']}: {how} to {until:%Y-%m-%d %H:%M}: "
        f"{out['chores_done']} of {out['chores_due']} chores done, "
        f"{out['chores_failed']} failed, {out['subtasks']} subtasks"
        + (
            f", {out['chores_missing']} done with nothing made (something they need is "
            "missing; it is on the shopping list)"
            if out.get("chores_missing")
            else ""
        )
        + (f", {out['planner_fallbacks']} planner fallbacks" if out["planner_fallbacks"] else "")
    )
    if "rerun" in out:
        con.print(f"rerun recording: {out['rerun']['path']} (open it with: rerun FILE)")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command()(demo)
    app.command()(run)
