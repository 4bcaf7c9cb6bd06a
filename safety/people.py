"""The household: who lives here, who may give the robot instructions, who may approve.

One list per home, in the project database (table ``people``), shared by the command line
(``housemind people add NAME --role owner|member|guest``), the runtime and the web
dashboard. Roles:

``owner``
    may instruct, approve and deny requests, and add or remove people;
``member``
    may instruct, approve and deny requests;
``guest``
    may instruct; what needs approval waits for an owner or a member.

Names are compared without case. Text the robot reads in the world (a note, a sign, a
screen) has no speaker and is never a person of this list.
"""

from __future__ import annotations

import difflib
import re
from datetime import datetime
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from housemind.memory.models import CredentialRecord, PersonRecord, utcnow
from housemind.safety.audit import _session_factory

__all__ = ["APPROVER_ROLES", "ROLES", "Household", "Person", "PersonError", "Role"]

Role = Literal["owner", "member", "guest"]
ROLES: tuple[str, ...] = get_args(Role)
#: Roles whose answer to an approval request counts.
APPROVER_ROLES = frozenset({"owner", "member"})

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9 .'_-]{0,62}$")


class PersonError(ValueError):
    """A person cannot be added, found or removed; the message says what to do."""


class Person(BaseModel):
    """One person of the household."""

    model_config = ConfigDict(frozen=True)

    name: str
    display: str
    role: Role
    added_at: datetime
    added_by: str | None = None

    @property
    def may_approve(self) -> bool:
        """Whether this person's approval counts (owner or member)."""
        return self.role in APPROVER_ROLES


def _key(name: str) -> str:
    return " ".join((name or "").split()).lower()


class Household:
    """The people of one home (table ``people``).

    Args:
        sessions: A ``sessionmaker``, an ``Engine``, or an object with ``session()``
            (``memory.db.Database``).
    """

    def __init__(self, sessions: Any) -> None:
        self._sessions = _session_factory(sessions)

    def add(self, name: str, role: str = "member", *, by: str | None = None) -> Person:
        """Add a person, or change the role of one already on the list.

        Raises:
            PersonError: a name that is empty or odd, or an unknown role.
        """
        display = " ".join((name or "").split())
        if not _NAME.match(display):
            raise PersonError(
                f"{name!r} is not a name I can store: use letters (and digits, spaces, "
                "' . - _), starting with a letter, e.g. 'alex'"
            )
        if role not in ROLES:
            close = difflib.get_close_matches(role, ROLES, n=1)
            hint = f" — did you mean {close[0]!r}?" if close else ""
            raise PersonError(f"unknown role {role!r}{hint}; use one of {', '.join(ROLES)}")
        with self._sessions() as s:
            row = s.get(PersonRecord, _key(display))
            if row is None:
                row = PersonRecord(
                    name=_key(display), display=display, role=role, added_at=utcnow(), added_by=by
                )
                s.add(row)
            else:
                row.role = role
                row.display = display
            s.commit()
            return _detach(row)

    def remove(self, name: str) -> Person:
        """Take a person off the list (and their sign-in secret, if any).

        Raises:
            PersonError: if there is no such person, or it is the last owner.
        """
        with self._sessions() as s:
            row = s.get(PersonRecord, _key(name))
            if row is None:
                raise PersonError(self._unknown(s, name))
            if row.role == "owner":
                owners = s.scalars(select(PersonRecord).where(PersonRecord.role == "owner")).all()
                if len(owners) == 1:
                    raise PersonError(
                        f"{row.display} is the last owner; add another owner first "
                        "(housemind people add NAME --role owner)"
                    )
            out = _detach(row)
            s.delete(row)
            secret = s.get(CredentialRecord, row.name)
            if secret is not None:  # a removed person can no longer sign in
                s.delete(secret)
            s.commit()
        return out

    def get(self, name: str | None) -> Person | None:
        """The person called ``name``, or None."""
        if not name:
            return None
        with self._sessions() as s:
            row = s.get(PersonRecord, _key(name))
            return _detach(row) if row is not None else None

    def list(self) -> list[Person]:
        """Everyone, owners first, then by name."""
        with self._sessions() as s:
            rows = s.scalars(select(PersonRecord)).all()
            people = [_detach(r) for r in rows]
        order = {r: i for i, r in enumerate(ROLES)}
        return sorted(people, key=lambda p: (order[p.role], p.name))

    def names(self) -> set[str]:
        """Lower-cased names of everyone on the list."""
        return {p.name for p in self.list()}

    def approvers(self) -> set[str]:
        """Lower-cased names of the people whose approval counts."""
        return {p.name for p in self.list() if p.may_approve}

    def check_approver(self, name: str) -> Person:
        """The person ``name`` if they may approve.

        Raises:
            PersonError: saying why not (unknown, a guest, or nobody registered yet).
        """
        with self._sessions() as s:
            if not s.scalars(select(PersonRecord.name)).first():
                raise PersonError(
                    "nobody is registered in this home, so nobody can approve yet; add the "
                    "owner first: housemind people add NAME --role owner"
                )
            row = s.get(PersonRecord, _key(name))
            if row is None:
                raise PersonError(self._unknown(s, name))
            person = _detach(row)
        if not person.may_approve:
            raise PersonError(
                f"{person.display} is a {person.role}; only an owner or a member may approve "
                "(housemind people add NAME --role member)"
            )
        return person

    def _unknown(self, session: Any, name: str) -> str:
        names = session.scalars(select(PersonRecord.name)).all()
        close = difflib.get_close_matches(_key(name), names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return (
            f"{name!r} is not on this home's list of people{hint} "
            "(housemind people list; housemind people add NAME --role owner|member|guest)"
        )


def _detach(row: PersonRecord) -> Person:
    return Person(
        name=row.name,
        display=row.display,
        role=row.role,  # type: ignore[arg-type]
        added_at=row.added_at,
        added_by=row.added_by,
    )
