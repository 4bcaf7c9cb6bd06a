"""Record a stream of subtasks through the executor (``housemind record`` runs this).

Each :class:`RecordJob` names a robot (or simulator already set up), a bound skill and
what to store with the episode; :func:`record_jobs` runs each through an
:class:`~skills.executor.Executor` in lockstep with an :class:`~.recorder.EpisodeRecorder`
attached, so the recording is exactly what the executor applied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from housemind.skills.recording.recorder import EpisodeRecorder

if TYPE_CHECKING:
    from housemind.skills.executor import Executor
    from housemind.skills.policies.base import Policy
    from housemind.skills.recording.writer import LeRobotDatasetWriter
    from housemind.skills.spec import Skill
    from housemind.skills.types import RobotEnv

__all__ = ["RecordJob", "RecordSummary", "record_jobs"]


@dataclass
class RecordJob:
    """One subtask to record.

    Attributes:
        env: The robot or simulator, set up for the subtask.
        skill: The bound skill to execute.
        metadata: Stored with the episode (home, seed, ...).
        check: Whether the effect holds in the env's true state (a simulator's judge);
            the episode's ``success`` needs it as well as the executor's verdict.
    """

    env: RobotEnv
    skill: Skill
    metadata: dict[str, Any] = field(default_factory=dict)
    check: Callable[[Any], bool] | None = None


@dataclass
class RecordSummary:
    """What a recording did (the ``--json`` of ``housemind record``)."""

    episodes: int = 0
    frames: int = 0
    successes: int = 0
    per_skill: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "episodes": self.episodes,
            "frames": self.frames,
            "successes": self.successes,
            "per_skill": self.per_skill,
        }


def record_jobs(
    jobs: Iterable[RecordJob],
    writer: LeRobotDatasetWriter,
    *,
    rate_hz: float,
    source: str = "expert",
    policy_for: Callable[[Skill, RobotEnv], Policy] | None = None,
    on_episode: Callable[[dict[str, Any]], None] | None = None,
) -> RecordSummary:
    """Execute and record every job; the writer is flushed, not closed.

    Args:
        jobs: The subtasks.
        writer: The dataset.
        rate_hz: Control rate (the dataset's fps).
        source: Stored with each episode (who acted).
        policy_for: The policy backend (default: each skill's registered backend).
        on_episode: Called after each episode with what was stored (for progress).

    Raises:
        ValueError: if ``rate_hz`` differs from the dataset's fps.
    """
    from housemind.skills.executor import Executor

    if round(rate_hz) != writer.fps:
        raise ValueError(f"the dataset records at {writer.fps} fps, not {rate_hz:g} Hz")
    summary = RecordSummary()
    executors: dict[int, tuple[Executor, EpisodeRecorder]] = {}
    try:
        for job in jobs:
            pair = executors.get(id(job.env))
            if pair is None:
                rec = EpisodeRecorder(writer, job.env, source=source)
                ex = Executor(job.env, rate_hz=rate_hz, policy_for=policy_for, observers=[rec])
                pair = executors[id(job.env)] = (ex.start(), rec)
            ex, rec = pair
            env, check = job.env, job.check
            rec.metadata = dict(job.metadata)
            rec.judge = lambda out, env=env, check=check: out.ok and (check is None or check(env))
            ex.run(job.skill)
            if rec.last is None:
                continue
            summary.episodes += 1
            summary.frames += rec.last["length"]
            summary.successes += int(rec.last["success"])
            per = summary.per_skill.setdefault(job.skill.spec.name, {"episodes": 0, "successes": 0})
            per["episodes"] += 1
            per["successes"] += int(rec.last["success"])
            if on_episode is not None:
                on_episode(rec.last)
    finally:
        for ex, _ in executors.values():
            ex.close()
        writer.flush()
    return summary
