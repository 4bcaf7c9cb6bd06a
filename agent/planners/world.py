"""What the symbolic planner believes about the home, from a :class:`PlanContext` only.

:class:`Beliefs` gathers the facts believed now (perception, remembered placements and
states, the static facts of the home), resolves the words of a chore to the names of
things (``"the plate 2"`` -> ``plate_2``, ``"the cupboard"`` -> ``cabinet``, ``"the
dishes"`` -> the dish kinds), knows where each thing belongs (the household's conventions
in memory first, then common sense) and where to look for something whose place is
unknown. It never sees a simulator's true state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from housemind.agent.knowledge import (
    CATEGORY_WORDS,
    FIXTURE_WORDS,
    HOME_PLACES,
    LIKELY_PLACES,
    OBJECT_CATEGORY,
    ROOM_WORDS,
    category_of,
    normalise,
)
from housemind.agent.planners.base import PlanContext, PlanningError, Subtask
from housemind.agent.planners.validate import believed_facts
from housemind.skills.types import parse_atom

__all__ = ["Beliefs", "Group", "Unknown", "name_stem"]

_ARTICLES = {"the", "a", "an", "my", "our", "your", "some", "his", "her", "their", "any"}
#: Words that describe a state, not a thing ("the dirty plate"); kept as a filter.
STATE_WORDS = {
    "dirty": "dirty",
    "clean": "clean",
    "wet": "wet",
    "dry": "dry",
    "folded": "folded",
    "used": "",
    "empty": "",
    "full": "",
    "used-up": "",
    "leftover": "",
}
#: Where a thing that is not trash and has no home of its own is kept, best first.
_KEEP_SURFACES = ("table", "counter", "coffee_table", "desk", "shelf", "dresser", "nightstand")
_NUMBERED = re.compile(r"^(?P<kind>[a-z_]+?)_(?P<n>\d+)$")


@dataclass(frozen=True)
class Group:
    """A group of things named by a word (``"the dishes"``): kinds, optionally a state."""

    word: str
    kinds: frozenset[str]
    state: str = ""
    one: bool = False  # "a clean mug": any one of them


@dataclass(frozen=True)
class Unknown:
    """A thing named in the chore that memory does not know yet (to be searched for)."""

    name: str
    kind: str
    missing_ok: bool = False  # not finding it is an answer: it goes on the shopping list


class Beliefs:
    """The planner's view of the home.

    Args:
        ctx: Memory and perception (never simulator state).
    """

    def __init__(self, ctx: PlanContext) -> None:
        self.ctx = ctx
        #: The steps this task has done so far (set by the planner on a replan): what it ran
        #: and cooked decides what is chosen anew and what counts as missing.
        self.done: list[Subtask] = []
        self.facts = believed_facts(ctx)
        self.kinds: dict[str, str] = dict(ctx.object_kinds)
        if ctx.held and ctx.held not in self.kinds:
            self.kinds[ctx.held] = _kind_of_name(ctx.held)
        self.places = dict(ctx.object_places)
        self.rooms = list(ctx.rooms)
        self.fixtures = dict(ctx.fixtures)
        self.missing = {parse_atom(f)[1][0] for f in ctx.facts if f.startswith("missing(")}

    # -- facts ------------------------------------------------------------------------

    def holds(self, fact: str) -> bool:
        """Whether ``fact`` is believed now."""
        return fact in self.facts

    def state_of(self, name: str, pred: str) -> bool | None:
        """True/False if ``pred(name)`` (or its opposite) is believed, None if unknown."""
        opposite = {"dirty": "clean", "clean": "dirty", "dry": "watered", "watered": "dry"}
        if f"{pred}({name})" in self.facts:
            return True
        if pred in opposite and f"{opposite[pred]}({name})" in self.facts:
            return False
        return None

    # -- things -----------------------------------------------------------------------

    def kind(self, name: str) -> str:
        """The kind of a known object, fixture or a guess from its name."""
        if name in self.kinds:
            return self.kinds[name]
        if name in self.fixtures:
            return self.fixtures[name].kind
        return _kind_of_name(name)

    def room_of(self, name: str) -> str | None:
        """The room a thing is believed in (fixtures: their room; rooms: themselves)."""
        if name in self.fixtures:
            return self.fixtures[name].room
        if name in self.rooms:
            return name
        if name in self.ctx.object_rooms:
            return self.ctx.object_rooms[name]
        place = self.places.get(name)
        if place in self.fixtures:
            return self.fixtures[place].room
        return place if place in self.rooms else None

    def where(self, name: str) -> str | None:
        """The place (fixture or room) an object is believed at; None if unknown/missing."""
        if name == self.ctx.held:
            return "robot"
        if name in self.missing:
            return None
        return self.places.get(name)

    def known_objects(self) -> list[str]:
        """Objects memory knows (sorted)."""
        return sorted(set(self.kinds) | set(self.places))

    def fixtures_of(self, *kinds: str, room: str | None = None) -> list[str]:
        """Fixtures of ``kinds`` (in the order of ``kinds``), optionally in ``room``."""
        out = []
        for k in kinds:
            for n in sorted(self.fixtures):
                f = self.fixtures[n]
                if f.kind == k and (room is None or f.room == room) and n not in out:
                    out.append(n)
        return out

    def relation_for(self, fixture: str, said: str = "") -> str:
        """``in`` or ``on`` for putting something on/in ``fixture``."""
        if said in ("in", "into", "inside", "in to"):
            return "in"
        if said in ("on", "onto"):
            return "on"
        info = self.fixtures.get(fixture)
        if info is not None and info.container and not info.surface:
            return "in"
        return "on"

    # -- where things belong --------------------------------------------------------------

    def home_of(self, name: str) -> tuple[str, str] | None:
        """``(relation, fixture)`` where ``name`` belongs when the home is tidy.

        The household's conventions in memory (``belongs_on``, per object or per kind)
        first; then common sense (:data:`agent.knowledge.HOME_PLACES`), preferring a
        fixture in the room the object is in. (Where a dirty dish goes after a meal is the
        chore's business: see the ``cleared`` goal of the chore methods.)
        """
        kind = self.kind(name)
        # Something people said is not trash never belongs in a bin (a correction).
        keep = name in self.ctx.not_trash or kind in self.ctx.not_trash
        said = self.ctx.home_places.get(name) or self.ctx.home_places.get(kind)
        if said and said in self.fixtures and not (keep and self._is_bin(said)):
            return self.relation_for(said), said
        room = self.room_of(name)
        for fx_kind, rel in HOME_PLACES.get(kind, []):
            cands = [c for c in self.fixtures_of(fx_kind) if not (keep and self._is_bin(c))]
            if not cands:
                continue
            same_room = [c for c in cands if self.fixtures[c].room == room]
            return rel, (same_room or cands)[0]
        if keep:  # no other home: keep it on a table or counter, near where it is
            cands = self.fixtures_of(*_KEEP_SURFACES)
            here = room or self.ctx.robot_room
            same_room = [c for c in cands if self.fixtures[c].room == here]
            if cands:
                return "on", (same_room or cands)[0]
        return None

    def _is_bin(self, fixture: str) -> bool:
        from housemind.agent.planners.corrections import is_bin

        return is_bin(fixture, self.ctx)

    def at_home(self, name: str) -> bool:
        """Whether ``name`` is believed where it belongs."""
        home = self.home_of(name)
        return home is not None and self.where(name) == home[1]

    # -- searching -------------------------------------------------------------------------

    def search_places(self, name: str) -> list[str]:
        """Places to look for ``name``, most likely first.

        Where it belongs and the strongest of memory's evidence first; then a look around
        the rooms where things of its kind are kept (a room's look around sees far more
        than a visit to one piece of furniture); then the kind's other usual places
        (cupboards to open); then every other room.
        """
        kind = self.kind(name)
        out: list[str] = []

        def add(p: str | None) -> None:
            if p and p not in out and (p in self.fixtures or p in self.rooms):
                out.append(p)

        for p in self.ctx.told_places.get(name, []):
            add(p)  # where a person said it is
        home = self.home_of(name)
        add(home[1] if home else None)  # where it belongs: where people put it back
        memory = [
            p
            for key in (name, kind, *name.split("_"))
            for p in self.ctx.search_candidates.get(key, [])
        ]
        for p in [m for m in memory if m in self.fixtures][:2]:
            add(p)
        usual = [
            f
            for fx_kind in (
                *(k for k, _ in HOME_PLACES.get(kind, [])),
                *LIKELY_PLACES.get(category_of(kind), ()),
            )
            for f in self.fixtures_of(fx_kind)
        ]
        usual += [p for p in memory if p in self.fixtures]
        score: dict[str, float] = {}
        for i, f in enumerate(usual):
            room = self.fixtures[f].room
            score[room] = score.get(room, 0.0) + 1.0 / (1 + i)
        if home is not None:
            score[self.fixtures[home[1]].room] = score.get(self.fixtures[home[1]].room, 0.0) + 1
        for room in sorted(score, key=lambda r: (-score[r], r)):
            add(room)
        for f in usual:
            add(f)
        for p in memory:
            add(p)
        for r in self.rooms:
            add(r)
        return out

    # -- words -> names --------------------------------------------------------------------

    def resolve_room(self, phrase: str) -> str:
        """A room of this home named by ``phrase`` ("the lounge" -> living_room).

        Raises:
            PlanningError: naming the home's rooms, for a room it does not have.
        """
        words = _strip(phrase)
        key = normalise(words)
        word = ROOM_WORDS.get(words, key)
        if word in self.rooms:
            return word
        for r in self.rooms:  # "bedroom" in a home whose bedroom is "main_bedroom"
            if r.endswith(word) or word.endswith(r) or r.startswith(word):
                return r
        stem = name_stem(words)  # "the kids' rooms" in a home with a "kids_room"
        for r in self.rooms:
            if name_stem(r) == stem:
                return r
        known = ", ".join(self.rooms) or "no rooms mapped yet"
        raise PlanningError(f"unknown room {words!r}; this home has: {known}")

    def resolve_fixtures(self, phrase: str, near: str | None = None) -> list[str]:
        """Fixtures named by ``phrase`` ("the stove", "the fridge door", "the cupboard").

        Args:
            phrase: Words naming one fixture or a kind of fixture.
            near: Prefer fixtures in this room when the phrase names a kind.

        Returns:
            Matching fixtures, best first (empty if none).
        """
        words = _strip(phrase)
        key = normalise(words)
        if key in self.fixtures:
            return [key]
        kinds: tuple[str, ...] = ()
        if words in FIXTURE_WORDS:
            kinds = FIXTURE_WORDS[words]
        elif any(f.kind == key for f in self.fixtures.values()):
            kinds = (key,)
        else:
            for n in sorted(self.fixtures, key=len, reverse=True):  # "the fridge door"
                if n in key.split("_") or key.endswith("_" + n) or key.startswith(n + "_"):
                    return [n]
            for w, ks in FIXTURE_WORDS.items():
                if key.startswith(normalise(w)) or key.endswith(normalise(w)):
                    kinds = ks
                    break
        out = self.fixtures_of(*kinds)
        if near is not None:
            out.sort(key=lambda n: self.fixtures[n].room != near)
        return out

    def resolve_fixture(self, phrase: str, near: str | None = None) -> str:
        """One fixture named by ``phrase``.

        Raises:
            PlanningError: naming the known fixtures, if none matches.
        """
        found = self.resolve_fixtures(phrase, near)
        if not found:
            raise PlanningError(
                f"unknown fixture {_strip(phrase)!r}; known: "
                f"{', '.join(sorted(self.fixtures)) or 'none mapped yet'}"
            )
        return found[0]

    def resolve_things(self, phrase: str) -> list[str | Group | Unknown]:
        """Objects named by ``phrase``: names, kinds, groups ("the dishes"), lists.

        ``"the book, toy and remote"`` -> three names; ``"a clean mug"`` -> a group of
        mugs in state clean; ``"the plate 2"`` -> ``plate_2`` (an :class:`Unknown` if
        memory has not seen it).
        """
        out: list[str | Group | Unknown] = []
        for part in split_list(phrase):
            out.append(self.resolve_thing(part))
        return out

    def resolve_thing(self, phrase: str) -> str | Group | Unknown:
        """One object (or group) named by ``phrase`` (see :meth:`resolve_things`)."""
        words = phrase.lower().strip().strip(".").split()
        plural_a = bool(words) and words[0] in ("a", "an", "any", "some")
        one = bool(words) and words[0] in ("a", "an")
        state = ""
        core = [w for w in words if w not in _ARTICLES]
        while core and core[0] in STATE_WORDS and len(core) > 1:
            cand = normalise(" ".join(core))
            if cand in OBJECT_CATEGORY or cand in self.kinds:
                break  # "empty can" is a kind, not an empty can
            state = STATE_WORDS[core[0]] or state
            core = core[1:]
        text = " ".join(core)
        key = normalise(text)
        if text in CATEGORY_WORDS:
            return Group(text, frozenset(kinds_of(CATEGORY_WORDS[text])), state, one)
        if key in self.kinds or key == self.ctx.held:
            return key
        m = _NUMBERED.match(key)
        if m:
            return Unknown(key, m["kind"])
        if (
            len(core) > 1
            and core[-1] in CATEGORY_WORDS
            and key not in OBJECT_CATEGORY
            and not any(normalise(w) in self.kinds or w in OBJECT_CATEGORY for w in core[:-1])
        ):
            # "the gym clothes", "the kids' toys": words saying which of a group no thing of
            # this home is known by (nothing tells gym clothes from other clothes). The
            # whole group, under the person's words; the chore says it did all of them.
            whole = core[-1]
            return Group(text, frozenset(kinds_of(CATEGORY_WORDS[whole])), state, one)
        singular = _singular(key)
        plural = key not in OBJECT_CATEGORY and singular != key and singular in OBJECT_CATEGORY
        kind = singular if plural else key
        if plural or plural_a:  # "the plates", "a clean mug": any of that kind
            return Group(text, frozenset({kind}), state, one and not plural)
        # "the plate": the one named so (the first of a kind is named after it; plate_2,
        # plate_3 are the others), found by searching if memory has not seen it yet.
        return Unknown(key, kind)

    def members(self, group: Group, *, where: Iterable[str] | None = None) -> list[str]:
        """Known objects of ``group`` (in its state, if it names one).

        Args:
            group: The group.
            where: Only objects at these places (fixtures or rooms).
        """
        places = set(where) if where is not None else None
        out = []
        for n in self.known_objects():
            if self.kinds.get(n) not in group.kinds or n == self.ctx.held:
                continue
            if group.state and self.state_of(n, group.state) is False:
                continue
            if group.state and self.state_of(n, group.state) is None and group.state != "clean":
                continue
            if places is not None:
                p = self.where(n)
                if p not in places and self.room_of(n) not in places:
                    continue
            out.append(n)
        return out


def kinds_of(groups: Iterable[str]) -> set[str]:
    """Object kinds of the categories (or kinds) ``groups``."""
    groups = set(groups)
    cats = set(OBJECT_CATEGORY.values())
    return {k for k, c in OBJECT_CATEGORY.items() if c in groups or k in groups} | {
        g for g in groups if g not in cats
    }


def split_list(phrase: str) -> list[str]:
    """``"the book, toy and remote"`` -> ``["the book", "toy", "remote"]``."""
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", phrase.strip())
    return [p.strip() for p in parts if p.strip()]


def _strip(phrase: str) -> str:
    return " ".join(w for w in phrase.lower().strip().split() if w not in _ARTICLES)


def _singular(key: str) -> str:
    if key.endswith("ies"):
        return key[:-3] + "y"
    if key.endswith("es") and key[:-2] in OBJECT_CATEGORY:
        return key[:-2]
    if key.endswith("s") and key[:-1] in OBJECT_CATEGORY:
        return key[:-1]
    return key


def _kind_of_name(name: str) -> str:
    m = _NUMBERED.match(name)
    return m["kind"] if m else name


def name_stem(name: str) -> str:
    """A name without articles, possessives and plurals ("kids' rooms", "kids_room": kid_room)."""
    words = [w for w in re.split(r"[\s_'’]+", name.lower()) if w and w != "the"]
    return "_".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)
