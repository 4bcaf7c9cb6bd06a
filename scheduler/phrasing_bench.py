"""The phrasing benchmark behind ``housemind bench phrasings``.

``benchmarks/phrasings/`` holds phrasings written the way people talk and type, each
labelled with what a careful reader takes from it: the kind of each instruction, its goal,
and its next five times from a fixed ``now`` (deadline chores: their deadlines; other
chores, check-ins and reminders: when they happen), or a constraint's forbidden windows, or
a routine fact and its next five times, or a question back. ``dev.json`` is tuned on;
``heldout.json`` was frozen before the parser was changed and is never tuned on.

A phrasing is *right* when :func:`~housemind.scheduler.paragraph.parse_paragraph` finds the
same instructions and facts: same kinds and same next five times (several instructions with
one kind and goal count as one, so "dinner at 7 on weekdays and 6 at weekends" may be one
rule or two), same constraint windows (compared minute by minute over a week), no question
when none is expected and a question (and nothing stored) when one is. Goals are scored
separately (``goal_right``): words differ ("take the recycling out" / "take out the
recycling") without the schedule being wrong.
"""

from __future__ import annotations

import json
import platform
import re
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from housemind.scheduler._rrule import load_zone, parse_window
from housemind.scheduler.instructions import ASLEEP, InstructionKind, StandingInstruction
from housemind.scheduler.paragraph import ParseResult, parse_paragraph
from housemind.scheduler.placement import SchedulePolicy

__all__ = [
    "PhrasingBenchError",
    "PhrasingItem",
    "PhrasingSet",
    "default_phrasing_paths",
    "load_phrasings",
    "run_phrasing_bench",
    "score_item",
]

_ROUTINE_KIND = "routine"


class PhrasingBenchError(ValueError):
    """The phrasing data cannot be read; the message says what to fix."""


class PhrasingItem(BaseModel):
    """One labelled phrasing."""

    id: str
    category: str
    text: str
    expect: list[dict[str, Any]] = Field(default_factory=list)
    question: bool = False


class PhrasingSet(BaseModel):
    """A file of labelled phrasings, with the ``now`` and time zone they are labelled from."""

    name: str = ""
    now: datetime
    timezone: str
    speaker: str = "owner"
    written: str | None = None
    frozen: str | None = None
    items: list[PhrasingItem]


def default_phrasing_paths() -> dict[str, Path]:
    """``{"dev": ..., "heldout": ...}`` of the source checkout's ``benchmarks/phrasings``."""
    import housemind.scheduler

    root = Path(housemind.scheduler.__file__).resolve().parents[1] / "benchmarks" / "phrasings"
    return {"dev": root / "dev.json", "heldout": root / "heldout.json"}


def load_phrasings(path: Path) -> PhrasingSet:
    """Read a phrasing file.

    Raises:
        PhrasingBenchError: Missing, not JSON, or not the expected layout.
    """
    if not path.is_file():
        raise PhrasingBenchError(
            f"no phrasing file at {path}; run from a source checkout (benchmarks/phrasings/) "
            "or pass --data FILE"
        )
    try:
        data = PhrasingSet.model_validate(json.loads(path.read_text()))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise PhrasingBenchError(
            f"{path} is not a phrasing file ({exc}); see benchmarks/phrasings/build_set.py "
            "for the layout"
        ) from exc
    if data.now.tzinfo is None:
        raise PhrasingBenchError(f"{path}: 'now' {data.now} needs a UTC offset")
    return data


# --- what a parse says, in the labels' terms ------------------------------------------


def _norm_goal(goal: str) -> str:
    words = re.findall(r"[a-z0-9']+", goal.lower())
    return " ".join(w for w in words if w not in ("the", "a", "an"))


def _week_minutes(window: str, days: str = "") -> frozenset[int]:
    """The minutes of a week (0 = Monday 00:00) a window covers."""
    if window == ASLEEP:
        return frozenset({-1})
    spec = window if " " in window else f"{days or '*'} {window}"
    on_days, start, end = parse_window(spec)
    out: set[int] = set()
    week = 7 * 24 * 60
    for day in range(7):
        if on_days is None or day in on_days:
            base = day * 24 * 60
            out.update((base + m) % week for m in range(start, end))
    return frozenset(out)


