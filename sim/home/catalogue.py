"""What things are: the kinds of fixtures and objects HomeSim knows, with their properties.

A floor plan (:mod:`sim.home.plans`) names fixtures and objects by *kind*; everything the
simulator, the experts, the hazard checks and the task suite need to know about a kind
(can it be opened, does it heat, is it sharp, does it break, can it hold water) is looked
up here, so a new plan is data only. Properties are common sense, not physics: a knife is
sharp, a plate breaks, a fork is metal, eggs must not go in the microwave.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FIXTURE_KINDS",
    "OBJECT_KINDS",
    "FixtureKind",
    "ObjectKind",
    "fixture_kind",
    "object_kind",
]

ObjectCategory = Literal[
    "dish",
    "cutlery",
    "cookware",
    "food",
    "drink",
    "clothes",
    "linen",
    "toy",
    "personal",
    "medicine",
    "chemical",
    "plant",
    "trash",
    "recyclable",
    "cleaning",
    "electronics",
    "book",
]


@dataclass(frozen=True)
class FixtureKind:
    """A kind of furniture or appliance.

    Attributes:
        name: Kind name (``"stove"``).
        openable: Has a door or lid (``open`` state).
        switchable: Can be switched on and off.
        container: Objects go ``in`` it.
        surface: Objects go ``on`` it; surfaces get dirty and can be wiped.
        heat_c: Temperature (°C) it drives what is on/in it towards while on (0: none).
        water: A faucet: while on, containers held under it fill and dishes rinse.
        electrical: Powered from the mains (water near it is a hazard).
        cycle_s: Length of its programme (washer, dryer, dishwasher, microwave) while on.
        needs_closed: The programme runs only with the door closed.
        capacity_l: Liquid it holds itself (L), filled by pouring into it (a kettle); 0 if
            none.
        colour: Display colour (RGB).
    """

    name: str
    openable: bool = False
    switchable: bool = False
    container: bool = False
    surface: bool = False
    heat_c: float = 0.0
    water: bool = False
    electrical: bool = False
    cycle_s: float = 0.0
    needs_closed: bool = False
    capacity_l: float = 0.0
    colour: tuple[int, int, int] = (128, 128, 128)


@dataclass(frozen=True)
class ObjectKind:
    """A kind of movable object.

    Attributes:
        name: Kind name (``"plate"``).
        category: What sort of thing it is (see :data:`ObjectCategory`).
        can_be_dirty: Dirt makes sense (dishes, cookware, clothes, linen).
        washable_in: Where it gets clean: ``"sink"``/``"dishwasher"`` (dishes) or
            ``"washer"`` (clothes and linen); empty if it is not washed.
        sharp: Cuts (knives, scissors): keep away from people, children above all.
        breakable: Breaks if dropped or thrown (glass, ceramics, eggs).
        metal: Sparks in a microwave.
        microwave_unsafe: Must not be microwaved (metal, eggs in their shell, foil).
        capacity_l: Liquid it holds (L); 0 if it holds none.
        cookable: Cooks when hot enough, and burns if left.
        edible: Food or drink (spoils, is used up by residents).
        consumable: Has a quantity that is used up (milk, eggs, bread, detergent).
        foldable: Can be folded (clothes, towels, linen).
        wiping_tool: Wipes surfaces (sponge, cloth).
        flammable: Catches fire near a flame or a hot burner.
        toxic: Harmful if swallowed: keep away from children and food.
        perishable: Spoils when kept out of the fridge too long (milk, cheese).
        electrical: Battery or mains powered (water is bad for it).
        colour: Display colour (RGB).
    """

    name: str
    category: ObjectCategory
    can_be_dirty: bool = False
    washable_in: tuple[str, ...] = ()
    sharp: bool = False
    breakable: bool = False
    metal: bool = False
    microwave_unsafe: bool = False
    capacity_l: float = 0.0
    cookable: bool = False
    edible: bool = False
    consumable: bool = False
    foldable: bool = False
    wiping_tool: bool = False
    flammable: bool = False
    toxic: bool = False
    electrical: bool = False
    perishable: bool = False
    colour: tuple[int, int, int] = (128, 128, 128)


def _fk(name: str, colour: tuple[int, int, int], **kw) -> FixtureKind:
    return FixtureKind(name=name, colour=colour, **kw)


FIXTURE_KINDS: dict[str, FixtureKind] = {
    f.name: f
    for f in (
        _fk("fridge", (235, 235, 240), openable=True, container=True, electrical=True),
        _fk("freezer", (225, 235, 245), openable=True, container=True, electrical=True),
        _fk("counter", (150, 120, 90), surface=True),
        _fk("island", (160, 130, 100), surface=True),
        _fk("sink", (150, 170, 190), switchable=True, container=True, water=True),
        _fk("bathroom_sink", (170, 190, 205), switchable=True, container=True, water=True),
        _fk("stove", (70, 70, 70), switchable=True, surface=True, heat_c=250.0, electrical=True),
        _fk(
            "oven",
            (90, 90, 95),
            openable=True,
            switchable=True,
            container=True,
            heat_c=200.0,
            electrical=True,
        ),
        _fk(
            "microwave",
            (200, 200, 205),
            openable=True,
            switchable=True,
            container=True,
            electrical=True,
            cycle_s=120.0,
            needs_closed=True,
        ),
        _fk(
            "kettle",
            (180, 180, 190),
            openable=True,
            switchable=True,
            container=True,
            heat_c=100.0,
            electrical=True,
            capacity_l=1.7,
        ),
        _fk(
            "dishwasher",
            (205, 210, 215),
            openable=True,
            switchable=True,
            container=True,
            electrical=True,
            cycle_s=90 * 60.0,
            needs_closed=True,
        ),
        _fk(
            "washer",
            (220, 225, 230),
            openable=True,
            switchable=True,
            container=True,
            electrical=True,
            cycle_s=45 * 60.0,
            needs_closed=False,  # v1 washers ran open; HomeSim keeps that contract
        ),
        _fk(
            "dryer",
            (230, 230, 225),
            openable=True,
            switchable=True,
            container=True,
            electrical=True,
            cycle_s=60 * 60.0,
            needs_closed=True,
        ),
        _fk("cabinet", (170, 130, 90), openable=True, container=True),
        _fk("drawer", (180, 140, 100), openable=True, container=True),
        _fk("pantry", (165, 125, 85), openable=True, container=True),
        _fk("medicine_cabinet", (200, 200, 170), openable=True, container=True),
        _fk("cleaning_cupboard", (150, 150, 120), openable=True, container=True),
        _fk("table", (140, 100, 60), surface=True),
        _fk("desk", (150, 110, 70), surface=True),
        _fk("trash_bin", (90, 110, 90), container=True),
        _fk("recycling_bin", (60, 130, 200), container=True),
        _fk("bed", (120, 140, 200), surface=True),
        _fk("crib", (200, 200, 240), surface=True),
        _fk("nightstand", (160, 120, 80), surface=True),
        _fk("wardrobe", (130, 95, 65), openable=True, container=True),
        _fk("dresser", (140, 100, 70), surface=True),
        _fk("sofa", (170, 80, 80), surface=True),
        _fk("armchair", (180, 100, 90), surface=True),
        _fk("coffee_table", (130, 90, 60), surface=True),
        _fk("tv_stand", (60, 60, 70), surface=True, electrical=True),
        _fk("shelf", (110, 80, 50), surface=True),
        _fk("bookshelf", (120, 85, 55), surface=True),
        _fk("toy_box", (230, 170, 60), container=True),
        _fk("laundry_basket", (200, 190, 150), container=True),
        _fk("bathtub", (230, 240, 245), switchable=True, container=True, water=True),
        _fk("toilet", (245, 245, 245)),
        _fk("plant_stand", (100, 150, 90), surface=True),
        # The pet's bowl on its mat: it holds food (``fill``) that the pet eats.
        _fk("pet_bowl_mat", (220, 180, 140), surface=True, capacity_l=0.5),
        _fk("shoe_rack", (120, 110, 100), surface=True),
        _fk("front_door", (120, 70, 40), openable=True),
    )
}


def _ok(name: str, category: ObjectCategory, colour: tuple[int, int, int], **kw) -> ObjectKind:
    return ObjectKind(name=name, category=category, colour=colour, **kw)


_DISH = {"can_be_dirty": True, "washable_in": ("sink", "dishwasher")}
_CLOTH = {"can_be_dirty": True, "washable_in": ("washer",), "foldable": True}

OBJECT_KINDS: dict[str, ObjectKind] = {
    o.name: o
    for o in (
        # dishes
        _ok("plate", "dish", (250, 250, 250), breakable=True, **_DISH),
        _ok("bowl", "dish", (250, 220, 180), breakable=True, capacity_l=0.6, **_DISH),
        _ok("mug", "dish", (240, 60, 60), breakable=True, capacity_l=0.3, **_DISH),
        _ok("glass", "dish", (200, 230, 250), breakable=True, capacity_l=0.3, **_DISH),
        _ok("wine_glass", "dish", (210, 225, 245), breakable=True, capacity_l=0.2, **_DISH),
        # cutlery
        _ok("fork", "cutlery", (200, 200, 210), metal=True, microwave_unsafe=True, **_DISH),
        _ok("spoon", "cutlery", (205, 205, 215), metal=True, microwave_unsafe=True, **_DISH),
        _ok(
            "knife",
            "cutlery",
            (190, 190, 200),
            sharp=True,
            metal=True,
            microwave_unsafe=True,
            **_DISH,
        ),
        _ok("scissors", "personal", (170, 170, 180), sharp=True, metal=True, microwave_unsafe=True),
        # cookware
        _ok(
            "pot",
            "cookware",
            (40, 40, 40),
            metal=True,
            microwave_unsafe=True,
            capacity_l=3.0,
            **_DISH,
        ),
        _ok(
            "pan",
            "cookware",
            (55, 55, 60),
            metal=True,
            microwave_unsafe=True,
            capacity_l=1.0,
            **_DISH,
        ),
        _ok("cutting_board", "cookware", (200, 160, 110), **_DISH),
        _ok("baking_tray", "cookware", (120, 120, 125), metal=True, microwave_unsafe=True, **_DISH),
        _ok("watering_can", "cleaning", (60, 160, 90), capacity_l=2.0),
        # food and drink
        _ok("apple", "food", (200, 20, 30), edible=True),
        _ok("banana", "food", (250, 220, 50), edible=True),
        _ok("bread", "food", (210, 160, 90), edible=True, consumable=True, flammable=True),
        _ok(
            "eggs",
            "food",
            (250, 245, 225),
            edible=True,
            consumable=True,
            breakable=True,
            microwave_unsafe=True,
            cookable=True,
        ),
        _ok("pasta", "food", (240, 210, 130), edible=True, consumable=True, cookable=True),
        _ok("rice", "food", (245, 245, 235), edible=True, consumable=True, cookable=True),
        _ok("soup", "food", (200, 120, 60), edible=True, consumable=True, cookable=True),
        _ok("cheese", "food", (250, 210, 80), edible=True, consumable=True, perishable=True),
        _ok("cereal", "food", (220, 170, 90), edible=True, consumable=True, flammable=True),
        _ok("milk", "drink", (245, 245, 255), edible=True, consumable=True, perishable=True),
        _ok("juice", "drink", (250, 160, 40), edible=True, consumable=True),
        _ok("water_bottle", "drink", (150, 200, 250), edible=True, consumable=True),
        _ok("coffee", "food", (100, 60, 30), edible=True, consumable=True),
        _ok("tea", "food", (120, 150, 60), edible=True, consumable=True),
        _ok("pet_food", "food", (150, 100, 60), consumable=True),
        # clothes and linen
        _ok("shirt", "clothes", (60, 90, 220), flammable=True, **_CLOTH),
        _ok("socks", "clothes", (120, 60, 160), flammable=True, **_CLOTH),
        _ok("pants", "clothes", (40, 60, 120), flammable=True, **_CLOTH),
        _ok("sweater", "clothes", (150, 40, 60), flammable=True, **_CLOTH),
        _ok("towel", "linen", (60, 200, 200), flammable=True, **_CLOTH),
        _ok("bed_sheet", "linen", (230, 230, 250), flammable=True, **_CLOTH),
        _ok("dish_towel", "linen", (230, 120, 120), flammable=True, **_CLOTH),
        # toys
        _ok("toy", "toy", (255, 120, 0)),
        _ok("toy_car", "toy", (230, 40, 40)),
        _ok("teddy_bear", "toy", (170, 110, 60), flammable=True),
        _ok("blocks", "toy", (60, 180, 60)),
        _ok("ball", "toy", (250, 80, 160)),
        # personal things
        _ok("keys", "personal", (255, 200, 0), metal=True, microwave_unsafe=True),
        _ok("phone", "electronics", (30, 30, 40), electrical=True, microwave_unsafe=True),
        _ok("wallet", "personal", (90, 60, 40)),
        _ok("glasses", "personal", (100, 100, 140), breakable=True),
        _ok("remote", "electronics", (20, 20, 20), electrical=True),
        _ok("laptop", "electronics", (80, 80, 90), electrical=True, microwave_unsafe=True),
        _ok("book", "book", (160, 40, 120), flammable=True),
        _ok("newspaper", "recyclable", (200, 200, 190), flammable=True),
        # medicine and chemicals
        _ok("medicine", "medicine", (240, 240, 120), toxic=True, consumable=True),
        _ok("vitamins", "medicine", (240, 200, 120), toxic=True, consumable=True),
        _ok("bleach", "chemical", (240, 250, 255), toxic=True, consumable=True),
        _ok("detergent", "chemical", (80, 140, 240), toxic=True, consumable=True),
        _ok("dish_soap", "chemical", (120, 220, 120), toxic=True, consumable=True),
        _ok("glass_cleaner", "chemical", (120, 200, 250), toxic=True, consumable=True),
        # cleaning tools
        _ok("sponge", "cleaning", (250, 240, 60), wiping_tool=True),
        _ok("cloth", "cleaning", (200, 120, 200), wiping_tool=True, foldable=True),
        # plants
        _ok("plant", "plant", (40, 150, 60)),
        # trash and recycling
        _ok("banana_peel", "trash", (200, 180, 40)),
        _ok("food_scraps", "trash", (120, 100, 60)),
        _ok("tissue", "trash", (245, 245, 245), flammable=True),
        _ok("empty_can", "recyclable", (180, 180, 190), metal=True, microwave_unsafe=True),
        _ok("empty_bottle", "recyclable", (150, 210, 160), breakable=True),
        _ok("cardboard_box", "recyclable", (190, 150, 100), flammable=True),
    )
}


def _unknown(what: str, name: str, known: dict) -> KeyError:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f" — did you mean {close[0]!r}?" if close else ""
    return KeyError(f"unknown {what} kind {name!r}{hint} (see sim/home/catalogue.py)")


def fixture_kind(name: str) -> FixtureKind:
    """The :class:`FixtureKind` called ``name``.

    Raises:
        KeyError: naming the closest known kind.
    """
    try:
        return FIXTURE_KINDS[name]
    except KeyError:
        raise _unknown("fixture", name, FIXTURE_KINDS) from None


def object_kind(name: str) -> ObjectKind:
    """The :class:`ObjectKind` called ``name``.

    Raises:
        KeyError: naming the closest known kind.
    """
    try:
        return OBJECT_KINDS[name]
    except KeyError:
        raise _unknown("object", name, OBJECT_KINDS) from None
