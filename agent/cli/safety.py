"""``housemind safety ...``, ``approve`` and ``deny``: the safety monitor and its requests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from housemind.agent.cli._common import DbOpt, HomeIdOpt, JsonOpt, console, fail, open_db

__all__ = ["register"]

safety_app = typer.Typer(help="The safety monitor.", no_args_is_help=True)

#: ``housemind safety check`` exit codes: allow, confirm (a person must approve), deny.
EXIT_CODES = {"allow": 0, "confirm": 3, "deny": 4}

ByOpt = Annotated[
    str | None, typer.Option("--by", help="Who answers (a person registered in this home).")
]
WhyOpt = Annotated[str | None, typer.Option("--why", help="Your reason, for the audit log.")]


@safety_app.command("check")
def safety_check(
    text: Annotated[str | None, typer.Argument(help="An instruction to check.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="One instruction per line.")] = None,
    judge: Annotated[
        str | None,
        typer.Option(
            "--judge",
            help="Also ask this model (any litellm model name, e.g. ollama/llama3.2); it "
            "can add caution, never lift a refusal.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Check instructions with the safety monitor (no robot needed).

    Exit codes: 0 allowed, 3 a person must confirm first, 4 refused (with --file: the
    strictest verdict of all lines).
    """
    from housemind.safety import SafetyMonitor

    if (text is None) == (file is None):
        fail("give exactly one of TEXT or --file PATH")
    if file is not None:
        if not file.is_file():
            fail(f"no such file: {file}")
        lines = [ln.strip() for ln in file.read_text().splitlines() if ln.strip()]
    else:
        lines = [(text or "").strip()]
    if not any(lines):
        fail("nothing to check: the instruction is empty")
    judge_matcher = None
    if judge:
        from housemind.agent.llm import ModelClient
        from housemind.safety.judge import ModelJudge

        judge_matcher = ModelJudge(ModelClient(judge))
    mon = SafetyMonitor(judge=judge_matcher)
    results = []
    for line in lines:
        v = mon.check_instruction(line)
        results.append(
            {
                "instruction": line,
                "verdict": v.verdict.value,
                "reasons": list(dict.fromkeys(v.reasons)),
                "rules": list(dict.fromkeys(v.rules)),
            }
        )
    code = max(EXIT_CODES[r["verdict"]] for r in results)
    if as_json:
        for r in results:
            r = {
                "verdict": r["verdict"],
                "reasons": r["reasons"],
                "rules": r["rules"],
                **({"instruction": r["instruction"]} if file is not None else {}),
            }
            typer.echo(json.dumps(r))
        raise typer.Exit(code)
    colour = {"allow": "green", "confirm": "yellow", "deny": "red"}
    con = console()
    for r in results:
        con.print(f"[{colour[r['verdict']]}]{r['verdict']:>7}[/]  {r['instruction']}")
        for reason in r["reasons"]:
            con.print(f"         · {reason}")
    raise typer.Exit(code)


def _approval_book(db: str, home_id: str | None) -> Any:
    from housemind.safety.approvals import ApprovalBook

    return ApprovalBook(open_db(db, home_id))


def approve(
    approval_id: Annotated[str, typer.Argument(metavar="ID", help="The request's id.")],
    scope: Annotated[
        str | None,
        typer.Option(
            help="once: this step; task: this task; instruction: its standing "
            "instruction; rule: these rules anywhere. Default: instruction for a "
            "standing instruction, else once."
        ),
    ] = None,
    days: Annotated[
        float | None, typer.Option(help="How long it lasts (default 1; instruction 30; rule 7).")
    ] = None,
    by: ByOpt = None,
    why: WhyOpt = None,
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Approve a step the robot asked about (a 'confirm' verdict).

    Only an owner or a member of the household may approve (housemind people add NAME
    --role owner|member); who approved is recorded.
    """
    from housemind.safety.approvals import ApprovalError

    book = _approval_book(db, home_id)
    try:
        a = book.approve(approval_id, by=by or "", scope=scope, days=days, why=why)  # type: ignore[arg-type]
    except ApprovalError as e:
        fail(str(e))
    if as_json:
        typer.echo(a.model_dump_json())
        return
    typer.echo(
        f"approved {a.id} by {a.decided_by} ({a.scope}, until {a.expires_at:%Y-%m-%d %H:%M}): "
        f"{a.subject}"
    )
    if a.instruction_id and a.level == "instruction":
        typer.echo(f"resume it with: housemind instructions resume {a.instruction_id}")


def deny(
    approval_id: Annotated[str, typer.Argument(metavar="ID", help="The request's id.")],
    by: ByOpt = None,
    why: WhyOpt = None,
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Deny a step the robot asked about; it will not be done."""
    from housemind.safety.approvals import ApprovalError

    book = _approval_book(db, home_id)
    try:
        a = book.deny(approval_id, by=by or "", why=why)
    except ApprovalError as e:
        fail(str(e))
    if as_json:
        typer.echo(a.model_dump_json())
        return
    typer.echo(f"denied {a.id}: {a.subject}")


@safety_app.command("pending")
def safety_pending(
    db: DbOpt = "housemind.db", home_id: HomeIdOpt = None, as_json: JsonOpt = False
) -> None:
    """List the requests waiting for a person's approval."""
    rows = [json.loads(a.model_dump_json()) for a in _approval_book(db, home_id).pending()]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    con = console()
    if not rows:
        con.print("nothing is waiting for approval")
    for r in rows:
        con.print(f"[yellow]{r['id']}[/]  {r['subject']}  ({', '.join(r['rules'])})")
        for reason in r["reasons"]:
            con.print(f"          · {reason}")


@safety_app.command("stop")
def safety_stop(
    by: ByOpt = None,
    reason: Annotated[str, typer.Option("--reason", help="Why, for the record.")] = "",
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
) -> None:
    """Emergency stop: the running robot (any process on this database) stops at once."""
    from housemind.safety.estop import EmergencyStop

    st = EmergencyStop(open_db(db, home_id)).press(by=by, reason=reason)
    typer.echo(
        f"emergency stop engaged (by {st.pressed_by or 'someone'}: {st.reason}); "
        "release it with: housemind safety release --by NAME"
    )


@safety_app.command("release")
def safety_release(by: ByOpt = None, db: DbOpt = "housemind.db", home_id: HomeIdOpt = None) -> None:
    """Release the emergency stop (an owner or a member, once the home has people)."""
    from housemind.safety.estop import EmergencyStop, EstopError

    try:
        st = EmergencyStop(open_db(db, home_id)).release(by=by or "")
    except EstopError as e:
        fail(str(e))
    typer.echo(f"emergency stop released by {st.released_by}")


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(safety_app, name="safety")
    app.command()(approve)
    app.command()(deny)
