"""Sign-in secrets of the household's people (the dashboard), kept only as hashes.

Each person of :class:`~safety.people.Household` may have one secret: a token the robot
makes (``housemind people token NAME``, shown once) or a password the person chooses
(``housemind people password NAME``). Only a salted scrypt hash is stored (table
``credentials``); :meth:`Credentials.verify` compares in constant time. Issuing a new
secret replaces the old one, and its :meth:`Credentials.generation` changes, so sessions
signed in with the old one end. Removing a person removes their secret.

scrypt is in Python's standard library (``hashlib.scrypt``, RFC 7914), so no extra
dependency is needed; the cost parameters below take ~50 ms per check on one core, which
makes guessing slow without making a sign-in noticeable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from housemind.memory.models import CredentialRecord, PersonRecord, utcnow
from housemind.safety.audit import _session_factory
from housemind.safety.people import Person, PersonError, _key

__all__ = ["MIN_PASSWORD_LENGTH", "CredentialInfo", "Credentials", "hash_secret", "check_secret"]

logger = logging.getLogger(__name__)

#: Shortest password accepted (a token is always 32 characters of randomness).
MIN_PASSWORD_LENGTH = 10
# scrypt cost: N=2**14, r=8, p=1 (16 MiB, ~50 ms); stored with each hash so it can grow.
_N, _R, _P = 2**14, 8, 1
_DUMMY_HASH: str | None = None  # compared against for unknown names (same time either way)


def hash_secret(secret: str) -> str:
    """A salted scrypt hash of ``secret``: ``scrypt$N$r$p$salt$hash`` (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=_N, r=_R, p=_P, maxmem=64 * 2**20)
    b64 = base64.urlsafe_b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def check_secret(secret: str, stored: str) -> bool:
    """Whether ``secret`` matches a hash made by :func:`hash_secret` (constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        want = base64.urlsafe_b64decode(digest)
        got = hashlib.scrypt(
            secret.encode(),
            salt=base64.urlsafe_b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 2**20,
            dklen=len(want),
        )
    except (ValueError, TypeError):
        logger.warning("a stored credential hash is malformed; it matches nothing")
        return False
    return hmac.compare_digest(got, want)


class CredentialInfo(BaseModel):
    """Whether and how a person can sign in (never the secret or its hash)."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: Literal["token", "password"]
    created_at: datetime
    created_by: str | None
    last_used_at: datetime | None


class Credentials:
    """The household's sign-in secrets (table ``credentials``).

    Args:
        sessions: A ``sessionmaker``, an ``Engine``, or an object with ``session()``
            (``memory.db.Database``).
    """

    def __init__(self, sessions: Any) -> None:
        self._sessions = _session_factory(sessions)

    def issue_token(self, name: str, *, by: str | None = None) -> str:
        """Make a new random token for ``name`` and return it (it is shown only now).

        Raises:
            PersonError: if ``name`` is not on the household's list.
        """
        token = secrets.token_urlsafe(24)  # 32 characters, 192 bits
        self._store(name, token, "token", by)
        return token

    def set_password(self, name: str, password: str, *, by: str | None = None) -> None:
        """Set ``name``'s password (replacing any token or older password).

        Raises:
            PersonError: if ``name`` is not on the list, or the password is too short.
        """
        if len(password or "") < MIN_PASSWORD_LENGTH:
            raise PersonError(
                f"the password is too short ({len(password or '')} characters); use at "
                f"least {MIN_PASSWORD_LENGTH}, or let the robot make a token "
                "(housemind people token NAME)"
            )
        self._store(name, password, "password", by)

    def _store(self, name: str, secret: str, kind: str, by: str | None) -> None:
        key = _key(name)
        digest = hash_secret(secret)
        with self._sessions() as s:
            if s.get(PersonRecord, key) is None:
                raise PersonError(
                    f"{name!r} is not on this home's list of people; add them first "
                    "(housemind people add NAME --role owner|member|guest)"
                )
            row = s.get(CredentialRecord, key)
            if row is None:
                row = CredentialRecord(name=key)
                s.add(row)
            row.secret_hash, row.kind = digest, kind
            row.created_at, row.created_by, row.last_used_at = utcnow(), by, None
            s.commit()

    def verify(self, name: str, secret: str) -> Person | None:
        """The person if ``secret`` is ``name``'s current secret, else None.

        Takes about as long for an unknown name as for a wrong secret.
        """
        global _DUMMY_HASH
        key = _key(name)
        with self._sessions() as s:
            row = s.get(CredentialRecord, key)
            person = s.get(PersonRecord, key)
            stored = row.secret_hash if row is not None else None
        if stored is None or person is None:
            if _DUMMY_HASH is None:
                _DUMMY_HASH = hash_secret(secrets.token_urlsafe(8))
            check_secret(secret or "", _DUMMY_HASH)
            return None
        if not check_secret(secret or "", stored):
            return None
        with self._sessions() as s:
            row = s.get(CredentialRecord, key)
            if row is not None:
                row.last_used_at = utcnow()
                s.commit()
        from housemind.safety.people import Household

        return Household(self._sessions).get(key)

    def generation(self, name: str) -> str | None:
        """A short fingerprint of ``name``'s current secret (changes when it is replaced).

        Sessions carry it, so a new token or password ends the sessions of the old one.
        None when the person has no secret (or is not on the list).
        """
        key = _key(name)
        with self._sessions() as s:
            row = s.get(CredentialRecord, key)
            if row is None or s.get(PersonRecord, key) is None:
                return None
            return hashlib.sha256(row.secret_hash.encode()).hexdigest()[:16]

    def revoke(self, name: str) -> bool:
        """Remove ``name``'s secret (they can no longer sign in); whether there was one."""
        with self._sessions() as s:
            row = s.get(CredentialRecord, _key(name))
            if row is None:
                return False
            s.delete(row)
            s.commit()
            return True

    def info(self, name: str) -> CredentialInfo | None:
        """How ``name`` signs in, or None when they cannot."""
        with self._sessions() as s:
            row = s.get(CredentialRecord, _key(name))
            if row is None:
                return None
            return CredentialInfo(
                name=row.name,
                kind=row.kind,  # type: ignore[arg-type]
                created_at=row.created_at,
                created_by=row.created_by,
                last_used_at=row.last_used_at,
            )

    def anyone_can_sign_in(self) -> bool:
        """Whether at least one person on the list has a secret."""
        from sqlalchemy import select

        with self._sessions() as s:
            q = select(CredentialRecord.name).join(
                PersonRecord, PersonRecord.name == CredentialRecord.name
            )
            return s.scalars(q).first() is not None
