"""housemind-dusting: a third-party skill package for housemind.

It adds three things, all found through the ``housemind.skills`` entry point:

* a **skill**, ``dust``: "dust the {target} with the {tool}". Its preconditions and
  effects are facts, so housemind's symbolic planner plans with it as soon as it is
  registered: nothing in housemind names it;
* its **controller**, the ``duster`` policy backend: it faces the furniture and sweeps the
  held cloth over it, back and forth, with the robot's "use" action channel;
* a **chore method** (``methods/dusting.yaml``): the words "dust the shelf" become the goal
  ``dusted(shelf)`` and the cloth goes back where it belongs after.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from housemind.agent.planners.methods import register_methods
from housemind.skills import SkillParams, skill
from housemind.skills.policies import PolicyError, register_policy

__all__ = ["Dust", "DusterController"]

#: Half-width (rad) of one sweep of the cloth, and the turn command that makes it.
SWEEP_RAD = 0.3
TURN = 1.0
#: Radians a full turn command covers per control tick (HomeSim: 2 rad/s at 50 Hz).
RAD_PER_TICK = 0.04
CHUNK = 10


@skill(
    name="dust",
    template="dust the {target} with the {tool}",
    preconditions=["holding({tool})", "wiping_tool({tool})", "surface({target})", "near({target})"],
    effects=["dusted({target})", "wiped({target})", "not dirty({target})"],
    success=["wiped({target})"],  # what the robot sees: no dust left on it
    risk="low",
    timeout_s=60,
    policy="duster",
    description="Dust a piece of furniture with the held cloth or sponge.",
)
class Dust(SkillParams):
    """Dust the surface ``target`` with the held ``tool``."""

    target: str
    tool: str = "cloth"


class DusterController:
    """Face the furniture, then sweep the held cloth over it, left and right.

    It reads only the observation: the furniture's detected position and the robot's own
    pose. Action vector (HomeSim): ``[vx, vy, wz, grip, articulate, switch, use]``.
    """

    def __init__(self, target: str, tool: str) -> None:
        self.target, self.tool = target, tool
        self.reset()

    def reset(self) -> None:
        """Start a new sweep."""
        self.centre: float | None = None
        self.direction = 1.0

    def predict_chunk(self, obs: Any, instruction: str) -> np.ndarray:
        """The next ten actions."""
        p = obs.proprio
        if p.held != self.tool:
            raise PolicyError(f"hold the {self.tool} to dust with it (holding {p.held})")
        seen = obs.detection(self.target)
        if seen is None:
            raise PolicyError(f"I can't see the {self.target}; go to it first")
        out = np.zeros((CHUNK, 7), dtype=np.float32)
        out[:, 3] = 1.0  # keep holding the cloth
        if self.centre is None:
            want = math.atan2(seen.position[1] - p.y, seen.position[0] - p.x)
            # Facing the furniture within a few degrees is good enough to sweep.
            err = math.atan2(math.sin(want - p.theta), math.cos(want - p.theta))
            if abs(err) > 0.6:
                out[:, 2] = max(-1.0, min(1.0, err / (RAD_PER_TICK * CHUNK)))
                return out
            self.centre = p.theta
        theta = p.theta
        for k in range(CHUNK):
            off = math.atan2(math.sin(theta - self.centre), math.cos(theta - self.centre))
            if off * self.direction >= SWEEP_RAD:
                self.direction = -self.direction
            out[k, 2] = TURN * self.direction
            out[k, 6] = 1.0  # use: the cloth rubs the surface under it
            theta += TURN * self.direction * RAD_PER_TICK
        return out


@register_policy("duster")
def duster_policy(spec: Any, args: dict[str, Any], env: Any) -> DusterController:
    """The ``duster`` policy backend: a :class:`DusterController` for the skill's args."""
    return DusterController(args["target"], args.get("tool", "cloth"))


# The chore method that turns "dust the shelf" into goal facts.
register_methods(Path(__file__).parent / "methods")
