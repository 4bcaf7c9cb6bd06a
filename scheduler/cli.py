"""The work behind ``housemind instruct`` and ``housemind schedule``.

``agent/cli.py`` declares the commands and hands over here (so the CLI starts fast and the
scheduler's output formats live with the scheduler). The safety check is passed in as a
callable: the scheduler does not depend on the safety package.

``--json`` output of ``instruct --dry-run`` (one object, or one per input line with
``--file``)::

    {"instructions": [{"text", "kind", "goal", "rrule", "timezone", "deadline",
                       "next_runs": [five ISO 8601 fire times], "id", "duration_s",
                       "answers_to", "read_back"}],
     "questions": [...], "facts": [{"subject", "predicate", "value", "kind", "rrule"}]}

``deadline`` is true when the rule's time is when the chore must be done (its fire times
are its estimated duration earlier).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from scheduler._rrule import load_zone
from scheduler.clock import WallClock
from scheduler.conflicts import DEFAULT_QUIET_HOURS, Conflict, find_conflicts
from scheduler.instructions import StandingInstruction
from scheduler.paragraph import ParseResult, parse_paragraph, remember_facts
from scheduler.readback import read_back
from scheduler.triggers import fire_offset_s, next_runs, trigger_for

__all__ = ["instruct_command", "instruction_json", "parse_now", "schedule_command"]


def parse_now(now: str | None, tz: str) -> datetime:
    """``--now`` as an aware time (naive ISO times are in ``tz``; None: the wall clock).

    Raises:
        ValueError: Not an ISO 8601 time, or an unknown time zone.
    """
    zone = load_zone(tz)
    if now is None:
        return WallClock(zone).now()
    try:
        when = datetime.fromisoformat(now)
    except ValueError as exc:
        raise ValueError(
            f"--now {now!r} is not an ISO 8601 time; e.g. '2025-10-20T08:00' or "
            "'2025-10-20T08:00+02:00'"
        ) from exc
    return when if when.tzinfo is not None else when.replace(tzinfo=zone)


def instruction_json(instr: StandingInstruction, now: datetime) -> dict[str, Any]:
    """One instruction as the stable ``--json`` dict (next five fire times after ``now``)."""
    runs = next_runs(instr, now, 5) if instr.rrule else []
    return {
        "text": instr.text,
        "kind": instr.kind.value,
        "goal": instr.goal,
        "rrule": instr.rrule,
        "timezone": instr.timezone,
        "deadline": instr.time_is_deadline,
        "next_runs": [t.isoformat() for t in runs],
        "id": instr.id,
        "duration_s": instr.duration_s,
        "answers_to": instr.answers_to,
        "enabled": instr.enabled,
        "read_back": read_back(instr),
    }


def _result_json(result: ParseResult, now: datetime) -> dict[str, Any]:
    return {
        "instructions": [instruction_json(i, now) for i in result.instructions],
        "questions": result.questions,
        "facts": [f.model_dump(exclude={"text"}) for f in result.facts],
    }


def _conflict_json(c: Conflict) -> dict[str, Any]:
    return {**c.model_dump(mode="json"), "text": c.describe()}


def instruct_command(
    *,
    text: str | None,
    file: Path | None,
    dry_run: bool,
    now: str | None,
    tz: str,
    actor: str,
    db: Path,
    as_json: bool,
    check: Callable[[str], Any] | None = None,
) -> int:
    """Read, check, store and say back instructions; return the exit code.

    Args:
        text: The instruction(s) (or None with ``file``).
        file: One instruction (or paragraph) per line.
        dry_run: Only print how it was read.
        now: ``--now`` (ISO 8601) or None for the wall clock.
        tz: The home's time zone.
        actor: Who is speaking (told_by of facts; passed to the safety check by the caller).
        db: The project database file (created if missing).
        as_json: Print JSON instead of sentences.
        check: ``check(text) -> SafetyVerdict`` (``verdict``, ``reasons``, ``rules``).

    Returns:
        0 when everything was understood and stored (or shown), 1 when the safety check
        denied something (nothing is stored then), 3 when there were only questions.
    """
    when = parse_now(now, tz)
    lines = (
        [ln.strip() for ln in file.read_text().splitlines() if ln.strip()]
        if file is not None
        else [text or ""]
    )
    results = [(line, parse_paragraph(line, now=when, tz=tz, speaker=actor)) for line in lines]
    if dry_run:
        for line, result in results:
            payload = _result_json(result, when)
            if file is not None:
                payload = {"input": line, **payload}
            if as_json:
                print(json.dumps(payload))
            else:
                _say(line if file is not None else None, result)
        return 0 if any(r.instructions or r.facts for _, r in results) else 3

    denied: list[dict[str, Any]] = []
    approvals: set[str] = set()
    if check is not None:
        for _, result in results:
            texts = [i.text for i in result.instructions] + [f.text for f in result.facts]
            for sentence in dict.fromkeys(texts):
                verdict = check(sentence)
                value = getattr(verdict.verdict, "value", str(verdict.verdict))
                if value == "deny":
                    denied.append(
                        {"text": sentence, "reasons": verdict.reasons, "rules": verdict.rules}
                    )
                elif value == "confirm":
                    approvals.add(sentence)
    if denied:
        if as_json:
            print(json.dumps({"stored": [], "denied": denied}))
        else:
            for d in denied:
                print(f"refused: {d['text']}")
                for reason in d["reasons"]:
                    print(f"  · {reason}")
            print("nothing was stored.")
        return 1

    from memory import open_database
    from memory.symbolic import SymbolicMemory
    from scheduler.store import InstructionStore

    database = open_database(f"sqlite:///{db}")
    try:
        store = InstructionStore(database.session, WallClock(load_zone(tz)))
        symbolic = SymbolicMemory(database)
        stored: list[StandingInstruction] = []
        for _, result in results:
            for instr in result.instructions:
                if instr.text in approvals:
                    instr = instr.model_copy(update={"enabled": False})
                stored.append(store.add(instr, replace=True))
            remember_facts(symbolic, result.facts, told_by=actor)
        quiet = _quiet_hours(symbolic)
        conflicts = find_conflicts(store.list(enabled=True), start=when, quiet_hours=quiet)
    finally:
        database.close()
    questions = [q for _, r in results for q in r.questions]
    facts = [f for _, r in results for f in r.facts]
    if as_json:
        print(
            json.dumps(
                {
                    "stored": [instruction_json(i, when) for i in stored],
                    "facts": [f.model_dump(exclude={"text"}) for f in facts],
                    "questions": questions,
                    "needs_approval": sorted(approvals),
                    "conflicts": [_conflict_json(c) for c in conflicts],
                    "denied": [],
                }
            )
        )
    else:
        for instr in stored:
            note = " (paused until a person approves it)" if not instr.enabled else ""
            print(read_back(instr) + note)
        for fact in facts:
            print(f"I'll remember: {fact.subject} {fact.predicate.replace('_', ' ')} {fact.value}")
        for q in questions:
            print(f"question: {q}")
        for c in conflicts:
            print(f"clash: {c.describe()}")
    return 0 if stored or facts else 3


def _say(line: str | None, result: ParseResult) -> None:
    if line is not None:
        print(f"> {line}")
    for instr in result.instructions:
        print(read_back(instr))
    for fact in result.facts:
        print(f"I'll remember: {fact.subject} {fact.predicate.replace('_', ' ')} {fact.value}")
    for q in result.questions:
        print(f"question: {q}")


def _quiet_hours(symbolic: Any) -> str:
    """The home's quiet hours preference (the latest told), or the default."""
    told = symbolic.facts(subject="home", predicate="quiet_hours")
    return told[-1].value if told else DEFAULT_QUIET_HOURS


