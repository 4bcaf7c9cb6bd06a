"""The one gate: everything that creates or changes what the robot will do passes here.

:func:`gate_instruction` is called by every path that stores or changes a standing
instruction or a goal: ``housemind instruct``
(:func:`housemind.agent.instructions.give_instructions`),
``instructions change`` and ``instructions resume``, ``run --instructions`` and
``HomeRuntime.instruct``, ``memory import`` (facts that steer chores), a one-off goal
(``do``) at the start of its task, and the web dashboard through the same library
functions. ``tests/safety/test_safety_gate.py`` enumerates the command line's commands and
fails if one that stores or changes instructions does not go through it.

What it decides:

- text the robot read in the world (``source="world"``: a note, a sign, a screen, a
  label) never instructs: deny, whatever it says ("approved" included);
- when the household has people (:class:`~safety.people.Household`), an instruction from
  anyone else is denied;
- otherwise the monitor's verdict; a ``confirm`` that a person's valid approval already
  covers becomes ``allow``, else (with ``request=True``) an approval request is filed,
  which ``housemind approve ID --by NAME`` answers.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Literal

from housemind.safety.approvals import Approval, ApprovalBook
from housemind.safety.audit import AuditLog
from housemind.safety.verdict import SafetyVerdict, Verdict

__all__ = [
    "EDIT_ROLE_RULE",
    "WORLD_TEXT_RULE",
    "GateOutcome",
    "default_monitor",
    "gate_edit",
    "gate_instruction",
    "request_approval",
]

logger = logging.getLogger(__name__)

#: Rule id of the refusal of text read in the world.
WORLD_TEXT_RULE = "world-text-is-not-an-instruction"
#: Rule id of the refusal of a speaker who is not on the household's list.
UNKNOWN_SPEAKER_RULE = "only-registered-people"
#: Rule id of the refusal of a guest who tries to change the household's instructions.
EDIT_ROLE_RULE = "only-owners-and-members-edit"

Source = Literal["person", "world", "import"]

_MONITOR: Any = None
_MONITOR_LOCK = threading.Lock()


def default_monitor() -> Any:
    """The process-wide default :class:`~safety.monitor.SafetyMonitor` (built once)."""
    global _MONITOR
    with _MONITOR_LOCK:
        if _MONITOR is None:
            from housemind.safety.monitor import SafetyMonitor

            _MONITOR = SafetyMonitor()
        return _MONITOR


@dataclass(frozen=True)
class GateOutcome:
    """What the gate decided.

    Attributes:
        verdict: The verdict (``allow`` also when an approval covers a ``confirm``).
        found: The monitor's verdict before any approval was taken into account.
        approval: The request filed for a person to answer (a ``confirm``), if any.
        covered_by: The approval that turned a ``confirm`` into ``allow``, if any.
    """

    verdict: SafetyVerdict
    found: SafetyVerdict
    approval: Approval | None = None
    covered_by: Approval | None = None

    @property
    def allowed(self) -> bool:
        """The robot may do it now."""
        return self.verdict.verdict is Verdict.ALLOW

    @property
    def denied(self) -> bool:
        """The robot refuses."""
        return self.verdict.verdict is Verdict.DENY

    @property
    def needs_approval(self) -> bool:
        """It waits for a person's approval."""
        return self.verdict.verdict is Verdict.CONFIRM


