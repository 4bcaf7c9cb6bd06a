"""A custom System 2 planner backend, registered by name and selected by name.

``PatrolPlanner`` plans one kind of goal, "look around the home", from the map in memory:
a visit to every room, as a ``Plan`` of registered skills. Every plan it makes still goes
through the runtime's plan validator (preconditions and effects) and the safety monitor
before anything moves. Run::

    python examples/custom_planner.py --json
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from housemind.agent.planners import (
    Plan,
    PlanContext,
    PlanningError,
    Subtask,
    get_planner,
    register_planner,
)
from housemind.agent.runtime import HomeRuntime
from housemind.scheduler import parse_instruction
from housemind.sim.home import HomeSimEnv


@register_planner("patrol")
class PatrolPlanner:
    """Plans 'look around the home': visit every room, the robot's own room last.

    Each visit ends with the navigation skill's look around, so memory learns where
    things are. A planner only has to return registered skills with their arguments.
    """

    name = "patrol"

    def plan(self, goal: str, context: PlanContext) -> Plan:
        """Plan ``goal`` from the context (the home's map in memory), or say why not."""
        words = goal.lower().strip().rstrip(".")
        if "look around" not in words and "patrol" not in words:
            raise PlanningError(f"the patrol planner only plans 'look around', not {goal!r}")
        if not context.rooms:
            raise PlanningError("I have no map of this home yet")
        rooms = sorted(context.rooms, key=lambda r: r == context.robot_room)
        steps = [
            Subtask(skill="navigate", args={"target": room}, text=f"go to the {room}")
            for room in rooms
        ]
        return Plan(
            goal=goal,
            subtasks=steps,
            goal_facts=[f"near({rooms[-1]})"],  # the robot ends in the last room
            rationale=f"visit {len(rooms)} rooms and look around in each",
            backend=self.name,
        )

    def replan(
        self,
        goal: str,
        context: PlanContext,
        *,
        done: list[Subtask],
        failed: Subtask | None,
        reason: str,
    ) -> Plan:
        """Visit the rooms not visited yet."""
        plan = self.plan(goal, context)
        seen = {s.args["target"] for s in done}
        plan.subtasks = [s for s in plan.subtasks if s.args["target"] not in seen]
        return plan


def main(seed: int = 0) -> dict[str, Any]:
    """Run one simulated morning with the custom planner selected by name."""
    env = HomeSimEnv(seed=seed)
    env.reset(seed=seed)
    start = env.clock.now()
    with (
        tempfile.TemporaryDirectory() as tmp,
        HomeRuntime(
            env,
            env.clock,
            db_url=f"sqlite:///{Path(tmp) / 'home.db'}",
            planner=get_planner("patrol"),
        ) as rt,
    ):
        rt.instruct(
            parse_instruction(
                "look around the home every day at 7:00",
                now=start,
                tz=str(env.clock.tz),
            ),
            actor="owner",
        )
        summary = rt.run_until(start + timedelta(hours=4)).as_dict()
        known = len(rt.memory.spatial.known_objects())
    summary["objects_known"] = known
    summary["planner"] = rt.planner.name
    return summary


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    out = main(seed=a.seed)
    print(json.dumps(out) if a.json else f"{out['planner']}: {out['chores_done']} chores done")