def _due_times(instr: StandingInstruction, policy: SchedulePolicy, now: datetime) -> list[str]:
    pairs = policy.next_due(instr, now, 5)
    tz = load_zone(instr.timezone)
    times = [d if instr.time_is_deadline else f for d, f in pairs]
    return [t.astimezone(tz).isoformat() for t in times]


def _fact_times(rrule: str, tz: str, now: datetime) -> list[str]:
    instr = StandingInstruction(text="routine", goal="routine", rrule=rrule, timezone=tz)
    return _due_times(instr, SchedulePolicy(), now)


def describe_result(result: ParseResult, *, now: datetime, tz: str) -> list[dict[str, Any]]:
    """A parse result as label-like entries (kind, goal, due / window / value)."""
    policy = SchedulePolicy.from_facts(result.instructions, result.facts, tz=tz)
    out: list[dict[str, Any]] = []
    for instr in result.instructions:
        if instr.kind is InstructionKind.CONSTRAINT:
            out.append({"kind": "constraint", "goal": instr.goal, "window": instr.window or ""})
        elif instr.rrule is not None:
            out.append(
                {
                    "kind": instr.kind.value,
                    "goal": instr.goal,
                    "due": _due_times(instr, policy, now),
                }
            )
        else:
            out.append({"kind": instr.kind.value, "goal": instr.goal})
    for fact in result.facts:
        if fact.rrule:
            out.append(
                {
                    "kind": _ROUTINE_KIND,
                    "subject": fact.subject,
                    "predicate": fact.predicate,
                    "due": _fact_times(fact.rrule, tz, now),
                }
            )
        else:
            out.append(
                {
                    "kind": "fact",
                    "subject": fact.subject,
                    "predicate": fact.predicate,
                    "value": fact.value,
                }
            )
    return out


def _signature(entries: list[dict[str, Any]]) -> tuple[Counter, dict[tuple, set[str]]]:
    """Entries merged by (kind, goal): a multiset of schedule signatures, and their goals."""
    merged: dict[tuple, dict[str, Any]] = {}
    for e in entries:
        kind = e["kind"]
        if kind == _ROUTINE_KIND:
            key = (kind, e.get("subject"), e["predicate"])
        elif kind == "fact":
            key = (kind, e.get("subject"), e["predicate"], e.get("value"))
        else:
            key = (kind, _norm_goal(e.get("goal", "")))
        slot = merged.setdefault(key, {"kind": kind, "due": set(), "minutes": set(), "e": e})
        slot["due"].update(e.get("due", []))
        if kind == "constraint":
            for w in [p.strip() for p in e.get("window", "").split(";") if p.strip()]:
                slot["minutes"].update(_week_minutes(w, e.get("days", "")))
    sigs: Counter = Counter()
    goals: dict[tuple, set[str]] = {}
    for key, slot in merged.items():
        kind = slot["kind"]
        if kind == "constraint":
            sig: tuple = (kind, frozenset(slot["minutes"]))
        elif kind == "fact":
            sig = key
        elif kind == _ROUTINE_KIND:
            sig = (*key, tuple(sorted(slot["due"])[:5]))
        else:
            sig = (kind, tuple(sorted(slot["due"], key=datetime.fromisoformat)[:5]))
        sigs[sig] += 1
        goals.setdefault(sig, set()).add(key[1] if kind not in ("fact", _ROUTINE_KIND) else "")
    return sigs, goals


