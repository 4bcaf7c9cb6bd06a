"""What each entry of a robot's action vector means, so the action guard limits the right ones.

Every env the executor drives sends continuous ``float32[action_dim]`` actions in
``[-1, 1]``, but the entries mean different things: HomeSim's are a mobile base's velocity
``[vx, vy, wz, grip, articulate, switch, use]``, Meta-World's arm moves its hand
``[dx, dy, dz, gripper]``. An env declares its :class:`ActionLayout` as the attribute
``action_layout`` (HomeSim and Meta-World do; an env without one is read as HomeSim's, as
before); the :class:`~safety.guard.ActionGuard` reads it every tick, so it never clamps an
arm's ``dz`` as a yaw rate or drives a hand's position into the home's keep-out zones.

The names follow LeRobot's feature names (one per entry), so a dataset recorded from the
env describes its actions the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "HOMESIM_ACTION_LAYOUT",
    "METAWORLD_ARM_LAYOUT",
    "ActionLayout",
    "ActionLayoutError",
]


class ActionLayoutError(ValueError):
    """An action layout that cannot be right (an index out of range, one used twice ...)."""


@dataclass(frozen=True)
class ActionLayout:
    """The meaning of each entry of an action vector (every entry lies in ``[-1, 1]``).

    Attributes:
        names: One name per entry (LeRobot-style), e.g. ``("dx", "dy", "dz", "gripper")``.
        base: Indices of a mobile base's ``(vx, vy, wz)``: forward and sideways velocity in
            the robot's frame and its turn rate; None for a robot that does not drive.
        linear_scale_mps: m/s that a base velocity entry of 1 means.
        angular_scale_rps: rad/s that a turn entry of 1 means.
        hand: Indices of the hand's (end effector's) velocity ``(dx, dy, dz)``; None for a
            robot without an arm the policy moves in Cartesian space.
        hand_scale_mps: m/s that a hand velocity entry of 1 means.
        hold_on_stop: Entries an emergency stop keeps as commanded instead of zeroing (a
            gripper whose zero means "let go": stopping must not drop what it holds).
        at_xy: Where a robot without a base stands, in the home's frame (m), to measure
            its distance to people; None: unknown (people anywhere in view count as near).
    """

    names: tuple[str, ...]
    base: tuple[int, int, int] | None = None
    linear_scale_mps: float = 0.8
    angular_scale_rps: float = 2.0
    hand: tuple[int, int, int] | None = None
    hand_scale_mps: float = 0.8
    hold_on_stop: tuple[int, ...] = ()
    at_xy: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        n = len(self.names)
        if n == 0:
            raise ActionLayoutError("an action layout needs at least one named entry")
        used: list[int] = []
        for label, idx in (
            ("base", self.base or ()),
            ("hand", self.hand or ()),
            ("hold_on_stop", self.hold_on_stop),
        ):
            for i in idx:
                if not 0 <= i < n:
                    raise ActionLayoutError(
                        f"{label} index {i} is outside the {n} entries {list(self.names)}"
                    )
            used += list(idx)
        if len(used) != len(set(used)):
            raise ActionLayoutError(
                f"an entry is used twice in base {self.base}, hand {self.hand}, "
                f"hold_on_stop {self.hold_on_stop}; each entry has one meaning"
            )
        if self.linear_scale_mps <= 0 or self.angular_scale_rps <= 0 or self.hand_scale_mps <= 0:
            raise ActionLayoutError(
                "scales must be > 0, got linear "
                f"{self.linear_scale_mps}, angular {self.angular_scale_rps}, "
                f"hand {self.hand_scale_mps}"
            )

    @property
    def dim(self) -> int:
        """How many entries an action has."""
        return len(self.names)


#: HomeSim: a mobile base (``vx``, ``vy`` = 1 is 0.8 m/s, ``wz`` = 1 is 2 rad/s) and its
#: interaction entries.
HOMESIM_ACTION_LAYOUT = ActionLayout(
    names=("vx", "vy", "wz", "grip", "articulate", "switch", "use"),
    base=(0, 1, 2),
    linear_scale_mps=0.8,
    angular_scale_rps=2.0,
)

#: Meta-World's Sawyer arm: the hand moves ``action * 1 cm`` per 12.5 ms step (so 1 is
#: 0.8 m/s), and the gripper's zero releases its grip.
METAWORLD_ARM_LAYOUT = ActionLayout(
    names=("dx", "dy", "dz", "gripper"),
    hand=(0, 1, 2),
    hand_scale_mps=0.8,
    hold_on_stop=(3,),
)
