"""The rule book (the robot's constitution): a YAML file people can read and edit.

The file has four parts (see ``safety/rules.yaml`` for the shipped one):

``groups``
    Named word lists (``metal: [fork, spoon, knife, ...]``); a rule refers to a group as
    ``$metal`` wherever it takes a list of words or kinds.
``rules``
    Each rule has an ``id``, a ``level`` (``instruction``: what a person asks; ``plan``: a
    step the planner wants to take), a ``hazard`` category, a ``when`` condition, a
    ``verdict`` (``deny`` or ``confirm``) and an ``explain`` sentence for the person.
``action``
    Numeric limits that the :class:`~safety.guard.ActionGuard` applies on every control
    tick (speeds, distance to people, keep-out zones).

Conditions are plain data, never code: a fixed set of matchers, all of which must hold
(``any_of`` gives "or"). Loading validates everything and raises :class:`RuleBookError`
naming the rule and the field that is wrong.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from housemind._yaml import load_yaml
from housemind.safety._text import GAP
from housemind.skills.types import parse_atom

__all__ = [
    "ActionLimits",
    "InstructionRule",
    "InstructionWhen",
    "KeepOutZone",
    "PlanRule",
    "PlanWhen",
    "Rule",
    "RuleBook",
    "RuleBookError",
    "default_rulebook_path",
    "load_rulebook",
]


Risk = Literal["low", "medium", "high"]
Emptiness = Literal["empty", "not empty"]
_GROUP_REF = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$")
_GROUP_IN_ATOM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class RuleBookError(ValueError):
    """The rule book file is malformed; the message names the rule, the field and the fix."""


def _as_list(v: Any) -> Any:
    """Let people write ``skill: toggle`` as well as ``skill: [toggle, open]``."""
    if v is None or isinstance(v, list):
        return v
    return [v]


def _yaml_word(v: Any) -> Any:
    # YAML 1.1 reads a bare on/off/yes/no as a boolean; a person writing `state: on`
    # means the word.
    if v is True:
        return "on"
    if v is False:
        return "off"
    return v


def _kind_words(v: Any) -> Any:
    v = _as_list(v)
    if v is None:
        return v
    return [str(_yaml_word(x)).strip().lower().replace(" ", "_") for x in v]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InstructionWhen(_Strict):
    """When an instruction rule fires; phrases are matched on lemmas, case-insensitively.

    A phrase is one or more words; ``...`` inside it lets up to four words stand between
    ("leave ... on" matches "leave the oven on").

    Attributes:
        mentions_all: Groups of phrases; every group must have a phrase in the text.
        mentions_any: One group of phrases; shorthand for a single ``mentions_all`` group.
        mentions_none: Phrases that, if present, stop the rule from firing
            ("turn ... off").
        any_of: Alternative conditions; at least one must hold as well. For a rule
            whose words need different company in different cases (a tap may be
            "left while we're away", the bare word "water" only "left running").
        not_from: Words naming where something is taken from ("out of the tin", "from
            the flask", "empty the can") do not count: what was in it moves, the
            container stays (see :func:`~safety.instruction.source_positions`).
        things: Indices of ``mentions_all`` groups that name things: there a word that
            is the verb starting a step ("SPOON the baby food into a bowl"), or a thing
            said not to be used ("not the gold rim one"), does not count (see
            :func:`~safety.instruction.not_the_thing`).
    """

    mentions_all: list[list[str]] = Field(default_factory=list)
    mentions_any: list[str] = Field(default_factory=list)
    mentions_none: list[str] = Field(default_factory=list)
    not_from: bool = False
    things: list[int] = Field(default_factory=list)
    any_of: list[InstructionWhen] | None = None

    @field_validator("mentions_any", "mentions_none", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        v = _as_list(v)
        return [str(_yaml_word(x)) for x in v] if v is not None else v

    @field_validator("mentions_all", mode="before")
    @classmethod
    def _listify_groups(cls, v: Any) -> Any:
        if not isinstance(v, list):
            return v
        return [[str(_yaml_word(x)) for x in _as_list(g)] for g in v]

    @model_validator(mode="after")
    def _not_empty(self) -> InstructionWhen:
        if not self.mentions_all and not self.mentions_any and not self.any_of:
            raise ValueError(
                "needs mentions_all or mentions_any, or any_of alternatives (else it would "
                "match any text)"
            )
        for phrase in (
            *self.mentions_any,
            *self.mentions_none,
            *(p for g in self.mentions_all for p in g),
        ):
            words = phrase.split()
            if not words or words[0] == GAP or words[-1] == GAP:
                raise ValueError(f"phrase {phrase!r}: '...' must stand between two words")
        return self


class PlanWhen(_Strict):
    """When a plan rule fires. Every matcher given must hold; unset ones are ignored.

    Kinds (``object_kind``, ``target_kind``, ``holding_kind``) compare against the kind of
    the thing, which the context gives or which is guessed from the name (``knife_2`` is a
    ``knife``; ``chef_knife`` is a ``knife``, since English names its kind last).

    Attributes:
        skill: The step's skill is one of these.
        args: Each named argument has one of the listed values (``state: "on"``).
        object_kind: The kind of ``args.object`` is one of these.
        target_kind: The kind of ``args.target`` is one of these.
        holding_kind: The kind of the held object is one of these.
        risk: The skill's risk level is one of these.
        people_home: ``empty`` or ``not empty``.
        people_near_robot: ``empty`` or ``not empty`` (people within about 1.5 m).
        pets_near_robot: ``empty`` or ``not empty``.
        child_near_robot: True when one of ``extra["children"]`` is near the robot.
        facts_present: Every one of these facts holds. ``{target}``, ``{object}``,
            ``{held}`` or any argument name is filled in; ``*`` matches any name;
            ``$group`` matches any name whose kind is in the group.
        facts_absent: None of these facts holds (same patterns).
        time_between: ``["23:00", "05:00"]``: local time of the step in this window.
        any_of: At least one of these nested conditions holds.
    """

    skill: list[str] | None = None
    args: dict[str, list[str]] | None = None
    object_kind: list[str] | None = None
    target_kind: list[str] | None = None
    holding_kind: list[str] | None = None
    risk: list[Risk] | None = None
    people_home: Emptiness | None = None
    people_near_robot: Emptiness | None = None
    pets_near_robot: Emptiness | None = None
    child_near_robot: bool | None = None
    facts_present: list[str] | None = None
    facts_absent: list[str] | None = None
    time_between: tuple[str, str] | None = None
    any_of: list[PlanWhen] | None = None

    @field_validator("skill", "object_kind", "target_kind", "holding_kind", mode="before")
    @classmethod
    def _kinds(cls, v: Any) -> Any:
        return _kind_words(v)

    @field_validator("risk", "facts_present", "facts_absent", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return _as_list(v)

    @field_validator("args", mode="before")
    @classmethod
    def _args(cls, v: Any) -> Any:
        if not isinstance(v, Mapping):
            return v
        return {
            str(_yaml_word(k)): [str(_yaml_word(x)) for x in _as_list(x_)] for k, x_ in v.items()
        }

    @field_validator("time_between")
    @classmethod
    def _hhmm(cls, v: tuple[str, str] | None) -> tuple[str, str] | None:
        if v is not None:
            for t in v:
                if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", t):
                    raise ValueError(f"time {t!r} must be HH:MM, e.g. '23:00'")
        return v

    @model_validator(mode="after")
    def _not_empty(self) -> PlanWhen:
        if not self.model_fields_set:
            raise ValueError("empty condition (it would match every step)")
        return self


class _RuleBase(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    hazard: str = Field(min_length=1)
    verdict: Literal["deny", "confirm"]
    explain: str = Field(min_length=1)


class InstructionRule(_RuleBase):
    """A rule over what a person asks (free text)."""

    level: Literal["instruction"]
    when: InstructionWhen


class PlanRule(_RuleBase):
    """A rule over one plan step (skill, arguments and the situation).

    ``wait_s`` marks a denial the situation lifts by itself (someone within reach of a
    knife walks on): the robot waits that long and checks the step again, a few times,
    before the chore ends denied (``agent.runtime.HomeRuntime.check_subtask``).
    """

    level: Literal["plan"]
    when: PlanWhen
    wait_s: float | None = Field(default=None, gt=0, le=600)


Rule = Annotated[InstructionRule | PlanRule, Field(discriminator="level")]
_RULE = TypeAdapter(Rule)


class KeepOutZone(_Strict):
    """A rectangle of the floor the robot's base must not enter (world frame, metres).

    Attributes:
        name: What it is ("stairs", "baby corner").
        rect: ``[x0, y0, x1, y1]`` with ``x0 < x1`` and ``y0 < y1``.
    """

    name: str
    rect: tuple[float, float, float, float]

    @field_validator("rect")
    @classmethod
    def _ordered(cls, v: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = v
        if not (x0 < x1 and y0 < y1):
            raise ValueError(f"rect {list(v)} must be [x0, y0, x1, y1] with x0 < x1, y0 < y1")
        return v


class ActionLimits(_Strict):
    """Numeric limits applied to every action (see :class:`~safety.guard.ActionGuard`).

    Attributes:
        max_speed_mps: Base speed limit anywhere.
        max_speed_near_people_mps: Base speed limit while a person is within
            ``near_people_m``.
        near_people_m: Distance at which people count as near.
        stop_near_people_m: Closer than this, the base may only move away from the person.
        max_yaw_rate_rps: Turning rate limit.
        keep_out_zones: Floor areas the base must not enter.
        keep_out_margin_m: Added around each zone (about the robot's radius).
        lookahead_s: How far ahead a commanded velocity is projected for the zone check.
        max_hand_speed_mps: Speed limit of an arm's hand (end effector) anywhere.
        max_hand_speed_near_people_mps: The hand's speed limit while a person is within
            ``near_people_m`` of the arm; 0.25 m/s is the reduced speed ISO 10218-1 gives
            for an industrial arm working beside people.
    """

    max_speed_mps: float = Field(0.8, gt=0)
    max_speed_near_people_mps: float = Field(0.3, ge=0)
    near_people_m: float = Field(1.5, ge=0)
    stop_near_people_m: float = Field(0.5, ge=0)
    max_yaw_rate_rps: float = Field(2.0, gt=0)
    keep_out_zones: list[KeepOutZone] = Field(default_factory=list)
    keep_out_margin_m: float = Field(0.3, ge=0)
    lookahead_s: float = Field(0.5, gt=0)
    max_hand_speed_mps: float = Field(1.0, gt=0)
    max_hand_speed_near_people_mps: float = Field(0.25, ge=0)


class RuleBook(BaseModel):
    """A validated rule book. Build it with :func:`load_rulebook`.

    Attributes:
        version: File format version (1).
        groups: Named word lists, already expanded into the rules.
        rules: Instruction and plan rules, in file order.
        action: Limits for the action guard.
        source: Where the rule book was read from.
    """

    model_config = ConfigDict(frozen=True)

    version: int = 1
    groups: dict[str, list[str]] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)
    action: ActionLimits = Field(default_factory=ActionLimits)
    source: str = "<memory>"

    def instruction_rules(self) -> list[InstructionRule]:
        """Rules of the instruction level."""
        return [r for r in self.rules if isinstance(r, InstructionRule)]

    def plan_rules(self) -> list[PlanRule]:
        """Rules of the plan level."""
        return [r for r in self.rules if isinstance(r, PlanRule)]

    def rule(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id``.

        Raises:
            KeyError: naming close ids, if there is none.
        """
        for r in self.rules:
            if r.id == rule_id:
                return r
        close = difflib.get_close_matches(rule_id, [r.id for r in self.rules], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise KeyError(f"no rule {rule_id!r} in {self.source}{hint}")

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<memory>") -> RuleBook:
        """Validate a parsed rule book (the YAML as Python data).

        Raises:
            RuleBookError: naming the rule id, the field and what is wrong.
        """
        if not isinstance(data, Mapping):
            raise RuleBookError(
                f"{source}: expected a mapping with 'rules', got {type(data).__name__}"
            )
        unknown = set(data) - {"version", "groups", "rules", "action"}
        if unknown:
            raise RuleBookError(
                f"{source}: unknown top-level section(s) {sorted(unknown)}; "
                "allowed: version, groups, rules, action"
            )
        version = data.get("version", 1)
        if version != 1:
            raise RuleBookError(f"{source}: version {version!r} is not supported (use 1)")
        groups = _load_groups(data.get("groups") or {}, source)
        raw_rules = data.get("rules") or []
        if not isinstance(raw_rules, list):
            raise RuleBookError(f"{source}: 'rules' must be a list of rules")
        rules: list[Rule] = []
        seen: set[str] = set()
        for i, raw in enumerate(raw_rules):
            rid = raw.get("id", "?") if isinstance(raw, Mapping) else "?"
            where = f"{source}: rule {rid!r} (rules[{i}])"
            if not isinstance(raw, Mapping):
                raise RuleBookError(f"{where}: a rule must be a mapping with id, level, ...")
            if rid in seen:
                raise RuleBookError(f"{where}: duplicate id {rid!r}; rule ids must be unique")
            seen.add(rid)
            raw = dict(raw)
            if "when" in raw:
                raw["when"] = _expand(raw["when"], groups, f"{where}: when")
            try:
                rule = _RULE.validate_python(raw)
            except ValidationError as e:
                raise RuleBookError(_explain_error(where, e)) from None
            if isinstance(rule, PlanRule):
                _check_atoms(rule.when, groups, where)
            rules.append(rule)
        try:
            action = ActionLimits.model_validate(data.get("action") or {})
        except ValidationError as e:
            raise RuleBookError(_explain_error(f"{source}: action", e)) from None
        return cls(version=1, groups=groups, rules=rules, action=action, source=source)


def _load_groups(raw: Any, source: str) -> dict[str, list[str]]:
    if not isinstance(raw, Mapping):
        raise RuleBookError(f"{source}: 'groups' must map names to lists of words")
    out: dict[str, list[str]] = {}
    for name, words in raw.items():
        if not isinstance(words, list) or not words:
            raise RuleBookError(f"{source}: group {name!r} must be a non-empty list of words")
        out[str(name)] = [str(_yaml_word(w)) for w in words]
    return out


def _expand(value: Any, groups: dict[str, list[str]], where: str) -> Any:
    """Replace ``$group`` items of lists (and bare ``$group`` values) by the group's words."""
    if isinstance(value, Mapping):
        out_map: dict[Any, Any] = {}
        for k, v in value.items():
            if k == "mentions_all" and isinstance(v, list):
                # Each item of mentions_all is one group: `$heat_words` stays a group of its
                # own instead of being spliced into the list.
                out_map[k] = [
                    _expand(_as_list(g), groups, f"{where}.{k}[{i}]") for i, g in enumerate(v)
                ]
            else:
                out_map[k] = _expand(v, groups, f"{where}.{k}")
        return out_map
    if isinstance(value, list):
        out: list[Any] = []
        for i, item in enumerate(value):
            if isinstance(item, str) and _GROUP_REF.match(item):
                out.extend(_group(item, groups, f"{where}[{i}]"))
            else:
                out.append(_expand(item, groups, f"{where}[{i}]"))
        return out
    if isinstance(value, str) and _GROUP_REF.match(value):
        return list(_group(value, groups, where))
    return value


def _group(ref: str, groups: dict[str, list[str]], where: str) -> list[str]:
    name = ref[1:]
    if name not in groups:
        close = difflib.get_close_matches(name, list(groups), n=3)
        hint = f"; did you mean {', '.join('$' + c for c in close)}?" if close else ""
        raise RuleBookError(
            f"{where}: unknown group {ref!r}{hint} "
            f"(defined groups: {', '.join(sorted(groups)) or 'none'})"
        )
    return groups[name]


def _check_atoms(when: PlanWhen, groups: dict[str, list[str]], where: str) -> None:
    for field in ("facts_present", "facts_absent"):
        for pattern in getattr(when, field) or ():
            try:
                parse_atom(re.sub(r"[{}$*]", "x", pattern))
            except ValueError as e:
                raise RuleBookError(f"{where}: when.{field}: {e}") from None
            for name in _GROUP_IN_ATOM.findall(pattern):
                _group("$" + name, groups, f"{where}: when.{field}")
    for sub in when.any_of or ():
        _check_atoms(sub, groups, where)


def _explain_error(where: str, err: ValidationError) -> str:
    lines = []
    for e in err.errors():
        # The first loc item of a discriminated union is the tag ("plan"); drop it.
        loc = [str(p) for p in e["loc"]]
        if loc and loc[0] in ("instruction", "plan"):
            loc = loc[1:]
        field = ".".join(loc) or "(rule)"
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = f"unknown field {loc[-1]!r}" + _field_hint(e["loc"])
        elif e["type"] == "string_type" and isinstance(e.get("input"), bool):
            msg += " (YAML reads a bare yes/no/on/off as true/false: put it in quotes)"
        elif e["type"] == "union_tag_invalid":
            msg = "level must be 'instruction' or 'plan'"
            field = "level"
        elif e["type"] == "union_tag_not_found":
            msg = "missing 'level' (instruction or plan)"
            field = "level"
        lines.append(
            f"{where}: {field}: {msg} (got {e.get('input')!r})"
            if e["type"] not in ("missing", "union_tag_not_found")
            else f"{where}: {field}: {msg}"
        )
    return "\n".join(lines)


def _field_hint(loc: tuple[Any, ...]) -> str:
    name = str(loc[-1])
    parent = [str(p) for p in loc[:-1]]
    known: list[str]
    if "when" in parent:
        model = PlanWhen if parent and parent[0] == "plan" else InstructionWhen
        known = list(model.model_fields)
    elif parent and parent[0] in ("instruction", "plan"):
        known = list(InstructionRule.model_fields)
    else:
        known = list(ActionLimits.model_fields) + list(KeepOutZone.model_fields)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{hint} Allowed: {', '.join(known)}"


def default_rulebook_path() -> Path:
    """Path of the rule book shipped with housemind (``safety/rules.yaml``)."""
    return Path(str(resources.files(__package__).joinpath("rules.yaml")))


def load_rulebook(path: str | Path | None = None) -> RuleBook:
    """Read and validate a rule book file; ``None`` loads the shipped one.

    Raises:
        RuleBookError: if the file is missing, is not YAML, or a rule is malformed; the
            message names the file, the rule id and the field.
    """
    p = Path(path) if path is not None else default_rulebook_path()
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise RuleBookError(f"cannot read rule book {p}: {e.strerror or e}") from None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as e:
        raise RuleBookError(f"{p}: not valid YAML: {e}") from None
    return RuleBook.from_dict(data, source=str(p))
