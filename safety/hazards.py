"""The hazard knowledge base: household hazards as object/action/context combinations.

The shipped base is ``safety/hazards.yaml`` (read its header for the format). It is
looser than the rule book: :class:`~safety.semantic.HazardMatcher` finds an entry either by
its words (lemmatised) or by the meaning of its example sentences (sentence embeddings).
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from housemind._yaml import load_yaml
from housemind.safety._text import GAP
from housemind.safety.rulebook import RuleBookError

__all__ = [
    "HazardEntry",
    "HazardException",
    "HazardKB",
    "HazardKBError",
    "default_hazard_kb_path",
    "load_hazard_kb",
]


class HazardKBError(RuleBookError):
    """The hazard knowledge base file is malformed; the message names the entry and field."""


def _words(v: Any) -> Any:
    if v is None:
        return []
    if not isinstance(v, list):
        v = [v]
    # YAML 1.1 reads a bare on/off as a boolean; a person writing it means the word.
    return [("on" if x is True else "off" if x is False else str(x)).strip() for x in v]


def _check_phrases(v: list[str]) -> list[str]:
    for phrase in v:
        words = phrase.split()
        if not words or words[0] == GAP or words[-1] == GAP:
            raise ValueError(f"phrase {phrase!r}: '...' must stand between two words")
    return v


class HazardException(BaseModel):
    """An ordinary case that shares an entry's words, scoped to some of its objects.

    Unlike the entry's ``unless`` (which clears the text of the whole entry), an
    exception clears it only for the objects it names, and only while none of its own
    ``unless`` phrases is said: a damp cloth inside a switched-off microwave is
    cleaning, a damp cloth on a socket, or on a microwave that is running, is not.
    Both the word and the meaning matcher honour it.

    Attributes:
        phrases: Any one of these makes the exception apply ("damp ... cloth").
        objects: The entry's objects it covers. The text must name one of them and none
            of the entry's other objects. Empty: any object.
        unless: Phrases that void the exception ("plugged in", "while ... on").
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    phrases: list[str] = Field(min_length=1)
    objects: list[str] = Field(default_factory=list)
    unless: list[str] = Field(default_factory=list)

    @field_validator("phrases", "objects", "unless", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return _words(v)

    @field_validator("phrases", "objects", "unless")
    @classmethod
    def _phrases(cls, v: list[str]) -> list[str]:
        return _check_phrases(v)


class HazardEntry(BaseModel):
    """One hazard: which words or meanings reveal it, and what the robot says.

    Attributes:
        id: Short name; verdicts cite it as ``kb:<id>``.
        category: Hazard category (``microwave``, ``fire_heat``, ...).
        verdict: ``deny`` or ``confirm``.
        explain: The sentence the person hears.
        objects: Things involved (phrases; ``...`` is a gap of up to four words).
        actions: What is done with them.
        contexts: Situations that make it hazardous; empty means any situation.
        unless: Phrases that make the words match not count ("take ... out").
        exceptions: Ordinary cases that hold for some of the objects only (see
            :class:`HazardException`).
        needs: Groups (``objects``, ``actions``, ``contexts``) that must be found in
            words even for a match by meaning (the pet in "feed the dog grapes").
        examples: Sentences describing the hazard, matched by meaning.
        near_misses: Ordinary chores that sound like it ("wash the fork"); a match by
            meaning must be closer to ``examples`` than to these.
        not_from: Words naming where something is taken from ("out of the tin", "from
            the flask") do not count (see :func:`~safety.instruction.source_positions`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    category: str = Field(min_length=1)
    verdict: Literal["deny", "confirm"]
    explain: str = Field(min_length=1)
    objects: list[str] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    contexts: list[str] = Field(default_factory=list)
    unless: list[str] = Field(default_factory=list)
    exceptions: list[HazardException] = Field(default_factory=list)
    needs: list[Literal["objects", "actions", "contexts"]] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    near_misses: list[str] = Field(default_factory=list)
    not_from: bool = False

    @field_validator(
        "objects", "actions", "contexts", "unless", "examples", "near_misses", mode="before"
    )
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return _words(v)

    @field_validator("objects", "actions", "contexts", "unless")
    @classmethod
    def _phrases(cls, v: list[str]) -> list[str]:
        return _check_phrases(v)

    @model_validator(mode="after")
    def _exception_objects(self) -> HazardEntry:
        for i, exc in enumerate(self.exceptions):
            unknown = [o for o in exc.objects if o not in self.objects]
            if unknown:
                raise ValueError(
                    f"exceptions[{i}].objects {unknown} are not among the entry's objects; "
                    "an exception can only narrow the entry (add them to objects, or fix "
                    "the spelling)"
                )
        return self

    @property
    def rule_id(self) -> str:
        """The id verdicts cite: ``kb:<id>``."""
        return f"kb:{self.id}"


class HazardKB(BaseModel):
    """A validated hazard knowledge base. Build it with :func:`load_hazard_kb`.

    Attributes:
        version: File format version (1).
        entries: The hazards.
        safe_examples: Ordinary chores; a hazard found by meaning alone must be clearly
            closer to its own examples than to these.
        source: Where it was read from.
    """

    model_config = ConfigDict(frozen=True)

    version: int = 1
    entries: list[HazardEntry] = Field(default_factory=list)
    safe_examples: list[str] = Field(default_factory=list)
    source: str = "<memory>"

    def categories(self) -> list[str]:
        """The hazard categories, in first-seen order."""
        return list(dict.fromkeys(e.category for e in self.entries))

    @classmethod
    def from_dict(cls, data: Any, *, source: str = "<memory>") -> HazardKB:
        """Validate a parsed knowledge base (the YAML as Python data).

        Raises:
            HazardKBError: naming the entry id, the field and what is wrong.
        """
        if not isinstance(data, Mapping):
            raise HazardKBError(f"{source}: expected a mapping with 'entries'")
        unknown = set(data) - {"version", "entries", "safe_examples"}
        if unknown:
            raise HazardKBError(
                f"{source}: unknown section(s) {sorted(unknown)}; "
                "allowed: version, entries, safe_examples"
            )
        if data.get("version", 1) != 1:
            raise HazardKBError(f"{source}: version {data.get('version')!r} is not supported")
        raw = data.get("entries") or []
        if not isinstance(raw, list):
            raise HazardKBError(f"{source}: 'entries' must be a list")
        entries: list[HazardEntry] = []
        seen: set[str] = set()
        for i, item in enumerate(raw):
            eid = item.get("id", "?") if isinstance(item, Mapping) else "?"
            where = f"{source}: entry {eid!r} (entries[{i}])"
            if eid in seen:
                raise HazardKBError(f"{where}: duplicate id; entry ids must be unique")
            seen.add(eid)
            try:
                entry = HazardEntry.model_validate(item)
            except ValidationError as e:
                msgs = "; ".join(
                    f"{'.'.join(str(p) for p in err['loc']) or '(entry)'}: {err['msg']}"
                    for err in e.errors()
                )
                raise HazardKBError(f"{where}: {msgs}") from None
            if not entry.examples and not (entry.objects and entry.actions):
                raise HazardKBError(
                    f"{where}: needs examples, or both objects and actions (else it can "
                    "never match)"
                )
            entries.append(entry)
        safe = _words(data.get("safe_examples"))
        return cls(entries=entries, safe_examples=safe, source=source)


def default_hazard_kb_path() -> Path:
    """Path of the knowledge base shipped with housemind (``safety/hazards.yaml``)."""
    return Path(str(resources.files(__package__).joinpath("hazards.yaml")))


def load_hazard_kb(path: str | Path | None = None) -> HazardKB:
    """Read and validate a hazard knowledge base; ``None`` loads the shipped one.

    Raises:
        HazardKBError: if the file is missing, is not YAML, or an entry is malformed.
    """
    p = Path(path) if path is not None else default_hazard_kb_path()
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise HazardKBError(f"cannot read hazard knowledge base {p}: {e.strerror or e}") from None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as e:
        raise HazardKBError(f"{p}: not valid YAML: {e}") from None
    return HazardKB.from_dict(data, source=str(p))