def score_item(item: PhrasingItem, data: PhrasingSet) -> dict[str, Any]:
    """Parse one phrasing and compare it with its labels.

    Returns:
        ``{"right", "kind_right", "goal_right", "got", "questions"}``.
    """
    tz = data.timezone
    now = data.now
    result = parse_paragraph(item.text, now=now, tz=tz, speaker=data.speaker)
    got = describe_result(result, now=now, tz=tz)
    if item.question:
        right = bool(result.questions) and not got
        return {
            "right": right,
            "kind_right": right,
            "goal_right": right,
            "got": got,
            "questions": result.questions,
        }
    want_sigs, want_goals = _signature(item.expect)
    got_sigs, got_goals = _signature(got)
    right = want_sigs == got_sigs and not result.questions
    kinds_right = Counter(e["kind"] for e in _merged_kinds(item.expect)) == Counter(
        e["kind"] for e in _merged_kinds(got)
    )
    goal_right = right and all(
        want_goals[sig] == got_goals.get(sig) for sig in want_goals if sig[0] not in ("fact",)
    )
    return {
        "right": right,
        "kind_right": kinds_right and not result.questions,
        "goal_right": goal_right,
        "got": got,
        "questions": result.questions,
    }


def _merged_kinds(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[tuple, dict[str, Any]] = {}
    for e in entries:
        key = (e["kind"], _norm_goal(e.get("goal", "")), e.get("predicate"))
        seen.setdefault(key, e)
    return list(seen.values())


def _score_set(data: PhrasingSet) -> dict[str, Any]:
    per_cat: dict[str, dict[str, int]] = {}
    wrong: list[dict[str, Any]] = []
    totals = Counter()
    t0 = time.perf_counter()
    for item in data.items:
        res = score_item(item, data)
        cat = per_cat.setdefault(
            item.category, {"n": 0, "right": 0, "kind_right": 0, "goal_right": 0}
        )
        cat["n"] += 1
        totals["n"] += 1
        for key in ("right", "kind_right", "goal_right"):
            cat[key] += int(res[key])
            totals[key] += int(res[key])
        if not res["right"]:
            wrong.append(
                {
                    "id": item.id,
                    "category": item.category,
                    "text": item.text,
                    "expected": item.expect if not item.question else "a question",
                    "got": res["got"],
                    "questions": res["questions"],
                }
            )
    wall = time.perf_counter() - t0
    n = max(totals["n"], 1)
    return {
        "n": totals["n"],
        "right": totals["right"],
        "share": round(totals["right"] / n, 4),
        "kind_share": round(totals["kind_right"] / n, 4),
        "goal_share": round(totals["goal_right"] / n, 4),
        "per_category": {
            name: {**c, "share": round(c["right"] / max(c["n"], 1), 4)}
            for name, c in sorted(per_cat.items())
        },
        "ms_per_phrasing": round(1000 * wall / n, 2),
        "wrong": wrong,
        "now": data.now.isoformat(),
        "timezone": data.timezone,
        "frozen": data.frozen,
    }


def run_phrasing_bench(
    data: Path | None = None, *, parts: list[str] | None = None
) -> dict[str, Any]:
    """Score the phrasing set(s).

    Args:
        data: One phrasing file; None scores the shipped ``dev`` and ``heldout`` files.
        parts: With ``data`` None, only these parts (``dev``, ``heldout``).

    Returns:
        ``{"parts": {name: {"n", "right", "share", "kind_share", "goal_share",
        "per_category": {category: {"n", "right", "share", ...}}, "wrong": [...]}},
        "machine": ...}``; ``share`` is the share whose next five runs and kinds are right.

    Raises:
        PhrasingBenchError: A file is missing or malformed, or an unknown part is asked for.
    """
    if data is not None:
        files = {Path(data).stem: Path(data)}
    else:
        files = default_phrasing_paths()
        if parts:
            unknown = sorted(set(parts) - set(files))
            if unknown:
                raise PhrasingBenchError(
                    f"unknown part(s) {', '.join(unknown)}: choose from {', '.join(files)}"
                )
            files = {k: v for k, v in files.items() if k in parts}
    out: dict[str, Any] = {"parts": {}}
    for name, path in files.items():
        out["parts"][name] = _score_set(load_phrasings(path))
    out["machine"] = f"{platform.machine()} {platform.system()} Python {platform.python_version()}"
    return out
