"""Durable simulated runs (``housemind run``): one home, one database, one timeline.

The command line only parses options and prints; this module opens the home, adds the
instructions, resumes a killed run, extends a finished one and runs the chores.

**One timeline.** A simulated run and the household's standing instructions share one
clock. The rule: a new run starts at 06:00 on the day the household's earliest stored
instruction became active (in that instruction's time zone), so instructions given
with ``housemind instruct`` (which count from the wall clock, or ``--now``) fire in the
run from their first day. A run on a database with no instructions yet starts at
HomeSim's default start (Monday 2026-11-23 06:00 UTC), and instructions given with
``--instructions FILE`` become active at that moment.

**The household.** In a run, the simulated resident (``SimulatedResident``) answers
check-ins and, when home and awake, the robot's confirmation requests in person; shopping
chores order through HomeSim's grocery service (deliveries at the front door hours later).
The simulated people live the routine their people stated ("I wake up and go to work at
7", "I have lunch at 12:30": :func:`stated_routines`, ``sim.home.following``), from the
run's start, or from the start of the extension that was told it. See
``docs/household.md``.

**Durability and extension.** ``--days N`` means "run until N days after the run's
start". Running the same command again after a crash resumes the stored run; a larger
``--days`` on a finished run extends it (answers and approvals given in between are
picked up by the extension); a ``--days`` that the run already covered changes nothing
and says so.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from housemind.agent.planners import Planner

__all__ = [
    "RunError",
    "read_instruction_lines",
    "run_simulated",
    "stated_routines",
    "timeline_start",
]

log = logging.getLogger(__name__)

RUN_ID = "main"


class RunError(ValueError):
    """A run cannot start; the message says what to do."""


def read_instruction_lines(path: Path) -> list[str]:
    """The instructions of a file: one per line, blank lines and ``#`` comments skipped.

    Raises:
        RunError: if the file is missing or not text.
    """
    if not path.is_file():
        raise RunError(f"no such file: {path}")
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as e:
        raise RunError(f"cannot read {path}: {e}") from e
    return [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def timeline_start(database: Any) -> tuple[datetime, str] | None:
    """Where a new run's clock starts: 06:00 on the earliest instruction's first day.

    Returns:
        ``(start, time zone)``, or None when the database holds no instructions.
    """
    from housemind.scheduler import InstructionStore
    from housemind.scheduler._rrule import load_zone

    store = InstructionStore(database.session)
    firsts: list[tuple[datetime, str]] = []
    for instr, data in store.list_with_data(enabled=None):
        since = data.get("active_since")
        if since:
            firsts.append((datetime.fromisoformat(since), instr.timezone))
    if not firsts:
        return None
    when, tz = min(firsts, key=lambda p: p[0])
    local = when.astimezone(load_zone(tz))
    return local.replace(hour=6, minute=0, second=0, microsecond=0), tz


def _stored_run(database: Any) -> tuple[int, str] | None:
    """``(seed, home)`` of the run stored in ``database``, None if there is none."""
    from housemind.memory.models import RunRecord

    with database.session() as s:
        rec = s.get(RunRecord, RUN_ID)
        if rec is None:
            return None
        return int(rec.seed or 0), str((rec.world or {}).get("home", "apartment"))


def stated_routines(facts: Any, *, tz: str) -> dict[str, dict[int, Any]]:
    """What each person said of their days, as HomeSim's residents can live it.

    Args:
        facts: Memory's facts (``SymbolicMemory.facts()``).
        tz: The home's IANA time zone.

    Returns:
        ``{person: {weekday: sim.home.following.StatedDay}}`` for everyone who stated a
        wake, leave, come-home, bed or meal time, or that they work from home.
    """
    from housemind.scheduler.routines import HOME_PREDICATE, MEAL_PREDICATES, HouseholdRoutine
    from housemind.sim.home.following import StatedDay

    routine = HouseholdRoutine.from_facts(facts, tz=tz)
    meals = [(p.removeprefix("has_").removesuffix("_at"), p) for p in MEAL_PREDICATES]
    out: dict[str, dict[int, Any]] = {}
    for person in routine.people():
        days = {}
        for d in range(7):
            day = StatedDay(
                home=routine.minutes(person, HOME_PREDICATE, d) is not None,
                wake=routine.minutes(person, "wakes_at", d),
                away=routine.away(person, d),
                bed=routine.minutes(person, "goes_to_bed_at", d),
                meals=tuple(
                    (meal, m)
                    for meal, predicate in meals
                    if (m := routine.minutes(person, predicate, d)) is not None
                ),
            )
            if day != StatedDay():
                days[d] = day
        if days:
            out[person] = days
    return out


def _instruct(rt: Any, lines: list[str], *, now: Any, tz: str) -> list[str]:
    """Read the instructions as ``housemind instruct`` does and give them to the runtime.

    The file is one paragraph (a line per sentence or several sentences a line): the same
    paragraph parser (routines become facts, never chores; check-ins are placed when the
    person is home), each instruction checked by the runtime's safety monitor, facts told
    to memory. Returns the read-back sentences.

    Raises:
        RunError: a sentence was not understood (its question says what to say instead),
            or the safety monitor refused one.
    """
    from housemind.agent.runtime import InstructionDenied
    from housemind.scheduler import parse_paragraph, read_back, remember_facts
    from housemind.scheduler.readback import read_back_fact

    if not lines:
        return []
    known = rt.memory.symbolic.facts()
    result = parse_paragraph("\n".join(lines), now=now, tz=tz, speaker="owner",
                             routine_facts=known)  # fmt: skip
    if result.questions:
        raise RunError(
            "some instructions were not understood; rephrase them and run again:\n  "
            + "\n  ".join(result.questions)
        )
    try:
        stored = [rt.instruct(instr, actor="owner") for instr in result.instructions]
    except InstructionDenied as e:
        raise RunError(str(e)) from e
    remember_facts(rt.memory.symbolic, result.facts, told_by="owner")
    rt.scheduler.invalidate()  # the routine and constraints just told place the runs
    said = [
        read_back(i)
        if i.enabled
        else f"{read_back(i)} It waits for a person's approval ('housemind safety pending')."
        for i in stored
    ]
    return said + [read_back_fact(f) for f in result.facts] + [f"note: {n}" for n in result.notes]


def _check_same_run(stored: tuple[int, str], seed: int, home: str | None, where: str) -> None:
    if (stored[0], stored[1]) != (seed, home or stored[1]):
        raise RunError(
            f"{where} holds a run of home {stored[1]!r} with seed {stored[0]}; pass "
            f"--home {stored[1]} --seed {stored[0]} to resume or extend it, or use "
            "a new --db"
        )


def _both(
    first: Callable[[str, dict[str, Any]], None],
    second: Callable[[str, dict[str, Any]], None] | None,
) -> Callable[[str, dict[str, Any]], None]:
    """One event callback that calls ``first`` and then ``second`` (if any)."""

    def call(kind: str, payload: dict[str, Any]) -> None:
        first(kind, payload)
        if second is not None:
            second(kind, payload)

    return call


def run_simulated(
    db: str | Path,
    *,
    days: float = 7.0,
    seed: int = 0,
    home: str | None = None,
    instructions: list[str] | None = None,
    planner: str | Planner = "symbolic",
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
    lock_wait_s: float | None = 0.0,
    on_ready: Callable[[], None] | None = None,
    rerun: str | Path | None = None,
    policy: Any = None,
) -> dict[str, Any]:
    """Run the home in simulation until ``days`` after the run's start (see the module doc).

    Args:
        db: The project database: a SQLite file (created if new) or a database URL, e.g.
            ``postgresql+psycopg://user@host/housemind?home_id=flat_12`` (see
            ``housemind.memory.database_url``).
        days: Run until this many simulated days after the run's start.
        seed: HomeSim seed of a new run (a stored run must be resumed with its own).
        home: Floor plan of a new run (a stored run must be resumed with its own);
            the v1 apartment when None.
        instructions: Standing instructions to add before running (lines of one paragraph,
            read like ``housemind instruct``: the same paragraph parser and safety check).
        planner: Planner instance or spec (``"litellm:openai/gpt-4o-mini,symbolic"``).
        on_event: Live-view callback.
        lock_wait_s: If another runtime runs this home, wait this long for it to stop
            (None: as long as it takes), then raise ``HomeBusyError`` (0: at once).
        on_ready: Called once the home is open and its runtime set up, just before the
            run (a benchmark starts many homes together with it).
        rerun: Also log camera images, actions, plans and beliefs to this rerun.io
            recording (``.rrd``; ``agent.rerun_log``, the ``rerun`` extra).
        policy: System 1 policy override (``"vla"``, or skill -> backend); None: each
            skill's own backend.

    Returns:
        The run summary (``RunSummary.as_dict()`` plus ``read_back`` (how the instructions
        were read), ``seed``, ``home``, ``resumed``, ``extended``, ``started`` and
        ``until``).

    Raises:
        RunError: bad options, a run of another seed or home, or no instructions at all.
        housemind.agent.home_lock.HomeBusyError: another runtime runs this home.
    """
    from housemind.agent.runtime import HomeRuntime
    from housemind.memory import Database, MemoryStoreError, database_url, open_database
    from housemind.scheduler.clock import SimClock
    from housemind.sim.home import HomeSimEnv
    from housemind.sim.home.conversation import SimulatedResident
    from housemind.sim.home.env import DEFAULT_START
    from housemind.sim.home.grocery import HomeSimGrocery
    from housemind.sim.home.plans import plan_names
    from housemind.skills.policies.vla import camera_size_for

    if not (math.isfinite(days) and days > 0):
        raise RunError(f"--days must be a finite number of days, more than 0; got {days}")
    try:
        url = database_url(db)
        probe = Database(url)
    except MemoryStoreError as e:
        raise RunError(str(e)) from e
    probe.close()
    path = probe.sqlite_path
    where = str(path) if path is not None else probe.url  # a URL's password masked
    if path is not None and not path.parent.is_dir():
        raise RunError(f"cannot create {path}: the folder {path.parent} does not exist")
    if home is not None and home not in plan_names():
        raise RunError(f"unknown home {home!r}; homes: {', '.join(plan_names())}")
    try:
        database = open_database(url)
        try:
            anchor = timeline_start(database)
            stored = _stored_run(database)
        finally:
            database.close()
    except MemoryStoreError as e:
        raise RunError(str(e)) from e
    if stored is not None:
        _check_same_run(stored, seed, home, where)
        home = stored[1]
    start, tz = anchor if anchor is not None else (DEFAULT_START, "UTC")
    env = HomeSimEnv(
        SimClock(start, tz),
        seed=seed,
        home=home or "apartment",
        image_size=camera_size_for(policy),
    )
    robot, events, rr_log = env, on_event, None
    if rerun is not None:
        from housemind.agent.rerun_log import RerunLogger, RerunUnavailableError

        try:
            rr_log = RerunLogger(env, rerun)
        except (RerunUnavailableError, ValueError) as e:
            raise RunError(str(e)) from e
        robot, events = rr_log.env, _both(rr_log.on_event, on_event)
    resident = SimulatedResident(env, seed)
    try:
        rt = HomeRuntime(
            robot,
            env.clock,
            db_url=url,
            planner=planner,
            answerer=resident,
            approver=resident.approve,
            grocery=HomeSimGrocery(env),
            on_event=events,
            lock_wait_s=lock_wait_s,
            policy=policy,
        )
    except MemoryStoreError as e:
        if rr_log is not None:
            rr_log.close()
        raise RunError(str(e)) from e
    if rr_log is not None:
        rr_log.attach(rt)
    with rt, contextlib.ExitStack() as stack:
        if rr_log is not None:
            stack.callback(rr_log.close)
        if stored is None and (now_stored := _stored_run(rt.db)) is not None:
            # A standby that waited while the other runtime started the run: same checks.
            _check_same_run(now_stored, seed, env.home, where)
        status = rt.run_status(RUN_ID)
        if status is not None:
            rt.resume_run(RUN_ID)  # the simulated home as the last process left it
        started = rt.run_started(RUN_ID) if status is not None else env.clock.now()
        read = _instruct(rt, instructions or [], now=env.clock.now(), tz=str(env.clock.tz))
        # The simulated people live the routine their people stated (every start: a
        # resumed or extended run too, with what was told between runs).
        for note in env.follow_routines(
            stated_routines(rt.memory.symbolic.facts(), tz=str(env.clock.tz))
        ):
            log.info("simulated residents: %s", note)
        if not rt.instructions.list():
            raise RunError(
                f"{where} has no standing instructions; add them with --instructions FILE"
            )
        until = started + timedelta(days=days)
        covered = status == "finished" and until <= env.clock.now()
        if on_ready is not None:
            on_ready()
        summary = rt.summarize(until=until) if covered else rt.run_until(until, run_id=RUN_ID)
    out = summary.as_dict()
    out.update(
        read_back=read,
        seed=seed,
        home=env.home,
        resumed=status == "running",
        extended=status == "finished" and not covered,
        started=started.isoformat(),
        until=until.isoformat(),
    )
    if rr_log is not None:
        out["rerun"] = {"path": str(rr_log.path), **rr_log.counts}
    if covered:
        out["note"] = (
            f"this run already ran to {env.clock.now():%Y-%m-%d %H:%M}; pass a larger --days "
            "to extend it"
        )
    return out
