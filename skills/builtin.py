"""The built-in household skills.

Moving and handling: navigate, pick, place, open, close, toggle. Chores with a held
object: fill (at a running faucet), pour, water (a plant), wash (at the sink), wipe (a
surface), load and unload (an appliance), fold, serve (pet food into the pet's bowl), add
(food into a pot or pan), brew (a hot drink from the kettle). Appliances and food that
take a while: run (an appliance's programme to its end), boil (the kettle), cook (food on
the heat until done). The floor: vacuum (a room). People: say (something to a person).

Importing this module registers them in :data:`skills.spec.REGISTRY`. Their argument names
are a contract with every policy backend (HomeSim's experts implement the same names):
``object`` is a movable thing, ``target`` a fixture (or, for navigate and pour, anything
named in the home). Preconditions and effects use the facts of :mod:`skills.types`; the
*static* facts they name (``movable(x)``, ``accepts_in(x)``, ``faucet(x)``, ``vessel(x)``...)
say what a thing is, and the planner takes them from the map of the home and common-sense
knowledge (``housemind.agent.knowledge``; the list is in ``docs/planning.md``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import computed_field

from housemind.skills.spec import SkillParams, skill

__all__ = [
    "Add",
    "Boil",
    "Brew",
    "Close",
    "Cook",
    "Fill",
    "Fold",
    "Load",
    "Navigate",
    "Open",
    "Pick",
    "Place",
    "Pour",
    "Run",
    "Say",
    "Serve",
    "Toggle",
    "Unload",
    "Vacuum",
    "Wash",
    "Water",
    "Wipe",
]


@skill(
    name="navigate",
    template="go to the {target}",
    effects=["not near(*)", "near({target})"],
    risk="low",
    timeout_s=90,
    description="Drive to a room, a piece of furniture, an object or a person.",
)
class Navigate(SkillParams):
    """Drive to a room, fixture, object or person (``target``)."""

    target: str


@skill(
    name="pick",
    template="pick up the {object}",
    preconditions=["movable({object})", "near({object})", "hand_empty"],
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
    preconditions=[
        "holding({object})",
        "near({target})",
        "accepts_{relation}({target})",
        "not closed({target})",
    ],
    effects=[
        "{relation}({object},{target})",
        "hand_empty",
        "not holding({object})",
        "not finished({target})",
    ],
    success=["{relation}({object},{target})", "hand_empty"],
    risk="low",
    timeout_s=30,
    description="Put the held object on a surface or in an open container within reach.",
)
class Place(SkillParams):
    """Put the held ``object`` on/in ``target`` (``relation``)."""

    object: str
    target: str
    relation: Literal["on", "in"] = "on"


@skill(
    name="open",
    template="open the {target}",
    preconditions=["openable({target})", "near({target})"],
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
    preconditions=["openable({target})", "near({target})"],
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
    preconditions=["switchable({target})", "near({target})"],
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
    preconditions=[
        "holding({object})",
        "vessel({object})",
        "faucet({target})",
        "near({target})",
        "switched_on({target})",
    ],
    effects=["filled({object})", "not empty({object})", "contains({object},water)"],
    success=["filled({object})"],
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
    preconditions=[
        "holding({object})",
        "filled({object})",
        "takes_liquid({target})",
        "not holding({target})",
        "near({target})",
    ],
    effects=[
        "empty({object})",
        "not filled({object})",
        "not contains({object},*)",
        "not empty({target})",
    ],
    success=["empty({object})"],
    risk="low",
    timeout_s=40,
    description="Pour out the held container into a pot, the kettle or the sink.",
)
class Pour(SkillParams):
    """Empty the held container ``object`` into ``target`` (an object or a fixture)."""

    object: str
    target: str


@skill(
    name="water",
    template="water the {target} with the {object}",
    preconditions=["holding({object})", "filled({object})", "plant({target})", "near({target})"],
    effects=[
        "watered({target})",
        "not dry({target})",
        "empty({object})",
        "not filled({object})",
        "not contains({object},*)",
    ],
    success=["watered({target})"],
    risk="low",
    timeout_s=40,
    description="Pour the held can of water over a plant's soil.",
)
class Water(SkillParams):
    """Water the plant ``target`` from the held, filled ``object`` (a watering can)."""

    object: str
    target: str


@skill(
    name="wash",
    template="wash the {object} at the {target}",
    preconditions=[
        "holding({object})",
        "dish({object})",
        "faucet({target})",
        "near({target})",
        "switched_on({target})",
    ],
    # What was left in it (a pan's burnt eggs) is scrubbed out with the dirt.
    effects=[
        "clean({object})",
        "not dirty({object})",
        "not contains({object},*)",
        "not cooked({object})",
        "not burnt({object})",
    ],
    risk="low",
    timeout_s=40,
    description="Scrub the held dish under the running faucet until it is clean and empty.",
)
class Wash(SkillParams):
    """Scrub the held ``object`` under the running faucet of ``target``."""

    object: str
    target: str = "sink"


@skill(
    name="wipe",
    template="wipe the {target} with the {tool}",
    preconditions=[
        "holding({tool})",
        "wiping_tool({tool})",
        "surface({target})",
        "near({target})",
    ],
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
    preconditions=["holding({object})", "appliance({target})", "near({target})", "open({target})"],
    effects=[
        "in({object},{target})",
        "hand_empty",
        "not holding({object})",
        "not finished({target})",
    ],
    success=["in({object},{target})", "hand_empty"],
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
    preconditions=[
        "appliance({target})",
        "near({target})",
        "open({target})",
        "in({object},{target})",
        "hand_empty",
    ],
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
    preconditions=[
        "holding({object})",
        "foldable({object})",
        "surface({target})",
        "near({target})",
    ],
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


@skill(
    name="serve",
    template="serve the {object} into the {target}",
    preconditions=[
        "holding({object})",
        "pet_food({object})",
        "pet_bowl({target})",
        "near({target})",
    ],
    effects=["filled({target})", "not empty({target})"],
    success=["filled({target})"],
    risk="low",
    timeout_s=40,
    description="Tip pet food from the held bag into the pet's bowl until it is full.",
)
class Serve(SkillParams):
    """Fill the pet bowl ``target`` from the held bag of pet food ``object``."""

    object: str
    target: str


@skill(
    name="add",
    template="add the {object} to the {target}",
    preconditions=[
        "holding({object})",
        "cookable({object})",
        "cookware({target})",
        "near({target})",
    ],
    effects=["contains({target},{object})", "not empty({target})"],
    risk="low",
    timeout_s=30,
    description="Tip a portion of the held food (pasta, rice, eggs) into a pot or pan.",
)
class Add(SkillParams):
    """Put a portion of the held food ``object`` into the pot or pan ``target``."""

    object: str
    target: str


@skill(
    name="brew",
    template="make {drink} in the {object} with the {target}",
    preconditions=[
        "holding({object})",
        "drink_vessel({object})",
        "not filled({object})",
        "kettle({target})",
        "boiled({target})",
        "near({target})",
    ],
    effects=["contains({object},{drink})", "filled({object})", "not empty({object})"],
    success=["contains({object},{drink})"],
    risk="medium",
    timeout_s=60,
    description="Make a cup of coffee or tea with boiled water from the kettle.",
)
class Brew(SkillParams):
    """Make ``drink`` in the held cup ``object`` with hot water from the kettle ``target``."""

    object: str
    target: str
    drink: Literal["coffee", "tea"] = "coffee"


@skill(
    name="run",
    template="run the {target}",
    preconditions=["programme({target})", "near({target})", "closed({target})"],
    effects=["finished({target})", "switched_off({target})", "not switched_on({target})"],
    success=["finished({target})"],
    risk="medium",
    timeout_s=3 * 3600,
    description="Start an appliance's programme (dishwasher, washer, dryer) and wait for its end.",
)
class Run(SkillParams):
    """Run the appliance ``target`` through its programme and wait until it is done."""

    target: str


@skill(
    name="boil",
    template="boil the water in the {target}",
    preconditions=["kettle({target})", "near({target})", "not empty({target})"],
    effects=["boiled({target})"],
    risk="medium",
    timeout_s=900,
    description="Switch the kettle on and wait until the water boils (it switches itself off).",
)
class Boil(SkillParams):
    """Boil the water in the kettle ``target``."""

    target: str


@skill(
    name="cook",
    template="cook the food in the {object} on the {target}",
    preconditions=[
        "on({object},{target})",
        "heater({target})",
        "switched_on({target})",
        "near({target})",
    ],
    effects=["cooked({object})"],
    risk="medium",
    timeout_s=3600,
    description="Watch the food in a pot or pan on the lit stove until it is done.",
)
class Cook(SkillParams):
    """Stay by the stove until the food in ``object`` on ``target`` is cooked, not burnt."""

    object: str
    target: str


@skill(
    name="vacuum",
    template="vacuum the {target}",
    preconditions=["room({target})", "near({target})", "hand_empty"],
    effects=["clean({target})", "not dirty({target})"],
    risk="low",
    timeout_s=900,
    description="Vacuum the floor of a room until it is clean.",
)
class Vacuum(SkillParams):
    """Vacuum the floor of the room ``target``."""

    target: str


@skill(
    name="say",
    template="say to {person}: {message}",
    preconditions=["near({person})"],
    effects=["told({person})"],
    risk="low",
    timeout_s=20,
    description="Say something to a person nearby (a reminder, a question, a warning).",
)
class Say(SkillParams):
    """Say ``message`` to ``person``, who must be within earshot."""

    person: str
    message: str
