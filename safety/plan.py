"""Plan-level checks: the rule book's ``plan`` rules evaluated over a :class:`SafetyContext`."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from housemind.safety.context import SafetyContext, kind_of
from housemind.safety.rulebook import PlanRule, PlanWhen, RuleBook
from housemind.safety.verdict import SafetyVerdict, Verdict
from housemind.skills.types import parse_atom

__all__ = ["PlanChecker", "fill_explanation"]

logger = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{(\w+)\}")

# One argument of a fact pattern: ("lit", name) | ("any", "") | ("arg", key) |
# ("group", kinds) -- kinds is a frozenset of kind words.
_Arg = tuple[str, object]
_Facts = list[tuple[str, tuple[str, ...]]]
_Test = Callable[[SafetyContext, _Facts], bool]


def _kind_in(kind: str | None, kinds: frozenset[str]) -> bool:
    if not kind:
        return False
    # "chef_knife" is a knife: English compounds name their kind last.
    return kind in kinds or kind.rsplit("_", 1)[-1] in kinds


def _slots(ctx: SafetyContext) -> dict[str, str]:
    slots = {k: str(v) for k, v in ctx.args.items()}
    if ctx.held:
        slots.setdefault("held", ctx.held)
    return slots


def fill_explanation(text: str, ctx: SafetyContext) -> str:
    """Fill ``{target}``, ``{object}``, ``{held}`` (or any argument) into a rule's sentence.

    Unknown names are left as they are; this is plain substitution, not ``str.format``,
    so a rule book cannot reach into Python objects.
    """
    slots = _slots(ctx)
    return _PLACEHOLDER.sub(lambda m: slots.get(m.group(1), m.group(0)).replace("_", " "), text)


@dataclass(frozen=True)
class _Pattern:
    pred: str
    args: tuple[_Arg, ...]

    @classmethod
    def compile(cls, text: str, groups: dict[str, list[str]]) -> _Pattern:
        # parse_atom rejects "{target}" and "$metal"; the loader already checked the shape.
        pred, raw = _split(text)
        out: list[_Arg] = []
        for a in raw:
            if a == "*":
                out.append(("any", ""))
            elif a.startswith("{") and a.endswith("}"):
                out.append(("arg", a[1:-1]))
            elif a.startswith("$"):
                out.append(("group", frozenset(w.lower().replace(" ", "_") for w in groups[a[1:]])))
            else:
                out.append(("lit", a))
        return cls(pred, tuple(out))

    def holds(self, ctx: SafetyContext, facts: _Facts) -> bool | None:
        """Whether some fact matches; None if a placeholder has no value in this step."""
        slots = _slots(ctx)
        want: list[_Arg] = []
        for kind, val in self.args:
            if kind == "arg":
                if val not in slots:
                    return None
                want.append(("lit", slots[str(val)]))
            else:
                want.append((kind, val))
        for pred, args in facts:
            if pred != self.pred or len(args) != len(want):
                continue
            if all(_arg_ok(w, a) for w, a in zip(want, args, strict=True)):
                return True
        return False


def _split(text: str) -> tuple[str, tuple[str, ...]]:
    text = text.strip()
    if "(" not in text:
        return text, ()
    pred, _, rest = text.rstrip(")").partition("(")
    return pred.strip(), tuple(a.strip() for a in rest.split(",") if a.strip())


def _arg_ok(want: _Arg, got: str) -> bool:
    kind, val = want
    if kind == "any":
        return True
    if kind == "lit":
        return got == val
    return _kind_in(kind_of(got), val)  # type: ignore[arg-type]


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def _compile(when: PlanWhen, groups: dict[str, list[str]]) -> list[_Test]:
    """Turn a condition into a list of small tests that must all pass."""
    tests: list[_Test] = []
    if when.skill is not None:
        skills = frozenset(when.skill)
        tests.append(lambda c, f: c.skill.lower() in skills)
    if when.args is not None:
        wanted = {k: frozenset(v) for k, v in when.args.items()}
        tests.append(
            lambda c, f: all(
                k in c.args and str(c.args[k]).lower() in vs for k, vs in wanted.items()
            )
        )
    for role, kinds_ in (
        ("object", when.object_kind),
        ("target", when.target_kind),
        ("held", when.holding_kind),
    ):
        if kinds_ is not None:
            kinds = frozenset(kinds_)
            tests.append(lambda c, f, r=role, k=kinds: _kind_in(c.kind(r), k))
    if when.risk is not None:
        risks = frozenset(when.risk)
        tests.append(lambda c, f: c.risk in risks)
    for attr, want in (
        ("people_home", when.people_home),
        ("people_near_robot", when.people_near_robot),
        ("pets_near_robot", when.pets_near_robot),
    ):
        if want is not None:
            empty = want == "empty"
            tests.append(lambda c, f, a=attr, e=empty: (not getattr(c, a)) == e)
    if when.child_near_robot is not None:
        flag = when.child_near_robot
        tests.append(lambda c, f: bool(c.children() & set(c.people_near_robot)) == flag)
    for text in when.facts_present or ():
        pat = _Pattern.compile(text, groups)
        tests.append(lambda c, f, p=pat: p.holds(c, f) is True)
    for text in when.facts_absent or ():
        pat = _Pattern.compile(text, groups)
        tests.append(lambda c, f, p=pat: p.holds(c, f) is False)
    if when.time_between is not None:
        start, end = (_minutes(t) for t in when.time_between)

        def in_window(c: SafetyContext, f: _Facts, s: int = start, e: int = end) -> bool:
            if c.time is None:
                return False
            m = c.time.hour * 60 + c.time.minute
            return s <= m < e if s <= e else (m >= s or m < e)

        tests.append(in_window)
    if when.any_of is not None:
        alternatives = [_compile(sub, groups) for sub in when.any_of]
        tests.append(lambda c, f: any(all(t(c, f) for t in alt) for alt in alternatives))
    return tests


class PlanChecker:
    """Evaluates the rule book's plan rules; all matching rules are merged.

    Args:
        rulebook: The rule book.
    """

    def __init__(self, rulebook: RuleBook) -> None:
        self._rules: list[tuple[PlanRule, list[_Test]]] = [
            (r, _compile(r.when, rulebook.groups)) for r in rulebook.plan_rules()
        ]

    def matching(self, ctx: SafetyContext) -> list[PlanRule]:
        """Rules whose condition holds for ``ctx``, in rule-book order."""
        facts = _parse_facts(ctx.facts)
        return [r for r, tests in self._rules if all(t(ctx, facts) for t in tests)]

    def check(self, ctx: SafetyContext) -> SafetyVerdict:
        """Verdict for one step: deny beats confirm beats allow."""
        verdict = SafetyVerdict()
        for rule in self.matching(ctx):
            verdict = verdict.merge(
                SafetyVerdict(
                    verdict=Verdict(rule.verdict),
                    reasons=[fill_explanation(rule.explain, ctx)],
                    rules=[rule.id],
                )
            )
        return verdict


def _parse_facts(facts: Iterable[str]) -> _Facts:
    out: _Facts = []
    for fact in facts:
        try:
            out.append(parse_atom(fact))
        except ValueError:
            logger.warning("ignoring malformed fact %r in safety context", fact)
    return out
