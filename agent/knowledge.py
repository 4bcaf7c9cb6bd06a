"""Common-sense household knowledge the offline planner uses.

Where things belong when the home is tidy, and the words people use for places. This is
data, not simulator state: a real home overrides it through memory (preferences such as
"the keys go on the hook").
"""

from __future__ import annotations

__all__ = ["HOME_PLACES", "ROOM_WORDS", "home_place_kinds", "normalise"]

#: Object kind -> acceptable (fixture kind, relation) places, best first. The first one is
#: where tidying puts the object.
HOME_PLACES: dict[str, list[tuple[str, str]]] = {
    "mug": [("sink", "in"), ("cabinet", "in"), ("counter", "on"), ("dishwasher", "in")],
    "cup": [("sink", "in"), ("cabinet", "in"), ("counter", "on")],
    "glass": [("sink", "in"), ("cabinet", "in"), ("counter", "on")],
    "plate": [("sink", "in"), ("cabinet", "in"), ("counter", "on"), ("dishwasher", "in")],
    "bowl": [("sink", "in"), ("cabinet", "in"), ("counter", "on")],
    "fork": [("sink", "in"), ("drawer", "in"), ("counter", "on")],
    "spoon": [("sink", "in"), ("drawer", "in"), ("counter", "on")],
    "knife": [("counter", "on"), ("drawer", "in"), ("sink", "in")],
    "pot": [("stove", "on"), ("counter", "on"), ("cabinet", "in")],
    "pan": [("stove", "on"), ("counter", "on"), ("cabinet", "in")],
    "apple": [("counter", "on"), ("fridge", "in"), ("table", "on")],
    "banana": [("counter", "on"), ("table", "on")],
    "milk": [("fridge", "in")],
    "cheese": [("fridge", "in")],
    "eggs": [("fridge", "in")],
    "juice": [("fridge", "in")],
    "bread": [("counter", "on"), ("cabinet", "in")],
    "shirt": [("laundry_basket", "in"), ("wardrobe", "in"), ("bed", "on")],
    "sock": [("laundry_basket", "in"), ("wardrobe", "in")],
    "socks": [("laundry_basket", "in"), ("wardrobe", "in")],
    "sponge": [("sink", "in"), ("counter", "on")],
    "towel": [("laundry_basket", "in"), ("towel_rack", "on"), ("shelf", "on")],
    "book": [("shelf", "on"), ("bookshelf", "on"), ("coffee_table", "on"), ("nightstand", "on")],
    "magazine": [("coffee_table", "on"), ("shelf", "on")],
    "toy": [("toy_box", "in"), ("shelf", "on")],
    "ball": [("shelf", "on"), ("toy_box", "in")],
    "keys": [("shelf", "on"), ("key_hook", "on"), ("coffee_table", "on")],
    "phone": [("coffee_table", "on"), ("nightstand", "on"), ("shelf", "on")],
    "remote": [("coffee_table", "on"), ("sofa", "on"), ("shelf", "on")],
    "pillow": [("sofa", "on"), ("bed", "on")],
    "blanket": [("sofa", "on"), ("bed", "on")],
    "trash": [("trash_bin", "in")],
    "bottle": [("recycling_bin", "in"), ("trash_bin", "in")],
    "plant": [("shelf", "on"), ("table", "on")],
}

#: Words people use for rooms -> the home's room names.
ROOM_WORDS: dict[str, str] = {
    "lounge": "living_room",
    "sitting room": "living_room",
    "living room": "living_room",
    "kitchen": "kitchen",
    "bedroom": "bedroom",
    "bathroom": "bathroom",
    "hall": "hallway",
    "hallway": "hallway",
    "corridor": "hallway",
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
