"""What ``housemind serve policy`` serves: a checkpoint, or HomeSim's experts.

:func:`load_served_policy` turns the ``--checkpoint`` argument into a
:class:`~housemind.skills.policies.serving.ServedPolicy`:

* a checkpoint folder (``config.json`` with a ``"type"`` + weights) loads through the
  checkpoint loaders (:func:`~housemind.skills.policies.serving.load_checkpoint_policy`;
  the built-in VLA registers its type there);
* ``homesim-experts`` serves HomeSim's privileged expert controllers. They read the true
  state of the home, so the client sends its simulator's state with every request (the
  server's metadata asks for ``housemind/sim_state``) and the server restores it into a
  HomeSim of its own before each chunk. The actions are the experts' own, so a chore run
  through the server ends as it would locally: it tests the whole wire path with a policy
  that succeeds.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import numpy as np

from housemind.skills.policies import wire
from housemind.skills.policies.base import PolicyError
from housemind.skills.policies.serving import (
    DEFAULT_OBSERVATION_KEYS,
    HousemindServedPolicy,
    ServedPolicy,
    load_checkpoint_policy,
)
from housemind.skills.types import Observation

__all__ = ["BUILTIN_POLICIES", "load_served_policy", "served_homesim_experts"]

#: Names ``--checkpoint`` accepts besides a checkpoint folder.
BUILTIN_POLICIES = ("homesim-experts",)


class _ServedExpert:
    """One session's HomeSim expert, acting in a server-side copy of the client's home."""

    def __init__(self, skill: str, args: dict[str, Any], request: dict[str, Any]) -> None:
        from housemind.scheduler import SimClock
        from housemind.sim.home import HomeSimEnv

        state = _sim_state(request)
        start = datetime.fromisoformat(state["clock_start"])
        self.env = HomeSimEnv(
            clock=SimClock(start, start.tzinfo or "UTC"),
            home=state.get("home", "apartment"),
            furniture_seed=state.get("furniture_seed"),
            render_mode=None,
        )
        self.env.set_state(state)
        # The experts plan chunks in ticks: step the copy at the client's rate.
        self.env.set_control_hz(float(state.get("control_hz", self.env.control_hz)))
        try:
            self.expert = self.env.expert(skill, args)
        except KeyError as e:
            raise PolicyError(str(e).strip("'\"")) from None

    def update_from_request(self, request: dict[str, Any]) -> None:
        self.env.set_state(_sim_state(request))

    def reset(self) -> None:
        self.expert.reset()

    @property
    def done(self) -> bool:
        return bool(getattr(self.expert, "done", True))

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        return self.expert.predict_chunk(obs, instruction)


def _sim_state(request: dict[str, Any]) -> dict[str, Any]:
    raw = request.get(wire.SIM_STATE)
    if not isinstance(raw, str):
        raise wire.WireError(
            f"the homesim-experts policy needs the simulator's state under {wire.SIM_STATE!r} "
            "(JSON text); connect with housemind's openpi backend to a HomeSim robot"
        )
    try:
        state = json.loads(raw)
    except json.JSONDecodeError as e:
        raise wire.WireError(f"{wire.SIM_STATE!r} is not valid JSON: {e}") from None
    if not isinstance(state, dict) or "clock_start" not in state:
        raise wire.WireError(f"{wire.SIM_STATE!r} is not a HomeSim state (HomeSimEnv.get_state)")
    return state


def served_homesim_experts() -> HousemindServedPolicy:
    """HomeSim's expert controllers as a served policy (see the module docstring)."""
    from housemind.sim.home.experts import ACTION_DIM

    # No fixed horizon: an expert's chunk is 0.2 s of ticks at the client's control rate.
    return HousemindServedPolicy(
        _ServedExpert,
        name="homesim-experts",
        action_dim=ACTION_DIM,
        action_horizon=None,
        observation_keys=(*DEFAULT_OBSERVATION_KEYS, wire.SIM_STATE),
    )


def load_served_policy(checkpoint: str) -> ServedPolicy:
    """The policy ``housemind serve policy --checkpoint CHECKPOINT`` serves.

    Args:
        checkpoint: ``homesim-experts`` or a checkpoint folder.

    Raises:
        ValueError: if ``checkpoint`` is neither (with what is accepted).
    """
    if checkpoint == "homesim-experts":
        return served_homesim_experts()
    try:
        return load_checkpoint_policy(checkpoint)
    except ValueError as e:
        raise ValueError(f"{e} (or give one of: {', '.join(BUILTIN_POLICIES)})") from None
