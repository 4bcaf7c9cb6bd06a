"""Giving and changing standing instructions: parse, check through the safety gate, store.

``housemind instruct`` and the dashboard call :func:`give_instructions`; ``instructions
change``, ``resume``, ``pause`` and ``delete`` (and the dashboard's week page) call
:func:`change_instruction`, :func:`resume_instruction`, :func:`pause_instruction` and
:func:`delete_instruction`. They return what happened and print nothing. Every one of them
passes the text through :func:`housemind.safety.gate.gate_instruction` (the one gate of
everything that creates or changes what the robot will do): a refused text is not stored;
one that needs a person's approval is stored paused with an approval request, and
resuming it needs that approval. Editing an existing instruction also passes
:func:`housemind.safety.gate.gate_edit`: once the household has people, only an owner or
a member may pause, resume, change or delete one, and every edit is audited with who.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from housemind.scheduler.paragraph import ParseResult

__all__ = [
    "InstructOutcome",
    "InstructionRefused",
    "NeedsApproval",
    "change_instruction",
    "change_instruction_in_words",
    "delete_instruction",
    "fact_sentence",
    "gate_memory_import",
    "give_correction",
    "give_instructions",
    "pause_instruction",
    "resume_instruction",
]


class InstructionRefused(ValueError):
    """The safety gate refused the text; nothing was stored. ``reasons`` says why."""

    def __init__(self, text: str, reasons: list[str], rules: list[str]) -> None:
        super().__init__(f"refused {text!r}: {' '.join(reasons)} (rules: {', '.join(rules)})")
        self.text, self.reasons, self.rules = text, reasons, rules


class NeedsApproval(ValueError):
    """It waits for a person's approval (``housemind approve ID --by NAME``)."""

    def __init__(self, text: str, approval_id: str, reasons: list[str]) -> None:
        super().__init__(
            f"{text!r} needs a person's approval first: housemind approve {approval_id} "
            f"--by NAME ({' '.join(reasons)})"
        )
        self.text, self.approval_id, self.reasons = text, approval_id, reasons


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
        approvals: ``{"text", "instruction_id", "approval_id", "reasons"}`` of the
            approval requests filed for them.
        conflicts: Clashes among the enabled instructions (JSON dicts).
        dry_run: Nothing was stored.
    """

    now: datetime
    results: list[tuple[str, ParseResult]]
    stored: list[Any] = field(default_factory=list)
    denied: list[dict[str, Any]] = field(default_factory=list)
    needs_approval: list[str] = field(default_factory=list)
    approvals: list[dict[str, Any]] = field(default_factory=list)
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
    def notes(self) -> list[str]:
        """What was decided for the person, or cannot be followed ("unless it rained")."""
        return [n for _, r in self.results for n in r.notes]

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
    monitor: Any = None,
    source: str = "person",
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
        monitor: The safety monitor that judges (the default one if None); every
            sentence passes :func:`~housemind.safety.gate.gate_instruction` whatever it is.
        source: ``person`` or ``import`` (text read in the world is refused).

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
    known = _known_facts(db)  # the routine already told places check-ins and reminders
    results = [
        (line, parse_paragraph(line, now=now, tz=tz, speaker=actor, routine_facts=known))
        for line in lines
    ]
    out = InstructOutcome(now=now, results=results, dry_run=dry_run)
    if dry_run:
        return out
    from housemind.memory import database_url, open_database
    from housemind.safety.gate import gate_instruction, request_approval

    approvals: dict[str, Any] = {}
    database = open_database(database_url(db))
    try:
        for _, result in results:
            texts = [i.text for i in result.instructions] + [f.text for f in result.facts]
            texts += [i.goal for i in result.instructions if i.goal and i.goal not in texts]
            for sentence in dict.fromkeys(texts):
                gate = gate_instruction(
                    sentence,
                    db=database,
                    actor=actor,
                    source=source,  # type: ignore[arg-type]
                    monitor=monitor,
                    request=False,
                )
                if gate.denied:
                    out.denied.append(
                        {
                            "text": sentence,
                            "reasons": gate.verdict.reasons,
                            "rules": gate.verdict.rules,
                        }
                    )
                elif gate.needs_approval:
                    approvals[sentence] = gate.verdict
    finally:
        database.close()
    if out.denied:
        return out
    if not any(r.instructions or r.facts for _, r in results):
        return out  # only questions: nothing to store, leave the database alone

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
                verdict = approvals.get(instr.text) or approvals.get(instr.goal)
                if verdict is not None:
                    instr = instr.model_copy(update={"enabled": False})
                out.stored.append(store.add(instr, replace=True))
                if verdict is not None:
                    req = request_approval(
                        verdict, text=instr.text, db=database, instruction_id=instr.id
                    )
                    out.approvals.append(
                        {
                            "text": instr.text,
                            "instruction_id": instr.id,
                            "approval_id": req.id,
                            "reasons": verdict.reasons,
                        }
                    )
            facts = [f for f in result.facts if f.text not in approvals]
            remember_facts(symbolic, facts, told_by=actor)
        conflicts = find_conflicts(
            store.list(enabled=True), start=now, quiet_hours=quiet_hours(symbolic)
        )
    finally:
        database.close()
    out.needs_approval = sorted(
        {a["text"] for a in out.approvals}
        | {t for t in approvals if not any(a["text"] == t for a in out.approvals)}
    )
    out.conflicts = [conflict_json(c) for c in conflicts]
    return out


def _known_facts(db: str | Path) -> list[Any] | None:
    """Facts the household told before (routines), from an existing database; else None."""
    from housemind.memory import Database, database_url, open_database
    from housemind.memory.symbolic import SymbolicMemory

    url = database_url(db)
    probe = Database(url)
    try:
        if not probe.exists():
            return None
    finally:
        probe.close()
    database = open_database(url)
    try:
        return SymbolicMemory(database).facts()
    finally:
        database.close()


def _open(db: str | Path) -> Any:
    from housemind.memory import database_url, open_database

    return open_database(database_url(db))


def change_instruction(
    instruction_id: str,
    *,
    db: str | Path,
    actor: str = "owner",
    monitor: Any = None,
    **updates: Any,
) -> Any:
    """Change a standing instruction's goal, schedule or priority, through the safety gate.

    A new goal is judged like a new instruction: refused, it changes nothing; needing
    approval, the change is stored with the instruction paused and an approval request
    filed (:exc:`NeedsApproval` carries its id).

    Returns:
        The changed :class:`~housemind.scheduler.StandingInstruction`.

    Raises:
        InstructionRefused: the gate refused the new goal (nothing changed).
        NeedsApproval: stored paused; a person must approve before it runs.
        housemind.scheduler.UnknownInstructionError: no such instruction.
        ValueError: a bad field.
    """
    from housemind.safety.gate import gate_instruction, request_approval
    from housemind.scheduler import InstructionStore

    database = _open(db)
    try:
        store = InstructionStore(database.session)
        before = store.get(instruction_id)  # unknown id: fail before judging anything
        _check_editor("change", before, database, actor)
        goal = updates.get("goal")
        gate = None
        if goal is not None:
            gate = gate_instruction(
                goal,
                db=database,
                actor=actor,
                monitor=monitor,
                instruction_id=instruction_id,
                request=False,
            )
            if gate.denied:
                raise InstructionRefused(goal, gate.verdict.reasons, gate.verdict.rules)
        out = store.change(instruction_id, **updates)
        if gate is not None and gate.needs_approval:
            out = store.pause(instruction_id)
            req = request_approval(
                gate.verdict, text=goal, db=database, instruction_id=instruction_id
            )
            raise NeedsApproval(goal, req.id, gate.verdict.reasons)
        return out
    finally:
        database.close()


def resume_instruction(
    instruction_id: str, *, db: str | Path, actor: str = "owner", monitor: Any = None
) -> Any:
    """Turn a paused instruction back on, through the safety gate.

    Its words and goal are judged again: refused, it stays paused; needing approval, it
    resumes only with a person's valid approval of this instruction (else the open request
    is found or filed and :exc:`NeedsApproval` carries its id).

    Raises:
        InstructionRefused: the gate refuses it now.
        NeedsApproval: no approval yet.
        housemind.scheduler.UnknownInstructionError: no such instruction.
    """
    from housemind.safety.gate import gate_instruction, request_approval
    from housemind.scheduler import InstructionStore

    database = _open(db)
    try:
        store = InstructionStore(database.session)
        instr = store.get(instruction_id)
        _check_editor("resume", instr, database, actor)
        for text in dict.fromkeys([instr.text, instr.goal]):
            if not text:
                continue
            gate = gate_instruction(
                text,
                db=database,
                actor=actor,
                monitor=monitor,
                instruction_id=instruction_id,
                request=False,
            )
            if gate.denied:
                raise InstructionRefused(text, gate.verdict.reasons, gate.verdict.rules)
            if gate.needs_approval:
                req = request_approval(
                    gate.verdict, text=text, db=database, instruction_id=instruction_id
                )
                raise NeedsApproval(text, req.id, gate.verdict.reasons)
        return store.resume(instruction_id)
    finally:
        database.close()


def change_instruction_in_words(
    instruction_id: str,
    text: str,
    *,
    db: Path,
    now: datetime,
    tz: str,
    actor: str = "owner",
    monitor: Any = None,
) -> Any:
    """Change an instruction to what a person now says ("water the plants every day at 10").

    The words are read like a new instruction (the same paragraph parser); the one
    instruction they make gives the new goal and schedule, which
    :func:`change_instruction` stores through the safety gate, keeping the id.

    Raises:
        ValueError: the words are empty, not understood (the parser's question says what
            to say instead), or make no instruction or several.
        InstructionRefused, NeedsApproval, housemind.scheduler.UnknownInstructionError:
            as :func:`change_instruction`.
    """
    from housemind.scheduler.paragraph import parse_paragraph

    words = " ".join((text or "").split())
    if not words:
        raise ValueError(
            "say what the instruction should become, e.g. 'water the plants every day at 10am'"
        )
    result = parse_paragraph(words, now=now, tz=tz, speaker=actor, routine_facts=_known_facts(db))
    if len(result.instructions) != 1:
        why = " ".join(result.questions) or (
            f"it makes {len(result.instructions)} instructions; say one chore and when"
        )
        raise ValueError(f"could not read {words!r} as one instruction: {why}")
    new = result.instructions[0]
    updates: dict[str, Any] = {"goal": new.goal}
    if new.rrule:
        updates["rrule"] = new.rrule
    return change_instruction(instruction_id, db=db, actor=actor, monitor=monitor, **updates)


def give_correction(
    text: str,
    *,
    db: Path,
    actor: str,
    now: datetime,
    task_id: str | None = None,
    monitor: Any = None,
) -> dict[str, Any]:
    """A person corrects the robot during a chore ("no, the top drawer").

    The words pass the safety gate like an instruction (a correction changes what the
    robot will do): refused, nothing is kept; one that would need a person's approval is
    refused too, with how to give it as an instruction instead. Otherwise it is
    remembered with who and when (:meth:`housemind.memory.Memory.record_correction`),
    about the running chore (or ``task_id``). The runtime running that chore, in whatever
    process, notices it at the next safe point (between two subtasks), interrupts the plan
    in progress and plans again with it (:mod:`housemind.agent.corrections`); the
    planner's context carries it again the next time the same chore is planned.

    Returns:
        ``{"fact_id", "task_id", "goal", "text", "running"}``; ``running`` says whether
        that task is running now (so the robot replans on it at once).

    Raises:
        ValueError: empty words, or an unknown ``task_id``.
        InstructionRefused: the gate refused the correction or it needs approval.
    """
    from housemind.agent.corrections import remember_named_not_trash
    from housemind.memory import Memory
    from housemind.safety.gate import gate_instruction
    from housemind.scheduler import TaskQueue
    from housemind.scheduler.store import TaskState

    words = " ".join((text or "").split())
    if not words:
        raise ValueError(
            "the correction is empty; say what to do instead, e.g. 'no, the top drawer'"
        )
    database = _open(db)
    try:
        tasks = TaskQueue(database.session)
        if task_id is not None:
            try:
                task = tasks.get(task_id)
            except KeyError:
                raise ValueError(f"no task {task_id!r}; 'housemind tasks' lists them") from None
            goal: str | None = task.goal
            running = task.state == TaskState.RUNNING
        else:
            now_running = tasks.list(TaskState.RUNNING)
            task_id, goal = (
                (now_running[-1].id, now_running[-1].goal) if now_running else (None, None)
            )
            running = bool(now_running)
        gate = gate_instruction(
            words, db=database, actor=actor, monitor=monitor, task_id=task_id, request=False
        )
        if not gate.allowed:
            reasons = list(gate.verdict.reasons)
            if gate.needs_approval:
                reasons.append(
                    "A correction that needs approval is not kept; give it as an instruction "
                    "so an owner or a member can approve it."
                )
            raise InstructionRefused(words, reasons, gate.verdict.rules)
        memory = Memory(database)
        fact_id = memory.record_correction(words, by=actor, when=now, task_id=task_id, goal=goal)
        # "don't throw the newspaper away" holds at once, running chore or not.
        remember_named_not_trash(memory, words, by=actor, when=now)
    finally:
        database.close()
    return {
        "fact_id": fact_id,
        "task_id": task_id,
        "goal": goal,
        "text": words,
        "running": running,
    }


def pause_instruction(instruction_id: str, *, db: str | Path, actor: str = "owner") -> Any:
    """Stop firing a standing instruction (missed times are not made up on resume).

    Returns:
        The paused :class:`~housemind.scheduler.StandingInstruction`.

    Raises:
        InstructionRefused: ``actor`` may not edit the household's instructions.
        housemind.scheduler.UnknownInstructionError: no such instruction.
    """
    from housemind.scheduler import InstructionStore

    database = _open(db)
    try:
        store = InstructionStore(database.session)
        _check_editor("pause", store.get(instruction_id), database, actor)
        return store.pause(instruction_id)
    finally:
        database.close()


def delete_instruction(instruction_id: str, *, db: str | Path, actor: str = "owner") -> Any:
    """Forget a standing instruction (its past tasks stay in the record).

    Returns:
        The instruction as it was.

    Raises:
        InstructionRefused: ``actor`` may not edit the household's instructions.
        housemind.scheduler.UnknownInstructionError: no such instruction.
    """
    from housemind.scheduler import InstructionStore, UnknownInstructionError

    database = _open(db)
    try:
        store = InstructionStore(database.session)
        instr = store.get(instruction_id)
        _check_editor("delete", instr, database, actor)
        if not store.delete(instruction_id):  # deleted meanwhile by someone else
            raise UnknownInstructionError(instruction_id)
        return instr
    finally:
        database.close()


def _check_editor(action: str, instr: Any, database: Any, actor: str | None) -> None:
    """Refuse an edit by someone who may not edit (see ``safety.gate.gate_edit``)."""
    from housemind.safety.gate import gate_edit

    gate = gate_edit(action, instr.text, db=database, actor=actor, instruction_id=instr.id)
    if gate.denied:
        raise InstructionRefused(instr.text, gate.verdict.reasons, gate.verdict.rules)


def fact_sentence(subject: str, predicate: str, value: str) -> str:
    """A stored fact as the sentence the gate judges ("the knife belongs on the crib")."""
    words = predicate.replace("_", " ")
    return f"the {subject.replace('_', ' ')} {words} {value.replace('_', ' ')}".strip()


def gate_memory_import(
    data: Any, *, db: str | Path, actor: str = "owner", monitor: Any = None
) -> None:
    """Judge the facts of a memory export before ``memory import`` loads them.

    Facts steer what the robot does (where things belong, routines, preferences), so each
    is read as a sentence and passes the safety gate; one that is refused or needs approval
    stops the whole import (nothing is loaded) with the reason. Add such a fact by hand
    (``housemind instruct``) so a person can approve it.

    Raises:
        InstructionRefused: a fact the gate refuses or that needs approval.
    """
    from housemind.safety.gate import gate_instruction

    tables = data.get("tables") if isinstance(data, dict) else None
    rows = (tables or {}).get("facts") or []
    if not isinstance(rows, list) or not rows:
        return
    database = _open(db)
    try:
        for row in rows:
            if not isinstance(row, dict):
                continue
            sentence = fact_sentence(
                str(row.get("subject", "")),
                str(row.get("predicate", "")),
                str(row.get("value", "")),
            )
            gate = gate_instruction(
                sentence, db=database, actor=actor, source="import", monitor=monitor, request=False
            )
            if not gate.allowed:
                reasons = list(gate.verdict.reasons)
                if gate.needs_approval:
                    reasons.append(
                        "A fact that needs approval cannot be imported; tell it to the robot "
                        "with 'housemind instruct' so a person can approve it."
                    )
                raise InstructionRefused(sentence, reasons, gate.verdict.rules)
    finally:
        database.close()
