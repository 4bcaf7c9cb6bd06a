"""From a chore in words to goal facts: match chore methods, fill their slots, expand goals.

:func:`understand` splits the chore into clauses, finds the most specific method phrasing
for each (among methods the home has what they need for), resolves the slots against
what the planner believes (names, groups such as "the dishes", pronouns such as "it"
for the thing or appliance of the clause before), chooses things nobody named, and
expands the method's goal templates into facts, stage by stage. What it cannot decide
yet comes back as work to do first: rooms to look around, things to find.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from housemind.agent.knowledge import (
    CATEGORY_WORDS,
    FIXTURE_TRAITS,
    HOME_PLACES,
    category_of,
    kinds_in,
    normalise,
)
from housemind.agent.planners.base import PlanningError
from housemind.agent.planners.language import Clause, clauses, clean_text
from housemind.agent.planners.methods import Method, Selector, recipes
from housemind.agent.planners.world import Beliefs, Group, Unknown, kinds_of, name_stem, split_list
from housemind.skills.types import parse_atom

__all__ = ["ChoreSpec", "understand"]

_LOCATION = {"on", "in", "holding"}
#: Words for people where a place is expected ("bring me the mug").
_PEOPLE_WORDS = frozenset({"me", "us", "him", "her", "them", "you", "my wife", "my husband"})
_PRONOUNS = {"it", "them", "everything", "the rest", "those", "these", "all of them", "this"}
#: Surfaces to put things on when told "to the <room>", best first.
_ROOM_SURFACES = ("table", "counter", "coffee_table", "desk", "island", "nightstand", "shelf")


@dataclass
class ChoreSpec:
    """What a chore asks for, in facts (or what must happen before it can be planned).

    Attributes:
        stages: Goal facts per stage, in order.
        look: Rooms to look around (or fixtures to look at from their front) before planning
            (not looked at in this task yet).
        find: Things to find before planning (their place is unknown).
        use: Things the plan may use besides those its goals name (a sink, a tool).
        bindings: Values of free skill parameters, per skill.
        checks: ``(thing, place)`` to look for; missing ones go on the shopping list.
        notes: Why, for people.
        told: What the person is told when the chore is done: where it does something
            other than the words say (see :attr:`Plan.left_out`).
        orders: The chore orders the shopping list.
        methods: Names of the methods used.
        hints: Where the words say a thing to find is ("out of the microwave").
        observe: Fixtures to look at first if their state is unknown.
        missing: What the chore needs and the home does not have (no dish it can make):
            nothing is made; it goes on the shopping list (see :attr:`Plan.missing`).
    """

    stages: list[list[str]] = field(default_factory=list)
    look: list[str] = field(default_factory=list)
    find: list[Unknown] = field(default_factory=list)
    use: set[str] = field(default_factory=set)
    bindings: dict[str, dict[str, str]] = field(default_factory=dict)
    checks: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    told: list[str] = field(default_factory=list)
    orders: bool = False
    methods: list[str] = field(default_factory=list)
    hints: dict[str, list[str]] = field(default_factory=dict)
    observe: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass
class _Clause:
    """A clause resolved: its method, slot values, and what later clauses may refer to."""

    method: Method
    values: dict[str, Any]
    spec: ChoreSpec
    things: list[str] = field(default_factory=list)
    fixture: str | None = None
    slots: dict[str, str] = field(default_factory=dict)


def understand(
    text: str, beliefs: Beliefs, methods: Sequence[Method], looked: set[str]
) -> ChoreSpec:
    """Turn a chore in words into a :class:`ChoreSpec` (see the module docstring).

    Args:
        text: The chore in words.
        beliefs: What the planner believes.
        methods: The chore methods.
        looked: Rooms already looked around in this task.

    Raises:
        PlanningError: for a clause no method understands (with the phrasings it knows),
            or a slot that names nothing in this home.
    """
    parts = clauses(clean_text(text))
    if not parts:
        raise PlanningError("the chore is empty; say what to do, e.g. 'put the mug in the sink'")
    done: list[_Clause] = []
    notes: list[str] = []
    for i, clause in enumerate(parts):
        prev = done[-1] if done else None
        try:
            res = _resolve_clause(clause, beliefs, methods, prev, looked)
        except PlanningError as e:
            if i + 1 < len(parts) and parts[i + 1].joint == "elaborates":
                # "tidy the living room: put the book back" in a studio: the part after the
                # colon says what to do
                notes.append(str(e))
                continue
            raise
        if clause.joint == "elaborates" and prev is not None:
            if res.method.names_things and (
                "things" in prev.values or "things" in prev.method.select
            ):
                # "put the groceries away: milk, eggs": the list is the things of the first
                res = _expand(
                    prev.method, {**prev.slots, "things": clause.text}, beliefs, None, looked
                )
            # "tidy the living room: put the book back": the second clause says exactly
            # what the first means; keep the first one's looking around.
            res.spec.look = list(dict.fromkeys(prev.spec.look + res.spec.look))
            named = {a for st in res.spec.stages for f in st for a in _args(f)}
            res.spec.find = [
                *res.spec.find,
                *(u for u in prev.spec.find if u not in res.spec.find and u.name in named),
            ]
            for name, places in prev.spec.hints.items():
                res.spec.hints.setdefault(name, []).extend(places)
            done[-1] = res
        else:
            done.append(res)
    out = ChoreSpec(notes=notes)
    for i, c in enumerate(done):
        s = c.spec
        if c.method.statement and i < len(done) - 1:
            s.stages = []  # it only named things for the clauses after it
        later = {
            parse_atom(f)[1][0]
            for d in done[i + 1 :]
            for st in d.spec.stages
            for f in st
            if f.split("(")[0] in _LOCATION
        }
        if later:  # "make a coffee and put it on the counter": the later place wins
            s.stages = [
                [
                    f
                    for f in st
                    if not (f.split("(")[0] in _LOCATION and parse_atom(f)[1][0] in later)
                ]
                for st in s.stages
            ]
        for name, places in s.hints.items():
            out.hints.setdefault(name, []).extend(places)
        out.observe += [f for f in s.observe if f not in out.observe]
        out.stages += [st for st in s.stages if st]
        for r in s.look:
            if r not in out.look:
                out.look.append(r)
        out.find += [u for u in s.find if u not in out.find]
        out.use |= s.use
        for skill, b in s.bindings.items():
            out.bindings.setdefault(skill, {}).update(b)
        out.checks += s.checks
        out.missing += [x for x in s.missing if x not in out.missing]
        out.notes += s.notes
        out.told += [t for t in s.told if t not in out.told]
        out.orders |= s.orders
        out.methods.append(c.method.name)
    out.look = [r for r in out.look if r not in looked]
    return out


# -- matching ---------------------------------------------------------------------------


def _applies(m: Method, beliefs: Beliefs) -> bool:
    return all(beliefs.fixtures_of(k) for k in m.needs)


def _resolve_clause(
    clause: Clause,
    beliefs: Beliefs,
    methods: Sequence[Method],
    prev: _Clause | None,
    looked: set[str],
) -> _Clause:
    matches: list[tuple[int, int, Method, dict[str, str]]] = []
    for i, m in enumerate(methods):
        for p in m.patterns():
            slots = p.match(clause.text)
            if slots is not None:
                matches.append((-p.specificity, i, m, slots))
    matches.sort(key=lambda t: (t[0], t[1]))
    errors: list[str] = []
    for _, _, m, slots in matches:
        if m.names_things and clause.joint != "elaborates":
            continue  # a bare list of things is only a list after a colon
        if not _applies(m, beliefs):
            errors.append(
                f"'{m.name}' needs a {' and a '.join(m.needs)}, which this home does not have"
            )
            continue
        try:
            return _expand(m, slots, beliefs, prev, looked)
        except _NoMatch as e:
            errors.append(str(e))
            continue
    if errors:
        raise PlanningError(f"cannot do '{clause.text}': {errors[0]}")
    known = sorted({m.say[0] for m in methods})[:12]
    raise PlanningError(
        f"the symbolic planner does not understand {clause.text!r}. It knows chores such as: "
        + "; ".join(f"'{k}'" for k in known)
        + " (all phrasings: docs/planning.md). For other wordings of the task suite's "
        "chores add the built-in learned planner (--planner symbolic,builtin); for other "
        "goals use a model planner (--planner litellm:...)."
    )


class _NoMatch(Exception):
    """The phrasing matched but its slots do not fit (try the next method)."""


# -- expanding one clause -----------------------------------------------------------------


def _variant(m: Method, beliefs: Beliefs) -> dict[str, Any]:
    body: dict[str, Any] = {
        "stages": m.all_stages(),
        "use": list(m.use),
        "select": dict(m.select),
        "restore": list(m.restore),
        "look": list(m.look),
    }
    for v in m.variants:
        has = all(beliefs.fixtures_of(k) for k in v.when.get("has", []))
        lacks = not any(beliefs.fixtures_of(k) for k in v.when.get("lacks", []))
        if has and lacks:
            for k in body:
                val = getattr(v, k)
                if val is not None:
                    body[k] = val if k != "select" else {**body["select"], **val}
            break
    return body


def _expand(
    m: Method,
    slots: dict[str, str],
    beliefs: Beliefs,
    prev: _Clause | None,
    looked: set[str],
) -> _Clause:
    spec = ChoreSpec()
    body = _variant(m, beliefs)
    words = {**m.defaults, **slots}
    values: dict[str, Any] = {}
    if m.recipe:
        words = {k: v for k, v in words.items() if k not in ("food", "vessel", "liquid")}
    # Rooms and fixtures first: selections of things may depend on them ("{room}").
    order = sorted(words, key=lambda s: m.slot_type(s) in ("things", "thing"))
    for slot in order:
        values[slot] = _slot_value(m, slot, words[slot], beliefs, prev, spec, body, values)
        _check_kinds(m, slot, values[slot], beliefs)
    if m.recipe:
        done = _recipe(m, _format(m.recipe, values), beliefs, spec, values)
        if done:
            # Nothing to cook after all (the rice ran out after a first try lit the hob):
            # a hob left on under an empty pot burns it, then catches fire.
            lit = [
                f
                for f, info in beliefs.fixtures.items()
                if info.kind in _HEAT_KINDS and f"switched_on({f})" in beliefs.facts
            ]
            if lit:
                spec.stages = [[f"switched_off({f})" for f in lit]]
                spec.use |= set(lit)
            return _Clause(m, values, spec, slots=slots)
        vessel = values.get("vessel")
        if isinstance(vessel, str) and beliefs.holds(f"burnt({vessel})"):
            # Burnt food left in the pan (cooked again on a lit hob): cooking more in it
            # burns at once. It is scrubbed out at the sink first.
            body["scrub_first"] = [vessel]
            spec.notes.append(f"the {vessel.replace('_', ' ')} has burnt food in it: washing it")
    for slot, sel in body["select"].items():
        if slot not in values:
            values[slot] = _select(slot, sel, None, beliefs, spec, values, looked, body)
    for room_word in body["look"]:
        room = _format(room_word, values) if "{" in room_word else room_word
        try:
            r = beliefs.resolve_room(room)
        except PlanningError:
            # A fixture to look at from its front ("front_door": where deliveries are left,
            # beyond what the robot sees from the middle of a long hall); else nothing of
            # that name here ("kitchen" in a studio).
            fx = beliefs.fixtures_of(room)
            if not fx:
                continue
            r = fx[0]
        if r not in spec.look:
            spec.look.append(r)
    for kind in m.requires.values():
        word = _format(kind, values)
        w = normalise(word).replace("_", " ")
        if w in recipes().dishes or (w in recipes().meals and normalise(word) not in HOME_PLACES):
            # "make dinner" is a meal (make_meal), not a drink nobody has heard of
            raise _NoMatch(f"{word!r} is a meal, not something to {m.name.replace('_', ' ')}")
        _not_furniture(word, beliefs)
    for kind in m.requires.values():
        item = normalise(_format(kind, values))
        known = [n for n in beliefs.known_objects() if beliefs.kind(n) == item]
        there = [n for n in known if beliefs.where(n) is not None]
        if there and all(beliefs.holds(f"used_up({n})") for n in there):
            # Seen used up (the coffee's pack empty): searching the home for more, or
            # making the drink with nothing, cannot help; the chore fails saying why.
            w = item.replace("_", " ")
            held = beliefs.ctx.held
            if held in there:
                # The pack in hand was found empty (serving from the bag of pet food): put
                # it back and shop, rather than fail holding it. Kept in hand, it is no
                # use, blocks the gripper, and the home's next delivery of it cannot come.
                spec.missing.append(item)
                spec.notes.append(f"missing: {w}, added to the shopping list")
                spec.stages = [_home_facts(held, beliefs)]
                spec.use.add(held)
                return _Clause(m, values, spec, slots=slots)
            raise PlanningError(
                f"there is no {w} left in the home (seen used up: "
                f"{', '.join(n.replace('_', ' ') for n in there)}); add {w} to the shopping "
                "list"
            )
        if not there:
            spec.find.append(Unknown(item, item, missing_ok=True))
    others = [s for s in body["select"] if s != "things" and isinstance(values.get(s), list)]
    if (
        "things" in body["select"]
        and values.get("things") == []
        and not any(values[s] for s in others)
    ):
        # "do the dishes" with no dirty dishes known (after looking): nothing to do
        spec.notes.append(f"nothing to do for '{m.name.replace('_', ' ')}': none found")
        return _Clause(m, values, spec, slots=slots)
    stages = [_expand_goals(g, values, beliefs, spec) for g in body["stages"]]
    if stages and body.get("wash_first"):  # chosen dirty (see _select): washed first
        stages[0] = [*(f"clean({x})" for x in body["wash_first"]), *stages[0]]
        spec.use |= set(_use("sink", beliefs, values))
    if stages and body.get("scrub_first"):  # a burnt pan: scrubbed out before cooking
        stages[0] = [*(f"not burnt({x})" for x in body["scrub_first"]), *stages[0]]
        spec.use |= set(_use("sink", beliefs, values))
    if stages and body.get("empty_first"):  # chosen full (see _select): poured out first
        stages.insert(0, [f"empty({x})" for x in body["empty_first"]])
        spec.use |= set(_use("sink", beliefs, values))
    for slot in body["restore"]:
        for thing in _as_list(values.get(slot)):
            if isinstance(thing, str) and beliefs.where(thing) is not None:
                stages[-1] += _home_facts(thing, beliefs)
                spec.use.add(thing)
    spec.stages = stages
    for kind in body["use"]:
        spec.use |= set(_use(kind, beliefs, values))
    for skill, params in m.bind.items():
        spec.bindings[skill] = {k: _format(v, values) for k, v in params.items()}
    for what, place in m.checks:
        where = _format(place, values)
        spec.checks.append((_format(what, values), beliefs.resolve_fixture(where)))
    spec.orders = m.orders
    for slot in m.observe:
        for f in _as_list(values.get(slot)):
            if isinstance(f, str) and f in beliefs.fixtures and f not in spec.observe:
                spec.observe.append(f)
    things = [t for t in _as_list(values.get("things", values.get("thing"))) if isinstance(t, str)]
    if not things:  # "make a coffee and put it ...": "it" is the cup
        for slot, v in values.items():
            if m.slot_type(slot) in ("thing", "things") and slot not in m.restore:
                things = [t for t in _as_list(v) if isinstance(t, str)]
                if things:
                    break
    for slot in ("fixture", "source"):
        where = values.get(slot)
        if isinstance(where, str) and where in beliefs.fixtures:
            for u in spec.find:  # "take the knife out of the microwave": look there first
                spec.hints.setdefault(u.name, []).append(where)
    fixture = next(
        (
            f
            for s, v in values.items()
            if m.slot_type(s) in ("fixture", "fixtures", "place")
            for f in _as_list(v)
            if isinstance(f, str) and f in beliefs.fixtures
        ),
        None,
    )
    return _Clause(m, values, spec, things, fixture, slots)


def _args(fact: str) -> tuple[str, ...]:
    return parse_atom(fact.removeprefix("not "))[1]


def _as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    return list(v) if isinstance(v, list | tuple) else [v]


def _format(template: str, values: dict[str, Any]) -> str:
    def sub(mm: re.Match[str]) -> str:
        v = values.get(mm[1])
        if isinstance(v, list):
            return ", ".join(str(x) for x in v)
        return str(v) if v is not None else mm[0]

    return re.sub(r"\{(\w+)\}", sub, template)


#: Heat appliances a meal lights (switched off when there is nothing to cook after all).
_HEAT_KINDS = frozenset({"stove", "oven", "hob", "cooktop"})
#: Who a standing instruction names by role ("remind me" is stored as "remind owner").
_SPEAKER_WORDS = frozenset({"owner", "me"})


def _slot_value(
    m: Method,
    slot: str,
    text: str,
    beliefs: Beliefs,
    prev: _Clause | None,
    spec: ChoreSpec,
    body: dict[str, Any],
    values: dict[str, Any],
) -> Any:
    kind = m.slot_type(slot)
    phrase = text.strip()
    low = phrase.lower()
    if kind in ("text", "word"):
        return phrase
    if kind == "person":
        name = re.sub(r"[^a-z0-9_]", "", low.replace(" ", "_")) or low
        home = beliefs.ctx.people_home
        if name in _SPEAKER_WORDS and name not in home and home:
            # "remind me": the person who said it, by role; the one at home is them
            return home[0]
        return name
    if kind == "room":
        try:
            return beliefs.resolve_room(phrase)
        except PlanningError as e:
            raise _NoMatch(str(e)) from None
    if kind in ("fixture", "fixtures", "place"):
        if low in _PRONOUNS and prev is not None and prev.fixture is not None:
            return [prev.fixture] if kind == "fixtures" else prev.fixture
        near = beliefs.room_of(prev.fixture) if prev and prev.fixture else None
        if kind == "fixtures":
            out = []
            for part in split_list(phrase):
                found = beliefs.resolve_fixtures(part, near)
                if prev is not None and prev.fixture in found:
                    found = [prev.fixture]
                if not found:
                    raise _NoMatch(f"no {part!r} in this home")
                out.append(found[0])
            return out
        found = beliefs.resolve_fixtures(phrase, near)
        if prev is not None and prev.fixture in found:
            found = [prev.fixture, *(f for f in found if f != prev.fixture)]
        if found:
            return found[0] if kind == "fixture" else found
        if kind == "place":
            try:
                room = beliefs.resolve_room(phrase)
            except PlanningError:
                room = None
            if room is not None:
                surf = next(
                    (f for k in _ROOM_SURFACES for f in beliefs.fixtures_of(k, room=room)), None
                )
                if surf is None:
                    raise PlanningError(f"no surface known in the {room.replace('_', ' ')}")
                return [surf]
        if kind == "fixture":
            try:
                room = beliefs.resolve_room(phrase)
            except PlanningError:
                room = None
            if room is not None:  # "clean the bathroom": a room where a fixture was meant
                r = room.replace("_", " ")
                raise _NoMatch(
                    f"the {r} is a room; say what to do there, e.g. 'tidy the {r}', "
                    f"'vacuum the {r}' or 'wipe the ... in the {r}'"
                )
        if low in _PEOPLE_WORDS:
            who = "you" if low in ("me", "us") else phrase
            raise PlanningError(
                f"I cannot hand things to {who} yet (HomeSim's robot puts things down, it "
                "does not give them to people); say where to put it, e.g. 'put the glass of "
                "water on the coffee table'"
            )
        raise _NoMatch(
            f"unknown place {phrase!r}; known fixtures: "
            f"{', '.join(sorted(beliefs.fixtures)) or 'none mapped yet'}"
        )
    # things
    if low in _PRONOUNS and prev is not None and prev.things:
        return list(prev.things) if kind == "things" else prev.things[0]
    resolved = beliefs.resolve_things(phrase)
    if prev is not None and prev.things and all(isinstance(r, Group) for r in resolved):
        # "pick up the socks ... and put the clothes in the basket": the clothes are the socks
        same = [t for t in prev.things if any(beliefs.kind(t) in g.kinds for g in resolved)]
        if same:
            return same if kind == "things" else same[0]
    sel = body["select"].get(slot)
    out: list[str] = []
    named = {r.name if isinstance(r, Unknown) else r for r in resolved if not isinstance(r, Group)}
    for r in resolved:
        if isinstance(r, str):
            out.append(r)
        elif isinstance(r, Unknown):
            spec.find.append(r)
            out.append(r.name)
        else:  # "a clean mug and mug 2": a mug other than the ones named
            if r.word not in CATEGORY_WORDS and r.word.split()[-1] in CATEGORY_WORDS:
                # "the gym clothes": no thing of this home is called so (see
                # Beliefs.resolve_thing); the chore does all of them, and says so.
                whole = r.word.split()[-1]
                spec.told.append(
                    f"I can't tell the {r.word} from the other {whole}, so I did it for all "
                    f"the {whole}"
                )
            chosen = _select(slot, sel, r, beliefs, spec, values, set(), body, exclude=named)
            out += _as_list(chosen)
    if kind == "thing":
        if not out:
            raise _NoMatch(f"nothing known matches {phrase!r}")
        return out[0]
    return out


def _select(
    slot: str,
    sel: Selector | None,
    group: Group | None,
    beliefs: Beliefs,
    spec: ChoreSpec,
    values: dict[str, Any],
    looked: set[str],
    body: dict[str, Any],
    exclude: set[str] = frozenset(),  # type: ignore[assignment]
) -> Any:
    """Things for ``slot`` chosen by ``sel`` (and a group word), from what is known."""
    sel = sel or Selector()
    kinds = set(group.kinds) if group is not None else kinds_of(sel.kinds or sel.prefer)
    if group is not None and sel.kinds:
        narrowed = kinds & kinds_of(sel.kinds)
        kinds = narrowed or kinds
    state = (group.state if group is not None else "") or sel.state
    places: set[str] | None = None
    if sel.at:
        places = set()
        for a in sel.at:
            if a.startswith("{"):
                v = values.get(a.strip("{}"))
                places |= set(_as_list(v))
            elif a == "floor":
                places |= set(beliefs.rooms)
            else:
                places |= set(beliefs.fixtures_of(a))
    ran = {str(s.args.get("target")) for s in beliefs.done if s.skill == "run"}
    if sel.until_run and any(
        f in beliefs.fixtures and beliefs.fixtures[f].kind in sel.until_run for f in ran
    ):
        # This task's load has been run: what was found since waits for the next time.
        return None if sel.one else []
    cands = beliefs.members(Group("", frozenset(kinds), state), where=places)
    exclude = set(exclude) | {
        x for b in sel.besides for x in _as_list(values.get(b)) if isinstance(x, str)
    }
    if sel.one:  # one thing to use (a cup): not one a person is using, if another will do
        exclude |= set(beliefs.ctx.in_use)
    cands = [c for c in cands if c not in exclude]
    if sel.one:  # nor a pack seen used up (the empty bag of pet food), if another will do
        left = [c for c in cands if not beliefs.holds(f"used_up({c})")]
        cands = left or cands
    holding: list[str] = []
    if sel.empty:  # a cup for a fresh drink, not one holding yesterday's coffee
        holding = [c for c in cands if any(f.startswith(f"contains({c},") for f in beliefs.facts)]
        cands = [c for c in cands if c not in holding]
    if sel.not_home:
        cands = [c for c in cands if not beliefs.at_home(c)]
    prefer = sel.prefer or []
    if prefer:
        cands.sort(key=lambda n: prefer.index(beliefs.kind(n)) if beliefs.kind(n) in prefer else 99)
    one = sel.one or (group is not None and group.one)
    if not cands and one and state == "clean" and group is None:
        # No clean one known, but a dirty one is (the others in use or in the dishwasher):
        # wash it first rather than search the home for one that is not there.
        dirty = [
            c
            for c in beliefs.members(Group("", frozenset(kinds), "dirty"), where=places)
            if c not in exclude and beliefs.where(c) is not None
        ]
        if prefer:
            dirty.sort(
                key=lambda n: prefer.index(beliefs.kind(n)) if beliefs.kind(n) in prefer else 99
            )
        if dirty:
            body.setdefault("wash_first", []).append(dirty[0])
            return dirty[0]
        full = [c for c in holding if beliefs.holds(f"filled({c})")]
        if full:  # each clean one holds something: pour one out at the sink first
            body.setdefault("empty_first", []).append(full[0])
            return full[0]
    if not cands:
        if sel.search or group is not None:
            pick = (prefer or sorted(kinds) or [slot])[0]
            n = 1
            name = pick
            while name in exclude:  # "a mug" besides mug_2: look for "mug", then "mug_3"
                n += 1
                name = f"{pick}_{n}"
            unknown = Unknown(name, pick)
            if unknown not in spec.find:
                spec.find.append(unknown)
            return unknown.name if one else [unknown.name]
        if not sel.optional:
            spec.notes.append(f"nothing to do for the {slot}: none known")
        return None if one else []
    cands = cands[: sel.limit]
    return cands[0] if one else cands


def _store_place(beliefs: Beliefs, kind: str) -> str:
    for k in ("fridge", "pantry", "cabinet", "counter"):
        found = beliefs.fixtures_of(k)
        if found:
            return found[0]
    return next(iter(sorted(beliefs.fixtures)), "kitchen")


def _use(kind: str, beliefs: Beliefs, values: dict[str, Any]) -> list[str]:
    if "{" in kind:
        return [v for v in _as_list(values.get(kind.strip("{}"))) if isinstance(v, str)]
    fx = beliefs.fixtures_of(kind)
    if fx:
        kitchen = [f for f in fx if "kitchen" in (beliefs.fixtures[f].room or "")]
        return [(kitchen or fx)[0]]
    objs = [n for n in beliefs.known_objects() if beliefs.kind(n) in kinds_in([kind])]
    return objs[:1]


def _check_kinds(m: Method, slot: str, value: Any, beliefs: Beliefs) -> None:
    allowed = m.slot_kinds.get(slot)
    if not allowed:
        return
    for v in _as_list(value):
        if not isinstance(v, str) or v not in beliefs.fixtures:
            continue
        kind = beliefs.fixtures[v].kind
        if kind not in allowed and not (FIXTURE_TRAITS.get(kind, frozenset()) & set(allowed)):
            raise _NoMatch(f"the {v.replace('_', ' ')} is not a {' or '.join(allowed)}")


def _not_furniture(word: str, beliefs: Beliefs) -> None:
    """Refuse a home's fixture or room as a dish or a drink ("make the beds").

    Raises:
        _NoMatch: ``word`` names a fixture or a room of this home (so the next method is
            tried, and none of them puts "beds" on the shopping list).
    """
    item, single = normalise(word), name_stem(word)
    if beliefs.fixtures_of(item) or beliefs.fixtures_of(single) or single in beliefs.rooms:
        said = item.replace("_", " ")
        why = f"'{said}' is part of this home (furniture or a room), not a dish or a drink"
        if single == "bed":
            why += "; the robot has no skill for making beds yet"
        raise _NoMatch(why)


def _recipe(
    m: Method, word: str, beliefs: Beliefs, spec: ChoreSpec, values: dict[str, Any]
) -> bool:
    """Fill ``food``, ``vessel`` and ``liquid`` for a meal word; True if nothing to cook."""
    options = recipes().options(word)
    if options is None:
        item = normalise(word) or word
        _not_furniture(word, beliefs)
        spec.checks.append((item, _store_place(beliefs, item)))
        spec.missing.append(item)
        spec.notes.append(f"missing: {word}, added to the shopping list")
        return True
    # Food this task could not get at (out of reach on a crowded shelf, in someone's hands)
    # is tried last: another dish the kitchen has is cooked instead, since leaving the food
    # out of the meal (see symbolic._leave_out) leaves nothing to cook.
    blocked = set(beliefs.ctx.unreachable) | set(beliefs.ctx.in_use)
    for dish in [*options, *options]:
        food = [n for n in beliefs.known_objects() if beliefs.kind(n) == dish.food]
        food = [n for n in food if beliefs.where(n) is not None]
        food = [n for n in food if f"used_up({n})" not in beliefs.facts]
        if blocked:
            food = [n for n in food if n not in blocked]
            if not food and dish is options[-1]:
                blocked = set()  # the second time round, whatever there is
        if food:
            break
    else:
        # The last of the rice went into the pot a step ago (a replan after a failure,
        # mid-cooking or while tidying up): the meal is in the pot, not missing.
        known = beliefs.known_objects()
        in_pot = [
            (d, v)
            for d in options
            if any(beliefs.kind(n) == d.food for n in known)  # seen used up
            for v in known
            if beliefs.kind(v) in d.vessel
            and f"contains({v},{d.food})" in beliefs.facts
            and f"burnt({v})" not in beliefs.facts
        ]
        if in_pot:
            dish, vessel = in_pot[0]
            values["food"], values["vessel"] = dish.food, vessel
            values["liquid"] = "water" if dish.water else None
            spec.notes.append(
                f"the {dish.food.replace('_', ' ')} is in the {vessel.replace('_', ' ')} already"
            )
            return False
        used_up = [d.food for d in options if any(beliefs.kind(n) == d.food for n in known)]
        if used_up:  # everything it could cook is used up: it goes on the shopping list
            # ... and the meal is missing, unless this task cooked it already (a replan
            # after it found the pot eaten from and the last of the rice gone).
            cooked = any(s.skill == "cook" for s in beliefs.done)
            for kind in dict.fromkeys(used_up):
                spec.checks.append((kind, _store_place(beliefs, kind)))
                if not cooked:
                    spec.missing.append(kind)
            spec.notes.append(
                f"missing: {' and '.join(dict.fromkeys(used_up))} for {word}, added to the "
                "shopping list"
            )
            return True
        dish = options[0]
        spec.find.append(Unknown(dish.food, dish.food, missing_ok=True))
        food = [dish.food]
    vessel = None
    for vk in dish.vessel:
        found = [n for n in beliefs.known_objects() if beliefs.kind(n) == vk]
        if found:
            vessel = found[0]
            break
    if vessel is None:
        vessel = dish.vessel[0]
        spec.find.append(Unknown(vessel, vessel))
    values["food"], values["vessel"] = food[0], vessel
    values["liquid"] = "water" if dish.water else None
    spec.notes.append(f"cooking {dish.food.replace('_', ' ')} in the {vessel.replace('_', ' ')}")
    return False


# -- goals ---------------------------------------------------------------------------------


def _home_facts(thing: str, beliefs: Beliefs) -> list[str]:
    home = beliefs.home_of(thing)
    if home is None:
        raise PlanningError(
            f"I do not know where the {thing.replace('_', ' ')} belongs; tell me (e.g. "
            f"'the {thing.replace('_', ' ')} goes on the shelf')"
        )
    rel, fixture = home
    out = [f"{rel}({thing},{fixture})"]
    if beliefs.fixtures[fixture].openable:
        out.append(f"closed({fixture})")
    return out


def _cleared_facts(thing: str, beliefs: Beliefs) -> list[str]:
    """After a meal: a dirty dish to the sink, anything else where it belongs."""
    cat = category_of(beliefs.kind(thing))
    if cat in ("dish", "cutlery", "cookware") and beliefs.state_of(thing, "dirty") is not False:
        sinks = beliefs.fixtures_of("sink")
        if sinks:
            return [f"in({thing},{sinks[0]})"]
    return _home_facts(thing, beliefs)


def _folded_home_facts(thing: str, beliefs: Beliefs) -> list[str]:
    """Clean, folded clothes: the wardrobe or dresser, else where they belong."""
    home = beliefs.home_of(thing)
    if home is not None and beliefs.fixtures[home[1]].kind in ("wardrobe", "dresser"):
        return _home_facts(thing, beliefs)
    room = beliefs.room_of(thing)
    for kind in ("wardrobe", "dresser"):
        found = beliefs.fixtures_of(kind)
        if found:
            same = [f for f in found if beliefs.fixtures[f].room == room]
            dest = (same or found)[0]
            out = [f"{beliefs.relation_for(dest)}({thing},{dest})"]
            return out + ([f"closed({dest})"] if beliefs.fixtures[dest].openable else [])
    return _home_facts(thing, beliefs)


def _at_facts(thing: str, place: Any, beliefs: Beliefs) -> list[str]:
    cands = [p for p in _as_list(place) if isinstance(p, str)]
    if not cands:
        raise PlanningError(f"no place to put the {thing.replace('_', ' ')}")
    home = beliefs.home_of(thing)
    dest = home[1] if home is not None and home[1] in cands else cands[0]
    if dest in beliefs.rooms:
        return []
    rel = beliefs.relation_for(dest)
    out = [f"{rel}({thing},{dest})"]
    if beliefs.fixtures[dest].openable:
        out.append(f"closed({dest})")
    return out


def _aside_facts(thing: str, fixture: str, beliefs: Beliefs) -> list[str]:
    """Off ``fixture`` onto a free surface near it (an empty pan off the hob)."""
    place = beliefs.resolve_fixture(fixture) if fixture not in beliefs.fixtures else fixture
    room = beliefs.room_of(place)
    near = [
        f
        for k in _ROOM_SURFACES
        for f in beliefs.fixtures_of(k)
        if f != place and not beliefs.fixtures[f].openable
    ]
    same = [f for f in near if beliefs.fixtures[f].room == room]
    dest = (same or near or [None])[0]
    if dest is None:
        return [f"not on({thing},{place})"]
    return [f"{beliefs.relation_for(dest)}({thing},{dest})"]


def _expand_goals(
    templates: list[str], values: dict[str, Any], beliefs: Beliefs, spec: ChoreSpec
) -> list[str]:
    out: list[str] = []
    for t in templates:
        t, _, guard = t.partition(" if ")
        if guard and not _as_list(values.get(guard.strip().strip("{}"))):
            continue  # "finished(washer) if {things}": only when there is something to wash
        neg = t.startswith("not ")
        pred, args = parse_atom(t.removeprefix("not "))
        lists = []
        for a in args:
            if a.startswith("{") and a.endswith("}"):
                v = values.get(a[1:-1])
                if pred == "at" and a == args[-1]:
                    lists.append([v])  # the place: chosen per thing
                else:
                    items = [x for x in _as_list(v) if isinstance(x, str)]
                    lists.append(items)
            else:
                lists.append([a])
        for combo in itertools.product(*lists):
            if pred == "home":
                out += _home_facts(combo[0], beliefs)
            elif pred == "cleared":
                out += _cleared_facts(combo[0], beliefs)
            elif pred == "folded_home":
                out += _folded_home_facts(combo[0], beliefs)
            elif pred == "looked_in":  # open it to see inside (closed again after)
                f = combo[0]
                info = beliefs.fixtures.get(f)
                out.append(f"open({f})" if info is not None and info.openable else f"near({f})")
            elif pred == "at":
                out += _at_facts(combo[0], combo[1], beliefs)
            elif pred == "aside":
                out += _aside_facts(combo[0], combo[1], beliefs)
            else:
                fact = f"{pred}({','.join(combo)})" if combo else pred
                out.append(("not " if neg else "") + fact)
    return list(dict.fromkeys(out))
