"""Meta-World's scripted expert policies as housemind :class:`~skills.policies.Policy` objects.

Meta-World ships one hand-written controller per task (``metaworld.policies``). Each reads
the full 39-D state (hand, objects, goal) and returns one action; the published experts solve
nearly every episode of most tasks (``docs/metaworld.md`` has the numbers measured here).
They are privileged demonstrators, like HomeSim's experts: their actions, recorded beside the
image and the 4-D state, are the training data of the built-in VLA, which never sees the
privileged state itself.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from housemind.sim.metaworld.env import MetaWorldEnv
    from housemind.skills.types import Observation

__all__ = ["MetaWorldExpert", "expert_policy"]

# The experts' proportional gains saturate the action on purpose (Meta-World clips it);
# their warning says so on nearly every step.
warnings.filterwarnings(
    "ignore", message=r"Constant\(s\) may be too high", module=r"metaworld\.policies"
)


def expert_policy(task: str) -> Any:
    """A new instance of Meta-World's scripted policy for ``task`` (a Meta-World name).

    Raises:
        KeyError: if Meta-World has no expert for ``task``.
    """
    from metaworld.policies import ENV_POLICY_MAP

    try:
        return ENV_POLICY_MAP[task]()
    except KeyError:
        raise KeyError(f"Meta-World has no scripted policy for {task!r}") from None


class MetaWorldExpert:
    """The scripted policy of ``env``'s task, one action per chunk.

    Chunks have one action because the controller is closed-loop: it must see the state
    after every step (the executor asks again at once).

    Args:
        env: The Meta-World env whose privileged state the expert reads.
    """

    def __init__(self, env: MetaWorldEnv) -> None:
        self.env = env
        self.task = env.task
        self._policy = expert_policy(env.task)

    def reset(self) -> None:
        """Nothing to forget: Meta-World's experts are stateless."""

    def act(self) -> np.ndarray:
        """The expert's action for the env's current state, ``float32[4]`` in ``[-1, 1]``."""
        a = self._policy.get_action(self.env.privileged_state())
        return np.clip(np.asarray(a, dtype=np.float32), -1.0, 1.0)

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        """``float32[1, 4]``: the next action (``obs`` is not needed: the expert is privileged)."""
        return self.act()[None, :]
