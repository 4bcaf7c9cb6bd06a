"""The library of chore methods: how chore words become goal facts and their order.

A chore method is data (one YAML list per category in this folder): the phrasings it
understands, what its slots are (things, a place, a room, a person...), how to choose
things nobody named ("the dirty dishes on the table"), which rooms to look around first,
and its goal as ordered *stages* of facts (wash, then dry, then fold). The planner turns
each stage into a PDDL problem over the skills' preconditions and effects. The format and
how to add a method are in ``docs/planning.md``.

:func:`load_methods` reads the built-in files and any extra folders (a plug-in's own
methods); each is validated here, at the edge, so a typo fails with the file and method
named, not in the middle of a chore.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from housemind._yaml import load_yaml
from housemind.agent.planners.language import Pattern

__all__ = [
    "Method",
    "MethodError",
    "Recipes",
    "Selector",
    "Variant",
    "load_methods",
    "recipes",
    "register_methods",
    "registered_methods_dirs",
]


SlotType = Literal[
    "things", "thing", "place", "fixture", "fixtures", "room", "person", "text", "word"
]
#: Slot names whose type is implied (others must be listed under ``slots``).
DEFAULT_SLOT_TYPES: dict[str, str] = {
    "things": "things",
    "thing": "thing",
    "place": "place",
    "fixture": "fixture",
    "fixtures": "fixtures",
    "room": "room",
    "person": "person",
    "message": "text",
}


class MethodError(ValueError):
    """A chore method file that cannot be read (the message names the file and method)."""


class Selector(BaseModel):
    """How to choose things for a slot nobody named (or named by a group word).

    Attributes:
        kinds: Object kinds or categories (``dish``, ``toy``) to choose from.
        state: Only things believed in this state (``dirty``, ``dry``, ``clean``).
        at: Only things at these places: fixture kinds, ``floor`` (a room's floor),
            ``"{room}"`` (anywhere in the slot's room).
        not_home: Only things that are not where they belong.
        limit: At most this many.
        one: Choose one (the first by preference).
        prefer: Kinds in order of preference (a watering can before a mug).
        search: When nothing is known, look for one of ``prefer`` (or ``kinds``).
        besides: Slots whose things are not chosen (an idle pan, not the pot to cook in).
        optional: Nothing to choose is normal (things cleared out of the way first, if
            there are any): no note for people.
        empty: Only things not believed to hold anything (a cup for a fresh drink: one
            still holding yesterday's coffee would make the chore look done with nothing
            made). When each one known holds something, a full one is poured out first.
        until_run: Fixture kinds: once this task has run one of them (the washer), no new
            things are chosen; what was found since waits for the next time (one load of
            laundry per chore, not a second one into the night).
    """

    model_config = ConfigDict(extra="forbid")

    kinds: list[str] = Field(default_factory=list)
    state: str = ""
    at: list[str] = Field(default_factory=list)
    not_home: bool = False
    limit: int = 8
    one: bool = False
    prefer: list[str] = Field(default_factory=list)
    search: bool = False
    besides: list[str] = Field(default_factory=list)
    optional: bool = False
    empty: bool = False
    until_run: list[str] = Field(default_factory=list)


class Variant(BaseModel):
    """An alternative body of a method, chosen by what the home has."""

    model_config = ConfigDict(extra="forbid")

    when: dict[str, list[str]] = Field(default_factory=dict)  # {"has": [...], "lacks": [...]}
    stages: list[list[str]] | None = None
    use: list[str] | None = None
    select: dict[str, Selector] | None = None
    restore: list[str] | None = None
    look: list[str] | None = None


class Method(BaseModel):
    """One chore method (see the module docstring and ``docs/planning.md``).

    Attributes:
        name: Unique name.
        doc: What it does, for people.
        say: Phrasings (patterns with ``{slot}``, ``[optional]``, ``(a|b)``).
        slots: Types of slots whose names do not imply one.
        slot_kinds: Fixture kinds (or traits such as ``faucet``) a fixture slot must be
            of; a phrasing whose fixture is of another kind is left to other methods
            ("wash the shirt in the washer" is not washing up).
        defaults: A slot's words when the phrasing does not give them (``sink: sink``).
        needs: Fixture kinds the home must have for the method to apply.
        look: Rooms to look around before choosing things (``"{room}"``, ``kitchen``), or
            fixtures to look at from their front (``front_door``).
        observe: Slots whose fixtures must be seen before planning, when memory does not
            know whether they are open (closing a door nobody has seen: look at it first).
        select: How to choose things for a slot (see :class:`Selector`).
        use: Fixture or object kinds the plan may use besides those named (a sink to fill
            a pot at, the kettle).
        stages: Goal facts, stage by stage; ``home(x)`` means "where x belongs" and
            ``at(x,p)`` "on or in p", both closed after if they can be; ``not f`` makes
            ``f`` false.
        goal: A single stage (shorthand for ``stages: [goal]``).
        restore: Slots whose things go back where they belong at the end (tools).
        bind: Values of skill parameters no fact mentions (``say: {message: ...}``).
        requires: Slot -> an object kind the home must have (else: missing, added to the
            shopping list).
        checks: ``[thing, place]`` pairs to look for (missing ones go on the shopping list).
        orders: Order the shopping list (the runtime hands it to the grocery service).
        statement: The clause names things for the next one ("find the keys and ...",
            "the milk is empty: ..."); its goal counts only when no clause follows.
        names_things: The clause only lists things ("...: milk, eggs"): after a colon it
            fills the ``things`` of the clause before.
        recipe: A meal or dish word (``"{meal}"``) looked up in ``_recipes.yaml``; it
            fills the slots ``food``, ``vessel`` and ``liquid``.
        variants: Alternatives chosen by what the home has (the first that applies).
    """

    model_config = ConfigDict(extra="forbid")

    name: str
    doc: str = ""
    say: list[str]
    slots: dict[str, SlotType] = Field(default_factory=dict)
    slot_kinds: dict[str, list[str]] = Field(default_factory=dict)
    defaults: dict[str, str] = Field(default_factory=dict)
    needs: list[str] = Field(default_factory=list)
    look: list[str] = Field(default_factory=list)
    observe: list[str] = Field(default_factory=list)
    select: dict[str, Selector] = Field(default_factory=dict)
    use: list[str] = Field(default_factory=list)
    stages: list[list[str]] = Field(default_factory=list)
    goal: list[str] = Field(default_factory=list)
    restore: list[str] = Field(default_factory=list)
    bind: dict[str, dict[str, str]] = Field(default_factory=dict)
    requires: dict[str, str] = Field(default_factory=dict)
    checks: list[tuple[str, str]] = Field(default_factory=list)
    orders: bool = False
    statement: bool = False
    names_things: bool = False
    recipe: str = ""
    variants: list[Variant] = Field(default_factory=list)

    @field_validator("say")
    @classmethod
    def _patterns_compile(cls, v: list[str]) -> list[str]:
        for p in v:
            Pattern(p)
        return v

    def patterns(self) -> list[Pattern]:
        """The compiled phrasings."""
        return _compiled(tuple(self.say))

    def slot_type(self, slot: str) -> str:
        """The type of ``slot``.

        Raises:
            MethodError: for a slot with no declared or implied type.
        """
        t = self.slots.get(slot) or DEFAULT_SLOT_TYPES.get(slot)
        if t is None:
            raise MethodError(
                f"method {self.name!r}: slot {{{slot}}} has no type; list it under 'slots:'"
            )
        return t

    def all_stages(self) -> list[list[str]]:
        """``stages``, or ``[goal]``."""
        return (
            [list(s) for s in self.stages]
            if self.stages
            else ([list(self.goal)] if self.goal else [])
        )


@lru_cache(maxsize=64)
def _compiled(say: tuple[str, ...]) -> list[Pattern]:
    return [Pattern(p) for p in say]


def _read(text: str, where: str) -> list[Method]:
    try:
        data = load_yaml(text) or []
    except yaml.YAMLError as e:
        raise MethodError(f"{where}: not valid YAML: {e}") from None
    if not isinstance(data, list):
        raise MethodError(f"{where}: expected a list of methods, got {type(data).__name__}")
    out = []
    for i, item in enumerate(data):
        name = item.get("name", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
        try:
            m = Method.model_validate(item)
        except (ValidationError, ValueError) as e:
            raise MethodError(f"{where}: method {name!r}: {e}") from None
        for slot in {s for p in m.patterns() for s in p.slots} | set(m.defaults):
            m.slot_type(slot)
        out.append(m)
    return out


@lru_cache(maxsize=8)
def _load(extra: tuple[str, ...]) -> tuple[Method, ...]:
    methods: list[Method] = []
    files = sorted(
        (
            f
            for f in resources.files(__package__).iterdir()
            if f.name.endswith(".yaml") and not f.name.startswith("_")
        ),
        key=lambda f: f.name,
    )
    for f in files:
        methods += _read(f.read_text(encoding="utf-8"), f"chore methods {f.name}")
    for folder in extra:
        for path in sorted(Path(folder).glob("*.yaml")):
            methods += _read(path.read_text(encoding="utf-8"), str(path))
    names = [m.name for m in methods]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise MethodError(f"chore methods named more than once: {', '.join(dup)}")
    return tuple(methods)


_REGISTERED: list[str] = []


def register_methods(folder: str | Path) -> None:
    """Add a folder of chore-method YAML files (a plug-in's chores) for every planner.

    A skill package calls this when it is imported (through the ``housemind.skills``
    entry point), so the words of its chores reach the symbolic planner.

    Raises:
        MethodError: if the folder's methods do not validate (checked now, not mid-chore).
    """
    path = str(Path(folder).resolve())
    if path not in _REGISTERED:
        _load((path,))  # fail now, naming the file
        _REGISTERED.append(path)


def registered_methods_dirs() -> list[str]:
    """Folders added with :func:`register_methods`, in order."""
    return list(_REGISTERED)


def load_methods(extra: Iterable[str | Path] = ()) -> list[Method]:
    """The built-in chore methods, the registered plug-ins', then those of ``extra`` folders.

    Raises:
        MethodError: naming the file and method, for a method that does not validate.
    """
    return list(_load(tuple([*_REGISTERED, *(str(p) for p in extra)])))


class Dish(BaseModel):
    """How a dish is cooked: its food kind, the vessels to cook it in, in water or not."""

    model_config = ConfigDict(extra="forbid")

    food: str
    vessel: list[str]
    water: bool = False


class Recipes(BaseModel):
    """Meal words (``dinner``) -> dishes to try, and dish words -> :class:`Dish`."""

    model_config = ConfigDict(extra="forbid")

    meals: dict[str, list[str]]
    dishes: dict[str, Dish]

    def options(self, word: str) -> list[Dish] | None:
        """Dishes for a meal or dish word, in order; None if the word names neither."""
        w = " ".join(x for x in word.lower().split() if x not in ("the", "a", "some", "my"))
        if w in self.meals:
            return [self.dishes[d] for d in self.meals[w] if d in self.dishes]
        if w in self.dishes:
            return [self.dishes[w]]
        return None


@lru_cache(maxsize=1)
def recipes() -> Recipes:
    """The meals and dishes of ``_recipes.yaml``.

    Raises:
        MethodError: if the file does not validate.
    """
    f = resources.files(__package__) / "_recipes.yaml"
    try:
        return Recipes.model_validate(load_yaml(f.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as e:
        raise MethodError(f"chore methods _recipes.yaml: {e}") from None
