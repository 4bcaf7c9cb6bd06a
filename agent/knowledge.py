"""Common-sense household knowledge the offline planner uses.

What kinds of things are (a mug holds water, a sponge wipes, a shirt folds), where things
belong when the home is tidy, and the words people use for places and groups of things.
This is data, not simulator state: a real home overrides it through memory (preferences
such as "the keys go on the hook", told by the household or learned by watching).

:func:`static_facts` turns it, with the map of the home (rooms and fixtures) and the kinds
of the objects memory knows, into the *static facts* of the planning domain (``room(x)``,
``movable(x)``, ``accepts_in(sink)``, ``vessel(mug)``...): the type facts that skill
preconditions name. The list of static predicates is in ``docs/planning.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "CATEGORY_WORDS",
    "FIXTURE_TRAITS",
    "FIXTURE_WORDS",
    "HOME_PLACES",
    "LIKELY_PLACES",
    "LIQUID_TAKING_TRAITS",
    "OBJECT_CATEGORY",
    "OBJECT_TRAITS",
    "ROOM_WORDS",
    "STATIC_PREDICATES",
    "category_of",
    "home_place_kinds",
    "kinds_in",
    "normalise",
    "static_facts",
]

#: Object kind -> acceptable (fixture kind, relation) places, best first, for a *clean*
#: object when the home is tidy. The first one the home has is where tidying puts it;
#: the household's own conventions (memory's ``belongs_on`` facts) come before it.
HOME_PLACES: dict[str, list[tuple[str, str]]] = {
    "plate": [("cabinet", "in"), ("counter", "on")],
    "bowl": [("cabinet", "in"), ("counter", "on")],
    "mug": [("cabinet", "in"), ("island", "on"), ("counter", "on")],
    "cup": [("cabinet", "in"), ("counter", "on")],
    "glass": [("cabinet", "in"), ("counter", "on")],
    "wine_glass": [("cabinet", "in"), ("table", "on")],
    "fork": [("drawer", "in"), ("cabinet", "in")],
    "spoon": [("drawer", "in"), ("cabinet", "in")],
    "knife": [("drawer", "in"), ("cabinet", "in")],
    "scissors": [("desk", "on"), ("drawer", "in")],
    "pot": [("stove", "on"), ("cabinet", "in"), ("counter", "on")],
    "pan": [("stove", "on"), ("cabinet", "in"), ("counter", "on")],
    "cutting_board": [("counter", "on"), ("cabinet", "in")],
    "baking_tray": [("oven", "in"), ("cabinet", "in")],
    "apple": [("table", "on"), ("counter", "on"), ("fridge", "in")],
    "banana": [("table", "on"), ("counter", "on")],
    "bread": [("counter", "on"), ("island", "on"), ("pantry", "in"), ("cabinet", "in")],
    "milk": [("fridge", "in")],
    "cheese": [("fridge", "in")],
    "eggs": [("fridge", "in")],
    "juice": [("fridge", "in")],
    "soup": [("fridge", "in"), ("pantry", "in")],
    "butter": [("fridge", "in")],
    "pasta": [("pantry", "in"), ("cabinet", "in")],
    "rice": [("pantry", "in"), ("cabinet", "in")],
    "cereal": [("pantry", "in"), ("cabinet", "in")],
    "coffee": [("pantry", "in"), ("counter", "on"), ("cabinet", "in")],
    "tea": [("pantry", "in"), ("counter", "on"), ("cabinet", "in")],
    "pet_food": [("pet_bowl_mat", "on"), ("pantry", "in")],
    "water_bottle": [("desk", "on"), ("shelf", "on"), ("fridge", "in")],
    "shirt": [("laundry_basket", "in"), ("wardrobe", "in"), ("dresser", "on")],
    "socks": [("laundry_basket", "in"), ("wardrobe", "in"), ("dresser", "on")],
    "sock": [("laundry_basket", "in"), ("wardrobe", "in")],
    "pants": [("wardrobe", "in"), ("dresser", "on"), ("laundry_basket", "in")],
    "sweater": [("wardrobe", "in"), ("dresser", "on"), ("laundry_basket", "in")],
    "bed_sheet": [("wardrobe", "in"), ("laundry_basket", "in")],
    "towel": [("laundry_basket", "in"), ("towel_rack", "on"), ("shelf", "on")],
    "dish_towel": [("counter", "on"), ("drawer", "in")],
    "sponge": [("sink", "in"), ("counter", "on")],
    "cloth": [("cleaning_cupboard", "in"), ("counter", "on")],
    "watering_can": [("cleaning_cupboard", "in"), ("counter", "on")],
    "dish_soap": [("counter", "on"), ("cleaning_cupboard", "in")],
    "bleach": [("cleaning_cupboard", "in")],
    "detergent": [("cleaning_cupboard", "in")],
    "glass_cleaner": [("cleaning_cupboard", "in")],
    "medicine": [("medicine_cabinet", "in")],
    "vitamins": [("medicine_cabinet", "in")],
    "book": [("bookshelf", "on"), ("shelf", "on"), ("nightstand", "on"), ("coffee_table", "on")],
    "magazine": [("coffee_table", "on"), ("shelf", "on")],
    "newspaper": [("coffee_table", "on"), ("recycling_bin", "in")],
    "toy": [("toy_box", "in"), ("shelf", "on")],
    "toy_car": [("toy_box", "in"), ("shelf", "on")],
    "teddy_bear": [("toy_box", "in"), ("bed", "on")],
    "blocks": [("toy_box", "in")],
    "ball": [("toy_box", "in"), ("shelf", "on")],
    "keys": [("shoe_rack", "on"), ("key_hook", "on"), ("dresser", "on"), ("shelf", "on")],
    "wallet": [("dresser", "on"), ("shelf", "on"), ("shoe_rack", "on")],
    "glasses": [("nightstand", "on"), ("dresser", "on")],
    "phone": [("nightstand", "on"), ("coffee_table", "on"), ("shelf", "on")],
    "remote": [("coffee_table", "on"), ("tv_stand", "on"), ("sofa", "on")],
    "laptop": [("desk", "on"), ("coffee_table", "on")],
    "pillow": [("sofa", "on"), ("bed", "on")],
    "blanket": [("sofa", "on"), ("bed", "on")],
    "plant": [("plant_stand", "on"), ("shelf", "on"), ("table", "on")],
    "trash": [("trash_bin", "in")],
    "banana_peel": [("trash_bin", "in")],
    "food_scraps": [("trash_bin", "in")],
    "tissue": [("trash_bin", "in")],
    "bottle": [("recycling_bin", "in"), ("trash_bin", "in")],
    "empty_can": [("recycling_bin", "in")],
    "empty_bottle": [("recycling_bin", "in")],
    "cardboard_box": [("recycling_bin", "in")],
}

#: Object kind -> category (what sort of thing it is; the words for groups use these).
OBJECT_CATEGORY: dict[str, str] = {
    **dict.fromkeys(("plate", "bowl", "mug", "cup", "glass", "wine_glass"), "dish"),
    **dict.fromkeys(("fork", "spoon", "knife"), "cutlery"),
    **dict.fromkeys(("pot", "pan", "cutting_board", "baking_tray"), "cookware"),
    **dict.fromkeys(
        (
            "apple",
            "banana",
            "bread",
            "eggs",
            "pasta",
            "rice",
            "soup",
            "cheese",
            "cereal",
            "coffee",
            "tea",
            "butter",
        ),
        "food",
    ),
    **dict.fromkeys(("milk", "juice", "water_bottle"), "drink"),
    "pet_food": "pet_food",
    **dict.fromkeys(("shirt", "socks", "sock", "pants", "sweater"), "clothes"),
    **dict.fromkeys(("towel", "bed_sheet", "dish_towel"), "linen"),
    **dict.fromkeys(("toy", "toy_car", "teddy_bear", "blocks", "ball"), "toy"),
    **dict.fromkeys(("keys", "wallet", "glasses", "scissors"), "personal"),
    **dict.fromkeys(("phone", "remote", "laptop"), "electronics"),
    **dict.fromkeys(("book", "magazine"), "book"),
    **dict.fromkeys(("medicine", "vitamins"), "medicine"),
    **dict.fromkeys(("bleach", "detergent", "dish_soap", "glass_cleaner"), "chemical"),
    **dict.fromkeys(("sponge", "cloth", "watering_can"), "cleaning"),
    "plant": "plant",
    **dict.fromkeys(("banana_peel", "food_scraps", "tissue", "trash"), "trash"),
    **dict.fromkeys(
        ("empty_can", "empty_bottle", "newspaper", "cardboard_box", "bottle"), "recyclable"
    ),
}

#: Object kind -> traits the planning domain names as static facts (``vessel(mug)``).
#: ``vessel``: holds water; ``dish``: washed by hand at a sink; ``washable``: goes in the
#: washing machine; ``wiping_tool``: wipes surfaces; ``foldable``; ``plant``; ``cookable``:
#: cooked in a pot or pan; ``pet_food``; ``coffee``/``tea``: makes a hot drink.
OBJECT_TRAITS: dict[str, frozenset[str]] = {}


def _trait(trait: str, kinds: Iterable[str]) -> None:
    for k in kinds:
        OBJECT_TRAITS[k] = OBJECT_TRAITS.get(k, frozenset()) | {trait}


_trait("vessel", ("pot", "pan", "mug", "cup", "glass", "wine_glass", "bowl", "watering_can"))
_trait(
    "dish",
    (
        "plate",
        "bowl",
        "mug",
        "cup",
        "glass",
        "wine_glass",
        "fork",
        "spoon",
        "knife",
        "pot",
        "pan",
        "cutting_board",
        "baking_tray",
    ),
)
_trait(
    "washable", ("shirt", "socks", "sock", "pants", "sweater", "towel", "bed_sheet", "dish_towel")
)
_trait(
    "foldable", ("shirt", "socks", "sock", "pants", "sweater", "towel", "bed_sheet", "dish_towel")
)
_trait("wiping_tool", ("sponge", "cloth"))
_trait("plant", ("plant",))
_trait("cookable", ("eggs", "pasta", "rice", "soup"))
_trait("pet_food", ("pet_food",))
_trait("coffee", ("coffee",))
_trait("tea", ("tea",))
_trait("drink_vessel", ("mug", "cup", "glass"))
_trait("cookware", ("pot", "pan"))

#: Fixture kind -> traits named as static facts. ``faucet``: running water; ``appliance``:
#: loaded and unloaded (``load``/``unload``); ``programme``: runs a cycle when switched on
#: (``run``); ``heater``: cooks what is on it; ``kettle``: boils water; ``pet_bowl``: a
#: pet eats from it; ``door``: an outside door.
FIXTURE_TRAITS: dict[str, frozenset[str]] = {
    "sink": frozenset({"faucet"}),
    "bathroom_sink": frozenset({"faucet"}),
    "bathtub": frozenset({"faucet"}),
    "dishwasher": frozenset({"appliance", "programme"}),
    "washer": frozenset({"appliance", "programme"}),
    "dryer": frozenset({"appliance", "programme"}),
    "microwave": frozenset({"appliance", "programme"}),
    "oven": frozenset({"appliance", "heater"}),
    "stove": frozenset({"heater"}),
    "kettle": frozenset({"kettle"}),
    "pet_bowl_mat": frozenset({"pet_bowl"}),
    "front_door": frozenset({"door"}),
}

#: Traits of what a liquid can be poured into (``takes_liquid``): a sink drains it, a kettle
#: or a vessel holds it, a plant's soil soaks it up. Never a cabinet or a shelf.
LIQUID_TAKING_TRAITS: frozenset[str] = frozenset({"faucet", "kettle", "vessel", "plant"})

#: Static predicates of the planning domain (documented in docs/planning.md).
STATIC_PREDICATES: frozenset[str] = frozenset(
    {
        "room",
        "fixture",
        "movable",
        "person",
        "openable",
        "switchable",
        "container",
        "surface",
        "accepts_in",
        "accepts_on",
        "takes_liquid",
        *(t for ts in FIXTURE_TRAITS.values() for t in ts),
        *(t for ts in OBJECT_TRAITS.values() for t in ts),
    }
)

#: Object category -> fixture kinds where things of it are often found, most likely first
#: (where to look for a thing besides where it belongs).
LIKELY_PLACES: dict[str, tuple[str, ...]] = {
    "dish": ("sink", "dishwasher", "table", "counter", "coffee_table", "cabinet", "desk"),
    "cutlery": ("sink", "dishwasher", "drawer", "table", "counter"),
    "cookware": ("stove", "sink", "dishwasher", "counter", "cabinet", "oven"),
    "food": ("fridge", "pantry", "counter", "table", "cabinet", "island"),
    "drink": ("fridge", "counter", "table", "pantry"),
    "clothes": ("laundry_basket", "washer", "dryer", "bed", "sofa", "wardrobe", "dresser"),
    "linen": ("laundry_basket", "washer", "dryer", "bathtub", "bed", "wardrobe", "shelf"),
    "toy": ("toy_box", "sofa", "bed", "shelf"),
    "personal": ("shoe_rack", "dresser", "table", "shelf", "nightstand", "desk", "sofa"),
    "electronics": ("coffee_table", "sofa", "nightstand", "desk", "table"),
    "book": ("bookshelf", "shelf", "nightstand", "coffee_table", "sofa", "bed"),
    "medicine": ("medicine_cabinet", "nightstand", "table", "counter"),
    "chemical": ("cleaning_cupboard", "counter", "bathroom_sink"),
    "cleaning": ("sink", "cleaning_cupboard", "counter"),
    "plant": ("plant_stand", "shelf", "table"),
    "trash": ("counter", "table", "coffee_table", "nightstand", "desk"),
    "recyclable": ("counter", "table", "coffee_table", "recycling_bin"),
    "pet_food": ("pet_bowl_mat", "pantry", "cabinet"),
}

#: Words people use for rooms -> the home's room names (or room kinds).
ROOM_WORDS: dict[str, str] = {
    "lounge": "living_room",
    "sitting room": "living_room",
    "living room": "living_room",
    "family room": "living_room",
    "front room": "living_room",
    "kitchen": "kitchen",
    "bedroom": "bedroom",
    "main bedroom": "bedroom",
    "master bedroom": "bedroom",
    "bathroom": "bathroom",
    "hall": "hallway",
    "hallway": "hallway",
    "corridor": "hallway",
    "kids room": "kids_room",
    "kid's room": "kids_room",
    "kids' room": "kids_room",
    "children's room": "kids_room",
    "nursery": "kids_room",
    "laundry room": "laundry",
    "utility room": "laundry",
    "entrance": "entry",
    "entryway": "entry",
}

#: Words people use for fixtures -> fixture kinds, best first.
FIXTURE_WORDS: dict[str, tuple[str, ...]] = {
    "cupboard": ("cabinet", "pantry"),
    "cupboards": ("cabinet", "pantry"),
    "kitchen cupboard": ("cabinet",),
    "larder": ("pantry",),
    "refrigerator": ("fridge",),
    "bin": ("trash_bin",),
    "trash": ("trash_bin",),
    "trash can": ("trash_bin",),
    "garbage": ("trash_bin",),
    "garbage can": ("trash_bin",),
    "rubbish bin": ("trash_bin",),
    "recycling": ("recycling_bin",),
    "recycling bin": ("recycling_bin",),
    "washing machine": ("washer",),
    "tumble dryer": ("dryer",),
    "drier": ("dryer",),
    "hob": ("stove",),
    "cooker": ("stove",),
    "burner": ("stove",),
    "burners": ("stove",),
    "tap": ("sink", "bathroom_sink", "bathtub"),
    "taps": ("sink", "bathroom_sink", "bathtub"),
    "water": ("sink", "bathroom_sink", "bathtub"),
    "running water": ("sink", "bathroom_sink", "bathtub"),
    "faucet": ("sink",),
    "kitchen sink": ("sink",),
    "couch": ("sofa",),
    "settee": ("sofa",),
    "dining table": ("table",),
    "kitchen table": ("table",),
    "closet": ("wardrobe",),
    "bookcase": ("bookshelf", "shelf"),
    "hamper": ("laundry_basket",),
    "laundry hamper": ("laundry_basket",),
    "toy chest": ("toy_box",),
    "door": ("front_door",),
    "pet bowl": ("pet_bowl_mat",),
    "cat bowl": ("pet_bowl_mat",),
    "dog bowl": ("pet_bowl_mat",),
    "bowl mat": ("pet_bowl_mat",),
    "bedside table": ("nightstand",),
    "night stand": ("nightstand",),
    "chest of drawers": ("dresser",),
    "worktop": ("counter",),
    "countertop": ("counter",),
    "kitchen counter": ("counter",),
    "tv stand": ("tv_stand",),
}

#: Words for groups of things -> object categories or kinds (``"dishes"`` -> dishes and
#: cutlery).
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "dishes": ("dish", "cutlery", "cookware"),
    "dish": ("dish", "cutlery", "cookware"),
    "crockery": ("dish",),
    "cutlery": ("cutlery",),
    "silverware": ("cutlery",),
    "pots": ("cookware",),
    "groceries": ("food", "drink"),
    "shopping": ("food", "drink"),
    "food": ("food",),
    "drinks": ("drink",),
    "fruit": ("apple", "banana"),
    "toys": ("toy",),
    "clothes": ("clothes",),
    "laundry": ("clothes", "linen"),
    "washing": ("clothes", "linen"),
    "linen": ("linen",),
    "towels": ("towel",),
    "trash": ("trash",),
    "rubbish": ("trash",),
    "garbage": ("trash",),
    "recycling": ("recyclable",),
    "recyclables": ("recyclable",),
    "empties": ("recyclable",),
    "plants": ("plant",),
    "books": ("book",),
    "medicine": ("medicine",),
    "medicines": ("medicine",),
    "pills": ("medicine",),
    "chemicals": ("chemical",),
    "cleaning products": ("chemical",),
}


def normalise(phrase: str) -> str:
    """Lower-case, strip articles and punctuation, join words with ``_``."""
    words = [
        w
        for w in phrase.lower().replace("-", " ").split()
        if w not in ("the", "a", "an", "my", "our", "your", "some")
    ]
    return "_".join("".join(ch for ch in w if ch.isalnum() or ch == "_") for w in words)


def home_place_kinds(kind: str) -> list[tuple[str, str]]:
    """Acceptable ``(fixture kind, relation)`` places for an object kind, best first."""
    return HOME_PLACES.get(kind, [])


def category_of(kind: str) -> str:
    """The category of an object kind (``"dish"``), or ``""`` if unknown."""
    return OBJECT_CATEGORY.get(kind, "")


def kinds_in(groups: Iterable[str]) -> set[str]:
    """Object kinds of categories or kinds named in ``groups``."""
    groups = set(groups)
    return {k for k, c in OBJECT_CATEGORY.items() if c in groups or k in groups} | {
        g for g in groups if g not in set(OBJECT_CATEGORY.values())
    }


def static_facts(
    rooms: Iterable[str],
    fixtures: Mapping[str, Any],
    object_kinds: Mapping[str, str],
    people: Iterable[str] = (),
) -> set[str]:
    """The static facts of a home: what each room, fixture and object *is*.

    Args:
        rooms: Room names.
        fixtures: Fixture name -> info with ``kind``, ``openable``, ``switchable``,
            ``container``, ``surface`` (``agent.planners.FixtureInfo`` or a dict).
        object_kinds: Movable object name -> kind.
        people: Names of people (reminders are said to them).

    Returns:
        Facts such as ``room(kitchen)``, ``accepts_in(sink)``, ``faucet(sink)``,
        ``takes_liquid(kettle)``,
        ``movable(mug)``, ``vessel(mug)``, ``person(alex)``.
    """
    out = {f"room({r})" for r in rooms}
    for name, info in fixtures.items():
        get = info.get if isinstance(info, Mapping) else lambda k, d=None, i=info: getattr(i, k, d)
        out.add(f"fixture({name})")
        for flag in ("openable", "switchable", "container", "surface"):
            if get(flag, False):
                out.add(f"{flag}({name})")
        if get("container", False) and "kettle" not in FIXTURE_TRAITS.get(get("kind", ""), ()):
            # A kettle holds water, not things: never somewhere to put the mug down.
            out.add(f"accepts_in({name})")
        if get("surface", False):
            out.add(f"accepts_on({name})")
        traits = FIXTURE_TRAITS.get(get("kind", ""), frozenset())
        for trait in traits:
            out.add(f"{trait}({name})")
        if traits & LIQUID_TAKING_TRAITS:
            out.add(f"takes_liquid({name})")
    for name, kind in object_kinds.items():
        out.add(f"movable({name})")
        traits = OBJECT_TRAITS.get(kind, frozenset())
        for trait in traits:
            out.add(f"{trait}({name})")
        if traits & LIQUID_TAKING_TRAITS:
            out.add(f"takes_liquid({name})")
    out |= {f"person({p})" for p in people}
    return out
