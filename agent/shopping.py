"""The shopping loop: check-in answer -> shopping list -> order -> delivery -> put away.

The runtime (:class:`~agent.runtime.HomeRuntime`) calls into :class:`ShoppingLoop` at
three points:

1. **A shopping check-in ends** (answered or not): a "do the shopping" task is queued at
   once. With an answer, its items are on the shopping list already; with no answer, what
   memory says is running low (food and drink whose last seen ``quantity`` is at most
   :data:`LOW_STOCK`) goes on the list instead, and the check-in's note says so.
2. **A chore that orders finishes** (its plan has ``orders``, e.g. "do the shopping"):
   the items go to the grocery service (:class:`housemind.skills.grocery.GroceryService`;
   in HomeSim a delivery comes to the front door hours later), leave the shopping list,
   and a "put the delivery away" task is queued for when the delivery is due.
3. **The put-away task finishes**: memory records what was bought and when (a fact
   ``bought_at`` per item in symbolic memory and a ``bought`` event in episodic memory).

Besides, a staple a meal chore cooks with (pasta, rice, soup, eggs), or a food or drink
a standing chore names ("make coffee every weekday at 7:30": coffee), is ordered the same
day once memory sees half a pack or less of it left (:data:`STAPLE_REORDER`,
:meth:`top_up`), so the next day's meal or coffee does
not wait for the weekly shop (a household with no shopping check-in would otherwise run
out for good). What a chore finds missing from the home ("make tea", and no tea anywhere)
is ordered the same way, once: if the shop has none, it is not asked again for a week
(:data:`UNAVAILABLE_FOR`). A delivery that comes during the household's quiet hours (its stated
routine, else 22:00-07:00) is put away when they end: the robot does not clatter about
while people sleep.

Tasks the loop queues have no instruction (``instruction_id`` None); their ``result``
carries ``followup`` (``shopping`` or ``put_away``) and, for a put-away, the order.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from housemind.agent.runtime import HomeRuntime
    from housemind.memory import ObjectSighting
    from housemind.skills.grocery import GroceryService

__all__ = [
    "LOW_STOCK",
    "PUT_AWAY_GOAL",
    "SHOPPING_GOAL",
    "STAPLE_REORDER",
    "UNAVAILABLE_FOR",
    "ShoppingLoop",
]

logger = logging.getLogger(__name__)

#: Categories of what is bought to be used up: food, drink, and the pet's food.
_CONSUMABLES = ("food", "drink", "pet_food")
#: A food or drink whose last seen quantity (0-1 of a pack) is at most this is running low.
LOW_STOCK = 0.25
#: A staple (a meal's pasta, rice, soup or eggs; what a standing chore makes or needs, such
#: as coffee or pet food) is ordered when all the packs memory knows of it hold this much or
#: less: residents' own meals use up to a third of a pack between the robot's looks, a
#: quarter left on Friday night was none at Saturday's dinner, and coffee ordered at a
#: quarter of a pack ran out the next morning, before the delivery.
STAPLE_REORDER = 0.5
SHOPPING_GOAL = "do the shopping"
PUT_AWAY_GOAL = "put the delivery away"
#: A chore's missing item the shop said it has none of is not ordered again for this long.
UNAVAILABLE_FOR = timedelta(days=7)
#: How long after a delivery is due the robot fetches it from the door.
_PUT_AWAY_AFTER = timedelta(minutes=5)


class ShoppingLoop:
    """Closes the shopping loop for one runtime (see the module docstring).

    Args:
        rt: The runtime.
        grocery: Where orders go; None: orders are only recorded (nothing is delivered).
    """

    def __init__(self, rt: HomeRuntime, grocery: GroceryService | None) -> None:
        self.rt = rt
        self.grocery = grocery

    # -- what memory knows -------------------------------------------------------------

    def shopping_list(self) -> list[str]:
        """The open items of the shopping list."""
        return [i.item for i in self.rt.memory.symbolic.items("shopping")]

    def running_low(self, known: list[ObjectSighting] | None = None) -> list[str]:
        """Food, drink and pet food kinds memory last saw at :data:`LOW_STOCK` or less.

        Args:
            known: Memory's objects, when the caller has just read them.
        """
        from housemind.agent.knowledge import category_of

        out: list[str] = []
        for o in self.rt.memory.spatial.known_objects() if known is None else known:
            q = (o.state or {}).get("quantity")
            if q is None or q > LOW_STOCK or o.missing:
                continue
            if category_of(o.kind) in _CONSUMABLES and o.kind not in out:
                out.append(o.kind)
        return out

    def stock(self, known: list[ObjectSighting] | None = None) -> dict[str, float]:
        """Food, drink and pet food kinds memory knows, with all their packs summed.

        Args:
            known: Memory's objects, when the caller has just read them.
        """
        from housemind.agent.knowledge import category_of

        out: dict[str, float] = {}
        for o in self.rt.memory.spatial.known_objects() if known is None else known:
            q = (o.state or {}).get("quantity")
            if q is None or category_of(o.kind) not in _CONSUMABLES:
                continue
            out[o.kind] = out.get(o.kind, 0.0) + (0.0 if o.missing else float(q))
        return out

    def bought(self) -> list[dict[str, str]]:
        """What was bought, oldest first: ``{"item": ..., "when": ISO time}``."""
        facts = self.rt.memory.symbolic.facts(predicate="bought_at")
        rows = [{"item": f.subject, "when": f.value} for f in facts]
        return sorted(rows, key=lambda r: (r["when"], r["item"]))

    # -- hooks the runtime calls -------------------------------------------------------

    def after_check_in(self, answer: str | None, items: list[str], task_id: str) -> str:
        """A shopping check-in ended: queue the shopping; the note for the check-in."""
        now = self.rt.clock.now()
        note = ""
        if not answer:
            low = self.running_low()
            for item in low:
                self.rt.memory.symbolic.add_item("shopping", item, added_by="robot", when=now)
            note = (
                f"no answer; ordering what is running low: {', '.join(low)}"
                if low
                else "no answer, and nothing is running low"
            )
        if self.shopping_list():
            self.queue(SHOPPING_GOAL, now, key=f"shop:{task_id}", followup="shopping")
        return note

    def top_up(self, task_id: str, missing: list[str] | tuple[str, ...] = ()) -> None:
        """Order at once the staples the household's chores use that run low (or are used up).

        A food of the recipes (pasta, rice, soup, eggs) or a food or drink a standing chore
        names or needs (coffee, pet food) with :data:`STAPLE_REORDER` or less in all its
        packs, or anything on the shopping list that is used up, is ordered the same day,
        so the next meal or coffee does not wait for the weekly shop. So is
        what the chore just found missing from the home (``missing``: "make tea" and no
        tea anywhere), unless the shop said within :data:`UNAVAILABLE_FOR` that it has
        none: one order, not one a day for nothing.

        Args:
            task_id: The chore that just ended.
            missing: What it needed and the home does not have (its plan's ``missing``, or
                what a failed step found run out: "there is no coffee left in the home").
        """
        from housemind.agent.planners.methods import recipes

        if self.grocery is None:
            return  # nowhere to order from: the items wait on the list
        task = self.rt.tasks.get(task_id)
        if (task.result or {}).get("followup") == "shopping":
            return  # a shopping chore never queues another one (no ordering loops)
        now = self.rt.clock.now()
        listed = self.shopping_list()
        coming = self.on_the_way()
        known = self.rt.memory.spatial.known_objects()  # one read for the three below
        low = self.running_low(known)
        # The recipes' foods, and what a standing chore names that memory *saw* run low
        # (never seen: a home that has none, where the chore says it is missing; ordering
        # it every day would be a shopping chore a day for nothing).
        meal_foods = {d.food for d in recipes().dishes.values()}
        chore_foods = set(self.named_by_chores())
        staples = meal_foods | {k for k in chore_foods if k in low}
        stock = self.stock(known)
        # A staple is reordered with half a pack left in all its packs, the daily coffee
        # as the dinner's pasta: residents use it too, and a delivery takes hours.
        short = [k for k in meal_foods | chore_foods if k in stock and stock[k] <= STAPLE_REORDER]
        staples |= set(short)
        none_in_shop = self.unavailable() if missing else set()  # one read, not per item
        lacking = [k for k in dict.fromkeys(missing) if k not in none_in_shop]
        for kind in dict.fromkeys([*low, *sorted(short), *lacking]):
            if (kind in staples or kind in lacking) and kind not in listed and kind not in coming:
                self.rt.memory.symbolic.add_item("shopping", kind, added_by="robot", when=now)
                listed.append(kind)
        used_up = set(self._used_up(known))
        wanted = [
            i for i in listed if (i in used_up or i in staples or i in lacking) and i not in coming
        ]
        if wanted and not self._shop_queued():
            self.queue(SHOPPING_GOAL, now, key=f"topup:{task_id}", followup="shopping")

    def unavailable(self) -> set[str]:
        """Items the shop said it has none of, within :data:`UNAVAILABLE_FOR`."""
        since = self.rt.clock.now() - UNAVAILABLE_FOR
        return {
            f.subject
            for f in self.rt.memory.symbolic.facts(predicate="unavailable_at")
            if datetime.fromisoformat(f.value) >= since
        }

    def named_by_chores(self) -> list[str]:
        """Food and drink kinds the household's standing chores name ("make coffee": coffee).

        What a chore is asked to make every day is a staple of this household, as the
        foods of the meal recipes are: :meth:`top_up` orders it when it runs low. So is
        what the chore's method always needs without naming it ("feed the cat": pet food,
        the ``requires`` of the feeding method).
        """
        from housemind.agent.knowledge import OBJECT_CATEGORY, category_of, normalise
        from housemind.agent.planners.language import clauses, clean_text
        from housemind.agent.planners.methods import load_methods

        needing = [
            (m, [k for k in m.requires.values() if "{" not in k])
            for m in load_methods()
            if any("{" not in k for k in m.requires.values())
        ]
        out: list[str] = []
        for instr in self.rt.instructions.list(enabled=True):
            goal = instr.goal or instr.text
            for word in re.findall(r"[a-z]+", goal.lower()):
                kind = normalise(word)
                if (
                    kind in OBJECT_CATEGORY
                    and category_of(kind) in _CONSUMABLES
                    and kind not in out
                ):
                    out.append(kind)
            for clause in clauses(clean_text(goal)):
                for m, kinds in needing:
                    if any(p.match(clause.text) is not None for p in m.patterns()):
                        out += [k for k in kinds if k not in out]
        return out

    def on_the_way(self) -> set[str]:
        """Items ordered and not yet put away (never ordered twice).

        An order the grocery service does not know is not on its way, even with its
        put-away queued: a run killed just after ordering resumes with the simulated home
        as it was before the order (its last snapshot), so the chore that ordered orders
        again (the same order, on the same simulated time) instead of leaving a put-away
        with no delivery and the items never bought.
        """
        aways = [
            r
            for state in ("pending", "running")
            for t in self.rt.tasks.list(state=state)
            if (r := t.result or {}).get("followup") == "put_away"
        ]
        known = None
        if aways and self.grocery is not None:
            known = {d.id for d in self.grocery.deliveries()}
        out: set[str] = set()
        for r in aways:
            if known is None or not r.get("order") or r["order"] in known:
                out |= set(r.get("items", []))
        return out

    def _shop_queued(self) -> bool:
        return any(
            t.goal == SHOPPING_GOAL and t.instruction_id is None
            for t in self.rt.tasks.list(state="pending")
        )

    def order(self, items: list[str], task_id: str) -> str:
        """Order ``items`` (a chore's plan's ``orders``); the note for the chore."""
        now = self.rt.clock.now()
        sym = self.rt.memory.symbolic
        coming = self.on_the_way()
        asked = [i for i in dict.fromkeys(items) if i]
        items = [i for i in asked if i not in coming]
        if not items:
            for item in asked:
                sym.check_off("shopping", item, when=now)
            return "nothing to order (what is on the list is on the way)"
        if self.grocery is None:
            self.rt.memory.episodic.record(
                "order", f"no grocery service: could not order {', '.join(items)}", now
            )
            return f"no grocery service to order from; {', '.join(items)} stay on the list"
        delivery = self.grocery.order(items)
        for item in delivery.unavailable:  # not asked of the shop again for a while
            when = now.isoformat()
            sym.tell(item, "unavailable_at", when, source="robot", valid_from=now, replace=True)
        self.rt.memory.episodic.record(
            "order",
            f"ordered {', '.join(delivery.items) or 'nothing'}"
            + (f"; unavailable: {', '.join(delivery.unavailable)}" if delivery.unavailable else "")
            + f"; due {delivery.due_at:%a %H:%M}",
            now,
            task_id=task_id,
            data={"order": delivery.id, "items": delivery.items},
        )
        if delivery.items:
            self.queue(
                PUT_AWAY_GOAL,
                self._awake(delivery.due_at + _PUT_AWAY_AFTER),
                key=f"put_away:{delivery.id}",
                followup="put_away",
                order=delivery.id,
                items=list(delivery.items),
            )
        # Off the list last: a crash before this leaves the items on it, and the order
        # (or the put-away of one the shop knows) is found again on recovery.
        for item in asked:
            sym.check_off("shopping", item, when=now)
        note = f"ordered {', '.join(delivery.items)}" if delivery.items else "ordered nothing"
        if delivery.unavailable:
            note += f"; the shop has no {', '.join(delivery.unavailable)}"
        if delivery.items:
            due = delivery.due_at.astimezone(self.rt.clock.tz)
            note += f"; delivery due {due:%a %H:%M}"
        return note

    def put_away_done(self, result: dict[str, Any]) -> None:
        """A delivery was put away: memory records the items bought and when."""
        now = self.rt.clock.now()
        items = list(result.get("items", []))
        for item in items:
            self.rt.memory.symbolic.tell(
                item, "bought_at", now.isoformat(), source="robot", valid_from=now
            )
        if items:
            self.rt.memory.episodic.record(
                "bought", f"bought {', '.join(items)} (order {result.get('order')})", now
            )

    # -- queueing ----------------------------------------------------------------------

    def queue(self, goal: str, due: datetime, *, key: str, followup: str, **extra: Any) -> None:
        """Queue a one-off task the loop needs (idempotent per ``key``)."""
        task_id = "task-" + hashlib.sha256(f"followup|{key}".encode()).hexdigest()[:20]
        self.rt.tasks.add_followup(task_id, goal, due, result={"followup": followup, **extra})
        logger.info("queued %s (%s) for %s", goal, task_id, due.isoformat())

    def _awake(self, when: datetime) -> datetime:
        """``when``, or the end of the household's quiet hours if it falls in them."""
        from housemind.scheduler.routines import HouseholdRoutine

        routine = HouseholdRoutine.from_facts(
            self.rt.memory.symbolic.facts(), tz=str(self.rt.clock.tz)
        )
        t = when
        for _ in range(24 * 4):  # quarter hours: at most a day ahead
            if not routine.sleeping(t):
                return t
            t += timedelta(minutes=15)
        return when

    def _used_up(self, known: list[ObjectSighting] | None = None) -> list[str]:
        out = []
        for o in self.rt.memory.spatial.known_objects() if known is None else known:
            if (o.state or {}).get("quantity", 1.0) <= 0.0 and o.kind not in out:
                out.append(o.kind)
        return out
