"""The built-in household skills.

Moving and handling: navigate, pick, place, open, close, toggle. Chores with a held
object: fill (at a running faucet), pour, wash (at the sink), wipe (a surface), load and
unload (an appliance), fold.

Importing this module registers them in :data:`skills.spec.REGISTRY`. Their argument names
are a contract with every policy backend (HomeSim's experts implement the same names):
``object`` is a movable thing, ``target`` a fixture (or, for navigate and pour, anything
named in the home). Preconditions and effects use the facts of :mod:`skills.types`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import computed_field

from housemind.skills.spec import SkillParams, skill

__all__ = [
    "Close",
    "Fill",
    "Fold",
    "Load",
    "Navigate",
    "Open",
    "Pick",
    "Place",
    "Pour",
    "Toggle",
    "Unload",
    "Wash",
    "Wipe",
]


@skill(
    name="navigate",
    template="go to the {target}",
    effects=["not near(*)", "near({target})"],
    risk="low",
    timeout_s=90,
    description="Drive to a room, a piece of furniture or an object.",
)
class Navigate(SkillParams):
    """Drive to a room, fixture or object (``target``)."""

    target: str


@skill(
    name="pick",
    template="pick up the {object}",
    preconditions=["near({object})", "hand_empty"],
    effects=["holding({object})", "not hand_empty", "not on({object},*)", "not in({object},*)"],
    risk="low",
    timeout_s=30,
    description="Grasp an object within reach.",
)
class Pick(SkillParams):
    """Grasp ``object``, which must be within reach."""

    object: str


@skill(
    name="place",
    template="put the {object} {relation} the {target}",
    preconditions=["holding({object})", "near({target})"],
    effects=["{relation}({object},{target})", "hand_empty", "not holding({object})"],
    risk="low",
    timeout_s=30,
    description="Put the held object on or in a fixture within reach.",
)
class Place(SkillParams):
    """Put the held ``object`` on/in ``target`` (``relation``)."""

    object: str
    target: str
    relation: Literal["on", "in"] = "on"


@skill(
    name="open",
    template="open the {target}",
    preconditions=["near({target})"],
    effects=["open({target})", "not closed({target})"],
    risk="low",
    timeout_s=20,
    description="Open a door, drawer or appliance within reach.",
)
class Open(SkillParams):
    """Open ``target``."""

    target: str


@skill(
    name="close",
    template="close the {target}",
    preconditions=["near({target})"],
    effects=["closed({target})", "not open({target})"],
    risk="low",
    timeout_s=20,
    description="Close a door, drawer or appliance within reach.",
)
class Close(SkillParams):
    """Close ``target``."""

    target: str


@skill(
    name="toggle",
    template="switch {state} the {target}",
    preconditions=["near({target})"],
    effects=["switched_{state}({target})", "not switched_{off_or_on}({target})"],
    risk="medium",
    timeout_s=20,
    description="Switch an appliance or the faucet on or off.",
)
class Toggle(SkillParams):
    """Switch ``target`` ``state`` ("on" or "off")."""

    target: str
    state: Literal["on", "off"] = "on"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def off_or_on(self) -> str:
        """The opposite state (used by the effect templates)."""
        return "off" if self.state == "on" else "on"


@skill(
    name="fill",
    template="fill the {object} with water at the {target}",
    preconditions=["holding({object})", "near({target})", "switched_on({target})"],
    effects=["filled({object})", "not empty({object})"],
    risk="low",
    timeout_s=60,
    description="Hold a container under a running faucet until it is full.",
)
class Fill(SkillParams):
    """Fill the held container ``object`` at the running faucet of ``target``."""

    object: str
    target: str = "sink"


@skill(
    name="pour",
    template="pour the {object} into the {target}",
    preconditions=["holding({object})", "near({target})"],
    effects=["empty({object})", "not filled({object})"],
    risk="low",
    timeout_s=40,
    description="Pour out the held container into a plant, a pot, the kettle or the sink.",
)
class Pour(SkillParams):
    """Empty the held container ``object`` into ``target`` (an object or a fixture)."""

    object: str
    target: str


@skill(
    name="wash",
    template="wash the {object} at the {target}",
    preconditions=["holding({object})", "near({target})", "switched_on({target})"],
    effects=["clean({object})", "not dirty({object})"],
    risk="low",
    timeout_s=40,
    description="Scrub the held dish under the running faucet until it is clean.",
)
class Wash(SkillParams):
    """Scrub the held ``object`` under the running faucet of ``target``."""

    object: str
    target: str = "sink"


@skill(
    name="wipe",
    template="wipe the {target} with the {tool}",
    preconditions=["holding({tool})", "near({target})"],
    effects=["wiped({target})", "not dirty({target})"],
    risk="low",
    timeout_s=40,
    description="Wipe a surface clean with the held sponge or cloth.",
)
class Wipe(SkillParams):
    """Wipe the surface ``target`` with the held wiping ``tool``."""

    target: str
    tool: str = "sponge"


@skill(
    name="load",
    template="load the {object} into the {target}",
    preconditions=["holding({object})", "near({target})", "open({target})"],
    effects=["in({object},{target})", "hand_empty", "not holding({object})"],
    risk="low",
    timeout_s=30,
    description="Put the held object into an open appliance (dishwasher, washer, oven...).",
)
class Load(SkillParams):
    """Put the held ``object`` into the open appliance ``target``."""

    object: str
    target: str


@skill(
    name="unload",
    template="take the {object} out of the {target}",
    preconditions=["near({target})", "open({target})", "in({object},{target})", "hand_empty"],
    effects=["holding({object})", "not hand_empty", "not in({object},{target})"],
    risk="low",
    timeout_s=30,
    description="Take an object out of an open appliance.",
)
class Unload(SkillParams):
    """Take ``object`` out of the open appliance ``target``."""

    object: str
    target: str


@skill(
    name="fold",
    template="fold the {object} on the {target}",
    preconditions=["holding({object})", "near({target})"],
    effects=[
        "folded({object})",
        "on({object},{target})",
        "hand_empty",
        "not holding({object})",
    ],
    risk="low",
    timeout_s=30,
    description="Fold the held garment or towel on a surface and leave it there.",
)
class Fold(SkillParams):
    """Fold the held ``object`` on the surface ``target`` and leave it there."""

    object: str
    target: str
