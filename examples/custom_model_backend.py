"""Plug your own model into System 2: a model client, registered as a planner backend.

Anything that turns chat messages into a reply can plan for housemind: subclass
``BaseModelClient`` and implement ``_complete``; ``ModelPlanner`` does the rest (the
prompt with the goal, memory, skill catalogue, last outcomes and camera images; the JSON
schema of the reply; turning the reply into a plan). Register it with
``@register_planner`` and select it by name, alone or in a chain that falls back to the
symbolic planner. Every plan it makes is checked (preconditions and effects, names, goal
facts, the safety monitor) and a rejected one comes back to it with the reason.

``KeywordModel`` stands in for a real model (your inference server's client, an on-board
accelerator, ...): it reads the goal from the prompt and answers "open/close the X". Its
first plan forgets to drive to the fixture; the plan check rejects it, the reason comes
back in the conversation, and the second plan is right. A model served over HTTP needs no
code at all: ``--planner litellm:openai/<model> --api-base http://host:port/v1``. Run::

    python examples/custom_model_backend.py --json
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from pydantic import BaseModel

from housemind.agent.episodes import run_episode
from housemind.agent.llm import BaseModelClient
from housemind.agent.planners import ModelPlanner, make_planner, register_planner


class KeywordModel(BaseModelClient):
    """A toy model: plans 'open/close the <fixture>' from the prompt's text alone."""

    model = "keyword-model"

    def _complete(
        self,
        messages: list[dict[str, Any]],
        *,
        json_mode: bool,
        schema: type[BaseModel] | None = None,
    ) -> str:
        self._count(0, 0)  # a real client reports the tokens its server counted
        situation = _text(messages[1]["content"])
        goal = re.search(r"^Goal: (?:please )?(open|close) (?:the )?(\w+)", situation, re.M)
        if goal is None:
            return json.dumps({"steps": [], "cannot": "I only know how to open and close things"})
        verb, fixture = goal.groups()
        told = any("rejected" in _text(m["content"]) for m in messages[2:])
        steps = (
            []
            if not told
            else [
                {"skill": "navigate", "args": {"target": fixture}, "rationale": "get within reach"}
            ]
        )
        steps.append({"skill": verb, "args": {"target": fixture}, "rationale": f"{verb} it"})
        state = "open" if verb == "open" else "closed"
        return json.dumps(
            {
                "rationale": f"{verb} the {fixture}",
                "steps": steps,
                "goal_facts": [f"{state}({fixture})"],
            }
        )


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return " ".join(p.get("text", "") for p in content if p.get("type") == "text")


@register_planner("keyword-model")
def keyword_model_planner() -> ModelPlanner:
    """The planner backend: the model client inside a ModelPlanner."""
    return ModelPlanner(KeywordModel(), name="keyword-model", images=1)


def main(goal: str = "open the fridge", seed: int = 0) -> dict[str, Any]:
    """Run one chore with the custom backend first and the symbolic planner behind it."""
    planner = make_planner("keyword-model,symbolic")
    model = planner.backends[0].client
    result = run_episode(goal, seed=seed, planner=planner).as_dict()
    result["model_calls"] = model.usage["calls"]
    return result


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("goal", nargs="?", default="open the fridge")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    out = main(a.goal, seed=a.seed)
    if a.json:
        print(json.dumps(out))
    else:
        steps = ", ".join(s["text"] for s in out["subtasks"])
        print(f"{out['status']} by {out['planner']} in {out['model_calls']} model calls: {steps}")
