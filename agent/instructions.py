"""Giving standing instructions: parse a person's words, check them, store them.

``housemind instruct`` (and later the dashboard) calls :func:`give_instructions`; it returns
what happened and prints nothing. The safety check is passed in as a callable so the
caller decides which monitor (and which person) judges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from housemind.scheduler.paragraph import ParseResult

__all__ = ["InstructOutcome", "give_instructions"]


@dataclass
class InstructOutcome:
    """What :func:`give_instructions` did.

    Attributes:
        now: The time the instructions count from.
        results: Each input line with how it was read.
        stored: Instructions stored (paused ones wait for an approval).
        denied: ``{"text", "reasons", "rules"}`` of sentences the monitor refused;
            nothing is stored when any is refused.
        needs_approval: Sentences stored paused until a person approves them.
        conflicts: Clashes among the enabled instructions (JSON dicts).
        dry_run: Nothing was stored.
    """

    now: datetime
    results: list[tuple[str, ParseResult]]
    stored: list[Any] = field(default_factory=list)
    denied: list[dict[str, Any]] = field(default_factory=list)
    needs_approval: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def questions(self) -> list[str]:
        """Questions back to the person (what was not understood)."""
        return [q for _, r in self.results for q in r.questions]

    @property
    def facts(self) -> list[Any]:
        """Facts about the household that were told (routines, preferences)."""
        return [f for _, r in self.results for f in r.facts]

    @property
    def exit_code(self) -> int:
        """0 understood (and stored), 1 refused by the safety monitor, 3 only questions."""
        if self.denied:
            return 1
        if self.dry_run:
            return 0 if any(r.instructions or r.facts for _, r in self.results) else 3
        return 0 if self.stored or self.facts else 3


def give_instructions(
    lines: list[str],
    *,
    db: str | Path,
    now: datetime,
    tz: str,
    actor: str = "owner",
    dry_run: bool = False,
    check: Callable[[str], Any] | None = None,
) -> InstructOutcome:
    """Read, check and store standing instructions.

    Args:
        lines: The person's words, one paragraph per item.
        db: The project database: a SQLite file (created if missing) or a database URL
            (see ``housemind.memory.database_url``).
        now: The time to count from.
        tz: The home's IANA time zone.
        actor: Who is speaking (``told_by`` of facts).
        dry_run: Only read; store nothing.
        check: ``check(text) -> SafetyVerdict`` (``verdict``, ``reasons``, ``rules``).

    Raises:
        ValueError: if every line is empty.
        housemind.memory.MemoryStoreError: if the database cannot be opened.
    """
    from housemind.scheduler.paragraph import parse_paragraph

    lines = [ln.strip() for ln in lines if ln.strip()]
    if not lines:
        raise ValueError(
            "the instruction is empty; say what to do and when, e.g. "
            "'water the plants every day at 9am'"
        )
    results = [(line, parse_paragraph(line, now=now, tz=tz, speaker=actor)) for line in lines]
    out = InstructOutcome(now=now, results=results, dry_run=dry_run)
    if dry_run:
        return out
    approvals: set[str] = set()
    if check is not None:
        for _, result in results:
            texts = [i.text for i in result.instructions] + [f.text for f in result.facts]
            for sentence in dict.fromkeys(texts):
                verdict = check(sentence)
                value = getattr(verdict.verdict, "value", str(verdict.verdict))
                if value == "deny":
                    out.denied.append(
                        {"text": sentence, "reasons": verdict.reasons, "rules": verdict.rules}
                    )
                elif value == "confirm":
                    approvals.add(sentence)
    if out.denied:
        return out
    if not any(r.instructions or r.facts for _, r in results):
        return out  # only questions: nothing to store, leave the database alone

    from housemind.memory import database_url, open_database
    from housemind.memory.symbolic import SymbolicMemory
    from housemind.scheduler._rrule import load_zone
    from housemind.scheduler.agenda import conflict_json, quiet_hours
    from housemind.scheduler.clock import SimClock
    from housemind.scheduler.conflicts import find_conflicts
    from housemind.scheduler.paragraph import remember_facts
    from housemind.scheduler.store import InstructionStore

    database = open_database(database_url(db))
    try:
        # Instructions become active at ``now`` (the wall clock, or ``--now``): a
        # simulated run's timeline starts from there (see housemind.agent.runs).
        store = InstructionStore(database.session, SimClock(now, load_zone(tz)))
        symbolic = SymbolicMemory(database)
        for _, result in results:
            for instr in result.instructions:
                if instr.text in approvals:
                    instr = instr.model_copy(update={"enabled": False})
                out.stored.append(store.add(instr, replace=True))
            remember_facts(symbolic, result.facts, told_by=actor)
        conflicts = find_conflicts(
            store.list(enabled=True), start=now, quiet_hours=quiet_hours(symbolic)
        )
    finally:
        database.close()
    out.needs_approval = sorted(approvals)
    out.conflicts = [conflict_json(c) for c in conflicts]
    return out