def schedule_command(*, db: Path, days: float, now: str | None, as_json: bool) -> None:
    """Print the chores of the coming ``days`` (table, or JSON with ``--json``).

    JSON: ``{"from", "to", "runs": [{"at", "deadline", "goal", "kind", "instruction_id",
    "duration_s"}], "paused": [instruction ids], "conflicts": [...]}``.
    """
    from memory import open_database
    from memory.symbolic import SymbolicMemory
    from scheduler.store import InstructionStore

    database = open_database(f"sqlite:///{db}")
    try:
        store = InstructionStore(database.session)
        everything = store.list()
        quiet = _quiet_hours(SymbolicMemory(database))
    finally:
        database.close()
    enabled = [i for i in everything if i.enabled and i.rrule is not None]
    tz = enabled[0].timezone if enabled else "UTC"
    start = parse_now(now, tz)
    end = start + timedelta(days=days)
    runs: list[dict[str, Any]] = []
    for instr in enabled:
        rec = trigger_for(instr).recurrence
        for fire in rec.between(start, end):
            local = fire.astimezone(rec.tz)
            deadline = (
                (local - timedelta(seconds=fire_offset_s(instr))).isoformat()
                if instr.time_is_deadline
                else None
            )
            runs.append(
                {
                    "at": local.isoformat(),
                    "deadline": deadline,
                    "goal": instr.goal,
                    "kind": instr.kind.value,
                    "instruction_id": instr.id,
                    "duration_s": instr.duration_s,
                    "_sort": (fire, -instr.priority, instr.id),
                }
            )
    runs.sort(key=lambda r: r.pop("_sort"))
    conflicts = find_conflicts(enabled, start=start, days=days, quiet_hours=quiet)
    paused = [i.id for i in everything if not i.enabled]
    if as_json:
        print(
            json.dumps(
                {
                    "from": start.isoformat(),
                    "to": end.isoformat(),
                    "runs": runs,
                    "paused": paused,
                    "conflicts": [_conflict_json(c) for c in conflicts],
                }
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"the next {days:g} days ({db})")
    for col in ("when", "chore", "kind", "ready by"):
        table.add_column(col)
    for r in runs:
        at = datetime.fromisoformat(r["at"])
        by = datetime.fromisoformat(r["deadline"]).strftime("%H:%M") if r["deadline"] else ""
        table.add_row(at.strftime("%a %d %b %H:%M"), r["goal"], r["kind"], by)
    con = Console()
    con.print(table)
    for c in conflicts:
        con.print(f"[yellow]clash:[/] {c.describe()}")
    if paused:
        con.print(f"[dim]paused: {', '.join(paused)}[/]")
