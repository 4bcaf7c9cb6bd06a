"""Symbolic memory: facts and preferences with validity time, and checklists.

Facts are ``(subject, predicate, value)`` triples with provenance (who said it, from what
source) and a validity interval, so "Alex is vegetarian since March" and a retracted fact
stay answerable for any moment. Checklists (the shopping list is ``"shopping"``) hold
items that are open, done or removed.

Writes are idempotent where a retried LangGraph node may repeat them: telling the same
fact twice or adding an item that is already open does not duplicate it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from housemind.memory._util import require_aware
from housemind.memory.db import Database
from housemind.memory.models import ChecklistItem, Fact, utcnow

__all__ = ["SHOPPING", "ChecklistItemView", "FactView", "SymbolicMemory"]

#: The list name of the shopping list.
SHOPPING = "shopping"

FactKind = Literal["fact", "preference"]
ItemStatus = Literal["open", "done", "removed"]


class FactView(BaseModel):
    """A stored fact or preference."""

    id: int
    subject: str
    predicate: str
    value: str
    kind: str
    source: str
    told_by: str | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    created_at: datetime

    @classmethod
    def from_record(cls, f: Fact) -> FactView:
        """Build from a ``facts`` row."""
        return cls.model_validate(f, from_attributes=True)

    def text(self) -> str:
        """The fact as a sentence-like string: ``"alex likes: tea"``."""
        return f"{self.subject} {self.predicate.replace('_', ' ')}: {self.value}"


class ChecklistItemView(BaseModel):
    """An item on a checklist."""

    id: int
    list_name: str
    item: str
    quantity: str | None = None
    status: str
    added_by: str | None = None
    added_at: datetime
    updated_at: datetime | None = None

    @classmethod
    def from_record(cls, r: ChecklistItem) -> ChecklistItemView:
        """Build from a ``checklist_items`` row."""
        return cls.model_validate(r, from_attributes=True)

    def text(self) -> str:
        """``"milk (2 l)"`` or ``"milk"``."""
        return f"{self.item} ({self.quantity})" if self.quantity else self.item


def _norm(text: str) -> str:
    return " ".join(text.strip().lower().split())


class SymbolicMemory:
    """Facts, preferences and checklists.

    Args:
        db: The database (already opened/migrated).
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- facts -----------------------------------------------------------------------

    def tell(
        self,
        subject: str,
        predicate: str,
        value: str,
        *,
        kind: FactKind = "fact",
        source: str = "person",
        told_by: str | None = None,
        valid_from: datetime | None = None,
        valid_to: datetime | None = None,
        replace: bool = False,
    ) -> int:
        """Store a fact or preference and return its id.

        An identical fact (same triple, kind and validity) that is stored already is not
        duplicated; its id is returned.

        Args:
            subject: What the fact is about (``"alex"``, ``"milk"``).
            predicate: The relation (``"likes"``, ``"is_allergic_to"``).
            value: The value (``"tea"``).
            kind: ``"fact"`` or ``"preference"``.
            source: Where it came from: ``"person"``, ``"perception"``, ``"inferred"``...
            told_by: Who said it.
            valid_from: When it became true (None: always).
            valid_to: When it stops being true (None: until retracted).
            replace: End earlier open-ended facts with the same subject and predicate at
                ``valid_from`` (for single-valued predicates: "Alex now prefers coffee").

        Raises:
            ValueError: for an unknown ``kind``, naive times, ``valid_to <= valid_from``,
                or ``replace`` without ``valid_from``.
        """
        if kind not in ("fact", "preference"):
            raise ValueError(f"unknown fact kind {kind!r}: use 'fact' or 'preference'")
        for t, what in ((valid_from, "valid_from"), (valid_to, "valid_to")):
            if t is not None:
                require_aware(t, what)
        if valid_from is not None and valid_to is not None and valid_to <= valid_from:
            raise ValueError(f"valid_to {valid_to} is not after valid_from {valid_from}")
        if replace and valid_from is None:
            raise ValueError("replace=True needs valid_from: the time the old value ended")
        subject, predicate, value = subject.strip(), predicate.strip(), value.strip()
        with self.db.session() as s:
            same = select(Fact).where(
                func.lower(Fact.subject) == subject.lower(),
                func.lower(Fact.predicate) == predicate.lower(),
            )
            for f in s.scalars(same):
                if (
                    _norm(f.value) == _norm(value)
                    and f.kind == kind
                    and f.valid_from == valid_from
                    and f.valid_to == valid_to
                ):
                    return f.id
            if replace:
                for f in s.scalars(same.where(Fact.valid_to.is_(None))):
                    if f.valid_from is None or f.valid_from < valid_from:  # type: ignore[operator]
                        f.valid_to = valid_from
            f = Fact(
                subject=subject,
                predicate=predicate,
                value=value,
                kind=kind,
                source=source,
                told_by=told_by,
                valid_from=valid_from,
                valid_to=valid_to,
                created_at=utcnow(),
            )
            s.add(f)
            s.flush()
            return f.id

    def facts(
        self,
        subject: str | None = None,
        predicate: str | None = None,
        at: datetime | None = None,
        *,
        kind: FactKind | None = None,
    ) -> list[FactView]:
        """Facts matching ``subject``/``predicate`` (case-insensitive), oldest first.

        Args:
            subject: Only facts about this subject.
            predicate: Only facts with this predicate.
            at: Only facts valid at this time. None: facts that have not ended
                (``valid_to`` unset), whatever their start.
            kind: Only ``"fact"`` or only ``"preference"``.
        """
        q = select(Fact).order_by(Fact.created_at, Fact.id)
        if subject is not None:
            q = q.where(func.lower(Fact.subject) == subject.strip().lower())
        if predicate is not None:
            q = q.where(func.lower(Fact.predicate) == predicate.strip().lower())
        if kind is not None:
            q = q.where(Fact.kind == kind)
        if at is None:
            q = q.where(Fact.valid_to.is_(None))
        else:
            require_aware(at, "at")
            q = q.where(
                (Fact.valid_from.is_(None)) | (Fact.valid_from <= at),
                (Fact.valid_to.is_(None)) | (Fact.valid_to > at),
            )
        with self.db.session() as s:
            return [FactView.from_record(f) for f in s.scalars(q)]

    def retract(self, id: int, when: datetime) -> None:
        """End fact ``id`` at ``when`` (it stays in history, valid before ``when``).

        Raises:
            KeyError: if there is no fact ``id``.
        """
        require_aware(when, "when")
        with self.db.session() as s:
            f = s.get(Fact, id)
            if f is None:
                raise KeyError(f"no fact with id {id}")
            if f.valid_to is None or f.valid_to > when:
                f.valid_to = when

    # --- checklists ------------------------------------------------------------------

    def add_item(
        self,
        list_name: str,
        item: str,
        quantity: str | None = None,
        added_by: str | None = None,
        *,
        when: datetime,
    ) -> int:
        """Put ``item`` on a checklist and return the item's id.

        If the item is already open on the list it is not added twice; a given
        ``quantity`` replaces the old one (replacing, not adding, keeps a retried call
        harmless).

        Args:
            list_name: The checklist (``"shopping"``).
            item: What to add (``"milk"``); matched case- and space-insensitively.
            quantity: Free-form amount (``"2"``, ``"1 l"``).
            added_by: Who asked.
            when: Time of the request.
        """
        require_aware(when, "when")
        item = " ".join(item.split())
        if not item:
            raise ValueError("add_item needs a non-empty item")
        with self.db.session() as s:
            r = self._open_item(s, list_name, item)
            if r is not None:
                if quantity is not None and quantity != r.quantity:
                    r.quantity = quantity
                    r.updated_at = when
                return r.id
            r = ChecklistItem(
                list_name=list_name,
                item=item,
                quantity=quantity,
                status="open",
                added_by=added_by,
                added_at=when,
            )
            s.add(r)
            s.flush()
            return r.id

    def items(self, list_name: str, status: ItemStatus | None = "open") -> list[ChecklistItemView]:
        """Items of a checklist in the order they were added (``status=None``: all)."""
        q = select(ChecklistItem).where(ChecklistItem.list_name == list_name)
        if status is not None:
            q = q.where(ChecklistItem.status == status)
        with self.db.session() as s:
            rows = s.scalars(q.order_by(ChecklistItem.added_at, ChecklistItem.id))
            return [ChecklistItemView.from_record(r) for r in rows]

    def check_off(self, list_name: str, item: str, when: datetime) -> bool:
        """Mark an open item done (bought, packed...). False if it was not open."""
        return self._close(list_name, item, when, "done")

    def remove_item(self, list_name: str, item: str, when: datetime) -> bool:
        """Take an open item off the list without doing it. False if it was not open."""
        return self._close(list_name, item, when, "removed")

    def lists(self) -> list[str]:
        """Names of checklists that have open items."""
        with self.db.session() as s:
            q = select(ChecklistItem.list_name).where(ChecklistItem.status == "open").distinct()
            return sorted(s.scalars(q))

    def _close(self, list_name: str, item: str, when: datetime, status: str) -> bool:
        require_aware(when, "when")
        with self.db.session() as s:
            r = self._open_item(s, list_name, item)
            if r is None:
                return False
            r.status, r.updated_at = status, when
            return True

    @staticmethod
    def _open_item(s: Session, list_name: str, item: str) -> ChecklistItem | None:
        q = select(ChecklistItem).where(
            ChecklistItem.list_name == list_name,
            ChecklistItem.status == "open",
            func.lower(ChecklistItem.item) == _norm(item),
        )
        return s.scalars(q).first()
