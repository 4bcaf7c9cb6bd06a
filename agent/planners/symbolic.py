"""The offline symbolic planner: household goals in words -> validated skill sequences.

It understands the common chore phrasings (put/bring/take X to Y, tidy a room, check a
fixture for something, switch/open/close a fixture, fetch or pick up X, go to a place)
and plans from memory only. An object whose location is unknown, or was not where it
was last seen, is searched for: the plan goes to the most likely place and is marked
incomplete, and after the robot has looked the planner is asked again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from housemind.agent.knowledge import ROOM_WORDS, home_place_kinds, normalise
from housemind.agent.planners.base import (
    Plan,
    PlanContext,
    PlanningError,
    Subtask,
    register_planner,
)

__all__ = ["SymbolicPlanner"]

_PUT = re.compile(
    r"^(?:please\s+)?(?:put|place|move|take|bring|carry|return)\s+(?P<obj>.+?)\s+"
    r"(?P<rel>in|into|inside|on|onto|to|back to|in to)\s+(?P<dst>.+?)(?:\s+(?:after|before|"
    r"when|once)\b.*)?$"
)
_TIDY = re.compile(
    r"^(?:please\s+)?(?:tidy|tidy up|clean up|declutter|straighten up)\s+"
    r"(?P<room>.+?)$"
)
_CHECK = re.compile(
    r"^(?:please\s+)?(?:check|look in|look at|inspect)\s+(?P<fx>.+?)"
    r"(?:\s+for\s+(?P<obj>.+?))?$"
)
_SWITCH = re.compile(
    r"^(?:please\s+)?(?:turn|switch)\s+(?P<state>on|off)\s+(?P<fx>.+)$|"
    r"^(?:please\s+)?(?:turn|switch)\s+(?P<fx2>.+?)\s+(?P<state2>on|off)$"
)
_OPEN = re.compile(r"^(?:please\s+)?(?P<verb>open|close|shut)\s+(?P<fx>.+)$")
_FETCH = re.compile(r"^(?:please\s+)?(?:pick up|grab|fetch|get|find)\s+(?P<obj>.+)$")
_GO = re.compile(r"^(?:please\s+)?(?:go|drive|move)\s+(?:to|into)\s+(?P<place>.+)$")


@register_planner("symbolic")
class SymbolicPlanner:
    """Rule-based, offline System 2 backend (the default).

    Args:
        max_search_places: Give up searching for an object after this many places.
    """

    name = "symbolic"

    def __init__(self, max_search_places: int = 8) -> None:
        self.max_search_places = max_search_places

    # -- the Planner protocol ----------------------------------------------------------

    def plan(self, goal: str, context: PlanContext) -> Plan:
        """Break ``goal`` into subtasks (see the module docstring)."""
        return self.replan(goal, context, done=[], failed=None, reason="")

    def replan(
        self,
        goal: str,
        context: PlanContext,
        *,
        done: list[Subtask],
        failed: Subtask | None,
        reason: str,
    ) -> Plan:
        """Plan again from the current context, skipping places already searched."""
        text = " ".join(goal.lower().strip().rstrip(".!").split())
        searched = {s.args.get("target") for s in done if s.skill == "navigate"}
        if failed is not None and failed.skill == "navigate":
            searched.add(failed.args.get("target"))
        b = _Builder(context, searched, self.max_search_places)
        if failed is not None and failed.skill in ("pick", "place"):
            # Standing at the fixture was not close enough (a long sofa, a crowded
            # counter): this time drive to the thing itself.
            b.direct.add(failed.args.get("object" if failed.skill == "pick" else "target", ""))
        if m := _TIDY.match(text):
            b.tidy(self._room(m["room"], context))
        elif m := _CHECK.match(text):
            b.check(self._fixture(m["fx"], context), m["obj"])
        elif m := _SWITCH.match(text):
            b.switch(self._fixture(m["fx"] or m["fx2"], context), m["state"] or m["state2"])
        elif m := _OPEN.match(text):
            fx = self._fixture(m["fx"], context)
            b.reach(fx)
            b.set_open(fx, m["verb"] == "open")
        elif m := _PUT.match(text):
            dst = self._place(m["dst"], context)
            b.put(self._object(m["obj"], context), dst, m["rel"])
        elif m := _FETCH.match(text):
            b.fetch(self._object(m["obj"], context))
        elif m := _GO.match(text):
            b.go(self._place(m["place"], context))
        else:
            raise PlanningError(
                f"the symbolic planner does not understand {goal!r}. It knows: 'put/bring "
                "the X to/in/on the Y', 'tidy the <room>', 'check the <fixture> for X', "
                "'turn on/off the <fixture>', 'open/close the <fixture>', 'pick up the X', "
                "'go to the <place>'. For other goals use a model planner (--planner litellm)."
            )
        return Plan(
            goal=goal,
            subtasks=b.steps,
            goal_facts=b.goal_facts,
            complete=b.complete,
            checks=b.checks,
            rationale="; ".join(b.notes),
            backend=self.name,
        )

    # -- resolving words to names ------------------------------------------------------

    @staticmethod
    def _match(phrase: str, names: Iterable[str]) -> str | None:
        key = normalise(phrase)
        names = list(names)
        if key in names:
            return key
        for n in names:  # "the fridge door" -> fridge; "kitchen sink" -> sink
            if n in key.split("_") or key.endswith("_" + n) or key.startswith(n + "_"):
                return n
        return None

    def _room(self, phrase: str, ctx: PlanContext) -> str:
        word = " ".join(w for w in phrase.split() if w not in ("the", "my", "our"))
        name = ROOM_WORDS.get(word) or self._match(phrase, ctx.rooms)
        if name is None or (ctx.rooms and name not in ctx.rooms):
            raise PlanningError(
                f"unknown room {word!r}; this home has: "
                f"{', '.join(ctx.rooms) or 'no rooms mapped yet'}"
            )
        return name

    def _fixture(self, phrase: str, ctx: PlanContext) -> str:
        name = self._match(phrase, ctx.fixtures)
        if name is None:
            by_kind = [f.name for f in ctx.fixtures.values() if f.kind == normalise(phrase)]
            if by_kind:
                return by_kind[0]
            raise PlanningError(
                f"unknown fixture {phrase!r}; known: "
                f"{', '.join(sorted(ctx.fixtures)) or 'none mapped yet'}"
            )
        return name

    def _object(self, phrase: str, ctx: PlanContext) -> str:
        key = normalise(phrase)
        known = set(ctx.object_places) | set(ctx.object_kinds) | set(ctx.search_candidates)
        if ctx.held:
            known.add(ctx.held)
        name = self._match(phrase, known)
        if name is None:
            same_kind = sorted(n for n, k in ctx.object_kinds.items() if k == key)
            name = same_kind[0] if same_kind else key
        if not name:
            raise PlanningError(f"no object named in {phrase!r}")
        return name

    def _place(self, phrase: str, ctx: PlanContext) -> str:
        word = " ".join(w for w in phrase.split() if w not in ("the", "my", "our"))
        if word in ROOM_WORDS:
            return ROOM_WORDS[word]
        for names in (ctx.fixtures, ctx.rooms, ctx.object_places):
            if (n := self._match(phrase, names)) is not None:
                return n
        raise PlanningError(
            f"unknown place {phrase!r}; known fixtures: "
            f"{', '.join(sorted(ctx.fixtures)) or 'none mapped yet'}"
        )


class _Builder:
    """Accumulates the steps of one plan while tracking what the robot will hold/open."""

    def __init__(self, ctx: PlanContext, searched: set[str | None], max_search: int) -> None:
        self.ctx = ctx
        self.searched = searched
        self.max_search = max_search
        self.steps: list[Subtask] = []
        self.goal_facts: list[str] = []
        self.checks: list[tuple[str, str]] = []
        self.notes: list[str] = []
        self.complete = True
        self.held = ctx.held
        self.at: str | None = None
        self.opened: set[str] = set()
        self.facts = set(ctx.facts)
        self.direct: set[str] = set()

    def _add(self, skill: str, **args: str) -> None:
        self.steps.append(Subtask(skill=skill, args=args))

    def _is_open(self, fx: str) -> bool:
        return fx in self.opened or f"open({fx})" in self.facts

    def go(self, target: str) -> None:
        if self.at != target:
            self._add("navigate", target=target)
            self.at = target

    def reach(self, fx: str) -> None:
        self.go(fx)

    def set_open(self, fx: str, want_open: bool) -> None:
        info = self.ctx.fixtures.get(fx)
        if info is not None and not info.openable:
            raise PlanningError(f"the {fx.replace('_', ' ')} cannot be opened or closed")
        self._add("open" if want_open else "close", target=fx)
        if want_open:
            self.opened.add(fx)
            self.facts.discard(f"closed({fx})")
            self.facts.add(f"open({fx})")
        else:
            self.opened.discard(fx)
            self.facts.discard(f"open({fx})")
            self.facts.add(f"closed({fx})")
        self.goal_facts.append(f"{'open' if want_open else 'closed'}({fx})")

    def _open_if_needed(self, fx: str) -> bool:
        info = self.ctx.fixtures.get(fx)
        if info is not None and info.openable and not self._is_open(fx):
            self._add("open", target=fx)
            self.opened.add(fx)
            self.facts.add(f"open({fx})")
            return True
        return False

    def _close(self, fx: str) -> None:
        self._add("close", target=fx)
        self.opened.discard(fx)
        self.facts.discard(f"open({fx})")

    def _make_hand_free(self, keep: str | None = None) -> None:
        if self.held and self.held != keep:
            dst = self._home_for(self.held)
            if dst is None:
                raise PlanningError(
                    f"the robot is holding the {self.held} and knows no place "
                    "to put it down; tell it where it goes"
                )
            self._deliver(self.held, *dst)

    def fetch(self, obj: str) -> bool:
        """Get ``obj`` into the gripper; False (plan incomplete) while searching."""
        if self.held == obj:
            return True
        self._make_hand_free(keep=obj)
        place = self.ctx.object_places.get(obj)
        missing = f"missing({obj})" in self.ctx.facts
        if place is None or missing:
            return self._search(obj)
        direct = place not in self.ctx.fixtures or obj in self.direct
        self.go(obj if direct else place)
        opened = place in self.ctx.fixtures and self._open_if_needed(place)
        self._add("pick", object=obj)
        self.held = obj
        if opened:
            self._close(place)
        return True

    def _search(self, obj: str) -> bool:
        cands = [c for c in self.ctx.search_candidates.get(obj, []) if c not in self.searched]
        if len(self.searched) >= self.max_search or not cands:
            looked = ", ".join(sorted(s for s in self.searched if s)) or "nowhere yet"
            raise PlanningError(
                f"cannot find the {obj.replace('_', ' ')}: looked in {looked}; "
                "tell me where it is, or check that it exists"
            )
        where = cands[0]
        self.go(where)
        if where in self.ctx.fixtures and self._open_if_needed(where):
            self._close(where)  # looked inside; leave it as it was
        self.notes.append(f"searching for {obj}: looking at {where}")
        self.complete = False
        return False

    def _deliver(self, obj: str, dst: str, rel: str) -> None:
        self.go(dst)
        opened = rel == "in" and self._open_if_needed(dst)
        self._add("place", object=obj, target=dst, relation=rel)
        self.held = None
        if opened:
            self._close(dst)
        self.goal_facts.append(f"{rel}({obj},{dst})")

    def _relation_for(self, dst: str, said: str) -> str:
        if said in ("in", "into", "inside", "in to"):
            return "in"
        if said in ("on", "onto"):
            return "on"
        info = self.ctx.fixtures.get(dst)
        if info is not None and info.container and not info.surface:
            return "in"
        return "on"

    def put(self, obj: str, dst: str, said: str) -> None:
        if dst in self.ctx.rooms:
            # "bring the apple to the kitchen": a surface in that room
            surfaces = [f.name for f in self.ctx.fixtures.values() if f.room == dst and f.surface]
            if not surfaces:
                raise PlanningError(
                    f"no surface known in the {dst.replace('_', ' ')} to put the {obj} on"
                )
            dst = surfaces[0]
        if not self.fetch(obj):
            return
        self._deliver(obj, dst, self._relation_for(dst, said))

    def _home_for(self, obj: str) -> tuple[str, str] | None:
        kind = self.ctx.object_kinds.get(obj, obj)
        override = self.ctx.home_places.get(obj) or self.ctx.home_places.get(kind)
        if override and override in self.ctx.fixtures:
            return override, self._relation_for(override, "")
        for fx_kind, rel in home_place_kinds(kind):
            for f in self.ctx.fixtures.values():
                if f.kind == fx_kind:
                    return f.name, rel
        return None

    def _tidy_place_ok(self, obj: str, place: str) -> bool:
        kind = self.ctx.object_kinds.get(obj, obj)
        info = self.ctx.fixtures.get(place)
        ok_kinds = {k for k, _ in home_place_kinds(kind)}
        return info is not None and info.kind in ok_kinds

    def tidy(self, room: str) -> None:
        if room not in self.searched:
            self.go(room)
            self.notes.append(f"looking around the {room} first")
            self.complete = False
            return
        todo = []
        for obj, r in sorted(self.ctx.object_rooms.items()):
            place = self.ctx.object_places.get(obj, r)
            if r != room or obj == self.held or self._tidy_place_ok(obj, place):
                continue
            home = self._home_for(obj)
            if home is None:
                self.notes.append(f"left the {obj}: no known home for it")
                continue
            todo.append((obj, home))
        if not todo:
            self.notes.append(f"the {room} is tidy")
        for obj, (dst, rel) in todo:
            if not self.fetch(obj):
                return
            self._deliver(obj, dst, rel)

    def check(self, fx: str, what: str | None) -> None:
        self.go(fx)
        opened = self._open_if_needed(fx)
        if what:
            self.checks.append((normalise(what), fx))
        if opened:
            self._close(fx)
            self.goal_facts.append(f"closed({fx})")

    def switch(self, fx: str, state: str) -> None:
        info = self.ctx.fixtures.get(fx)
        if info is not None and not info.switchable:
            raise PlanningError(f"the {fx.replace('_', ' ')} has no switch")
        self.go(fx)
        self._add("toggle", target=fx, state=state)
        self.goal_facts.append(f"switched_{state}({fx})")