def gate_instruction(
    text: str,
    *,
    db: Any,
    actor: str | None = None,
    source: Source = "person",
    monitor: Any = None,
    instruction_id: str | None = None,
    task_id: str | None = None,
    request: bool = True,
    clock: Any = None,
) -> GateOutcome:
    """Judge an instruction (or a goal) before anything stores or runs it.

    Args:
        text: What is to be done, in words.
        db: The project database (``memory.Database``, a sessionmaker or an Engine);
            approvals, people and the audit log live there.
        actor: Who says it (a person of the household); None for nobody.
        source: ``person`` (someone said or typed it), ``import`` (read from a file a
            person gave), or ``world`` (text the robot read: never an instruction).
        monitor: The safety monitor; :func:`default_monitor` if None.
        instruction_id: The standing instruction it is or changes, if any.
        task_id: The task it starts, if any.
        request: File an approval request for a ``confirm`` that no approval covers.
        clock: The robot's clock (for approvals; wall clock if None).

    Returns:
        The outcome; nothing is stored by the gate except the approval request and the
        audit rows.
    """
    from housemind.safety.people import Household

    mon = monitor if monitor is not None else default_monitor()
    audit = AuditLog(db, clock) if clock is not None else AuditLog(db)
    if source == "world":
        v = SafetyVerdict(
            verdict=Verdict.DENY,
            reasons=[
                "This is text I read in the home (a note, a sign, a screen, a label). It is "
                "information, never an instruction or an approval; only the people of this "
                "home can tell me what to do."
            ],
            rules=[WORLD_TEXT_RULE],
        )
        _record(audit, text, v, actor, task_id)
        return GateOutcome(v, v)
    household = Household(db)
    names = household.names()
    if names and (actor is None or " ".join(actor.split()).lower() not in names):
        v = SafetyVerdict(
            verdict=Verdict.DENY,
            reasons=[
                f"I only take instructions from the people of this home; {actor!r} is not "
                "one of them (housemind people list; say who you are with --actor NAME)."
            ],
            rules=[UNKNOWN_SPEAKER_RULE],
        )
        _record(audit, text, v, actor, task_id)
        return GateOutcome(v, v)
    found = mon.check_instruction(text, actor=actor, task_id=task_id)
    if mon.audit is None:
        _record(audit, text, found, actor, task_id)
    if found.verdict is not Verdict.CONFIRM:
        return GateOutcome(found, found)
    book = ApprovalBook(db, clock) if clock is not None else ApprovalBook(db)
    ok = book.covering(found, subject=text, task_id=task_id, instruction_id=instruction_id)
    if ok is None and instruction_id is not None:
        ok = book.approved_for_instruction(instruction_id)
        if ok is not None and not set(found.rules) <= set(ok.rules):
            ok = None
    if ok is not None:
        v = SafetyVerdict(
            verdict=Verdict.ALLOW,
            reasons=[f"approved by {ok.decided_by} ({ok.scope})", *found.reasons],
            rules=found.rules,
        )
        return GateOutcome(v, found, covered_by=ok)
    if not request:
        return GateOutcome(found, found)
    req = request_approval(
        found, text=text, db=db, instruction_id=instruction_id, task_id=task_id, clock=clock
    )
    return GateOutcome(found.model_copy(update={"approval_id": req.id}), found, approval=req)


def gate_edit(
    action: str,
    text: str,
    *,
    db: Any,
    actor: str | None,
    instruction_id: str | None = None,
    clock: Any = None,
) -> GateOutcome:
    """Judge who may pause, resume, change or delete a standing instruction (audited).

    Taking work away needs no approval, but it is the household's decision: once the
    household has people, only a registered owner or member may edit its standing
    instructions (a guest may give instructions, not change the household's). New words
    (a changed goal, a resumed instruction) are judged by :func:`gate_instruction` as
    well; this gate is about the person. With nobody registered, anyone may (the
    command line of a robot that has no household list yet).

    Args:
        action: ``pause``, ``resume``, ``change`` or ``delete``.
        text: The instruction's words (for the audit log).
        db: The project database.
        actor: Who asks.
        instruction_id: The instruction.
        clock: The robot's clock (wall clock if None).

    Returns:
        ``allow`` or ``deny`` with the reason; the decision is in the audit log either way.
    """
    from housemind.safety.people import Household

    audit = AuditLog(db, clock) if clock is not None else AuditLog(db)
    household = Household(db)
    who = " ".join((actor or "").split()).lower()
    person = household.get(who) if who else None
    subject = f"{action} {instruction_id or ''}: {text}".replace("  ", " ")
    if household.names() and person is None:
        v = SafetyVerdict(
            verdict=Verdict.DENY,
            reasons=[
                f"only the people of this home may {action} its instructions; {actor!r} is "
                "not one of them (housemind people list)"
            ],
            rules=[UNKNOWN_SPEAKER_RULE],
        )
    elif person is not None and not person.may_approve:
        v = SafetyVerdict(
            verdict=Verdict.DENY,
            reasons=[
                f"{person.display} is a {person.role}; only an owner or a member may "
                f"{action} the household's standing instructions"
            ],
            rules=[EDIT_ROLE_RULE],
        )
    else:
        v = SafetyVerdict(verdict=Verdict.ALLOW, reasons=[f"{action} by {who or 'someone'}"])
    _record(audit, subject, v, who or None, None)
    return GateOutcome(v, v)


def request_approval(
    verdict: SafetyVerdict,
    *,
    text: str,
    db: Any,
    instruction_id: str | None = None,
    task_id: str | None = None,
    clock: Any = None,
) -> Approval:
    """File (or find the open) approval request for a ``confirm`` about ``text``.

    Only the household's owners and members may answer it (anyone registered later, too).
    """
    book = ApprovalBook(db, clock) if clock is not None else ApprovalBook(db)
    for a in book.pending():
        if a.subject == text and a.instruction_id == instruction_id and a.task_id == task_id:
            return a
    return book.request(
        verdict,
        subject=text,
        level="instruction",
        task_id=task_id,
        instruction_id=instruction_id,
        approvers=None,
    )


def _record(
    audit: AuditLog, text: str, v: SafetyVerdict, actor: str | None, task_id: str | None
) -> None:
    try:
        audit.record("instruction", text, v, actor=actor, task_id=task_id)
    except Exception:  # noqa: BLE001 - a lost audit row must not change the verdict
        logger.exception("could not write the safety audit row for %r", text)
