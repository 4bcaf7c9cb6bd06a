"""The built-in household skills: navigate, pick, place, open, close, toggle.

Importing this module registers them in :data:`skills.spec.REGISTRY`. Their argument names
are a contract with every policy backend (HomeSim's experts implement the same names).
"""

from __future__ import annotations

from typing import Literal

from pydantic import computed_field

from skills.spec import SkillParams, skill

__all__ = ["Close", "Navigate", "Open", "Pick", "Place", "Toggle"]


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
