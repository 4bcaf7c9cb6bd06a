"""Who is signed in, what they may do, and refusing forged cross-site requests.

- **Sign-in.** A person of the household signs in with their name and their token or
  password (``safety.credentials``: only a salted scrypt hash is stored). The session is
  a signed cookie (``HttpOnly``, ``SameSite=Strict``, ``Secure`` behind HTTPS) holding
  the name, the fingerprint of the secret used and a CSRF token; every request checks the
  person is still on the list with the same secret, and reads their role afresh.
- **Roles.** ``owner`` and ``member`` may approve, change and delete; a ``guest`` may
  talk to the robot, answer, correct and stop it. The server checks the role
  (:func:`approver`, :func:`owner`), not only the page.
- **Cross-site request forgery.** Every state-changing request (``POST``, ``PUT``,
  ``PATCH``, ``DELETE``) must carry the session's CSRF token (header ``X-CSRF-Token``, or
  the form field ``csrf_token`` of the sign-in form), and an ``Origin`` header, when the
  browser sends one, must be this server's own. ``SameSite=Strict`` already keeps the
  cookie off cross-site requests; the token makes it independent of the browser.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Any

from fastapi import Depends, HTTPException, Request
from pydantic import BaseModel

__all__ = [
    "SESSION_COOKIE",
    "NotSignedIn",
    "SignedIn",
    "approver",
    "check_csrf",
    "current_person",
    "csrf_token",
    "owner",
    "record_access",
    "signed_in_or_none",
]

logger = logging.getLogger(__name__)

SESSION_COOKIE = "housemind_session"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class NotSignedIn(Exception):
    """No valid session: 401 for the API, a redirect to the sign-in page for pages."""

    def __init__(self, message: str = "sign in first (the sign-in page is /login)") -> None:
        super().__init__(message)
        self.message = message


class SignedIn(BaseModel):
    """The person behind a request."""

    name: str
    display: str
    role: str
    csrf: str

    @property
    def may_approve(self) -> bool:
        """Owners and members may approve, change and delete."""
        return self.role in ("owner", "member")

    @property
    def is_owner(self) -> bool:
        """Owners may also manage the household's people."""
        return self.role == "owner"


def csrf_token(request: Request) -> str:
    """The session's CSRF token (made on first use, e.g. by the sign-in page)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


def signed_in_or_none(request: Request) -> SignedIn | None:
    """The signed-in person, or None (the session is missing, stale or revoked)."""
    from housemind.safety.credentials import Credentials
    from housemind.safety.people import Household

    name = request.session.get("who")
    if not name:
        return None
    home = request.app.state.home
    person = Household(home.database).get(name)
    gen = Credentials(home.database).generation(name)
    if (
        person is None
        or gen is None
        or not hmac.compare_digest(gen, request.session.get("gen", ""))
    ):
        # Removed from the household, or their token or password was replaced.
        request.session.clear()
        return None
    return SignedIn(
        name=person.name, display=person.display, role=person.role, csrf=csrf_token(request)
    )


def check_csrf(request: Request, submitted: str | None = None) -> None:
    """Refuse a state-changing request that does not come from this dashboard's pages.

    Raises:
        HTTPException: 403 naming what was wrong (a foreign ``Origin``, a missing or
            wrong CSRF token).
    """
    if request.method not in _UNSAFE:
        return
    origin = request.headers.get("origin")
    if origin is not None:
        own = f"{request.url.scheme}://{request.url.netloc}"
        if origin.rstrip("/") != own:
            _refuse(request, f"cross-site request refused: Origin {origin} is not {own}")
    sent = submitted if submitted is not None else request.headers.get("x-csrf-token", "")
    want = request.session.get("csrf") or ""
    if not want or not sent or not hmac.compare_digest(str(sent), str(want)):
        _refuse(
            request,
            "cross-site request refused: missing or wrong CSRF token (send the page's "
            "csrf-token in the X-CSRF-Token header)",
        )


def _refuse(request: Request, message: str) -> None:
    who = request.session.get("who")
    record_access(request, who, f"{request.method} {request.url.path}: {message}", ok=False)
    raise HTTPException(status_code=403, detail=message)


def current_person(request: Request) -> SignedIn:
    """The signed-in person; state-changing requests must also pass :func:`check_csrf`.

    Raises:
        NotSignedIn: no valid session (401 / a redirect to the sign-in page).
        HTTPException: 403 for a forged cross-site request.
    """
    person = signed_in_or_none(request)
    if person is None:
        raise NotSignedIn()
    check_csrf(request)
    request.state.person = person
    return person


def approver(request: Request, person: SignedIn = Depends(current_person)) -> SignedIn:  # noqa: B008
    """The signed-in person if they may approve, change and delete (owner, member).

    Raises:
        HTTPException: 403 for a guest.
    """
    if not person.may_approve:
        msg = (
            f"{person.display} is a guest; only an owner or a member may do this "
            "(an owner can change your role on the people page)"
        )
        record_access(request, person.name, f"{request.method} {request.url.path}: {msg}", False)
        raise HTTPException(status_code=403, detail=msg)
    return person


def owner(request: Request, person: SignedIn = Depends(current_person)) -> SignedIn:  # noqa: B008
    """The signed-in person if they are an owner.

    Raises:
        HTTPException: 403 for members and guests.
    """
    if not person.is_owner:
        msg = f"{person.display} is a {person.role}; only an owner may manage the household"
        record_access(request, person.name, f"{request.method} {request.url.path}: {msg}", False)
        raise HTTPException(status_code=403, detail=msg)
    return person


def record_access(request: Request, who: str | None, what: str, ok: bool = True) -> None:
    """One ``access`` row in the audit log (sign-ins, people, refusals): who, what, allowed."""
    from housemind.safety.audit import AuditLog
    from housemind.safety.verdict import SafetyVerdict, Verdict

    try:
        AuditLog(request.app.state.home.database).record(
            "access",
            what,
            SafetyVerdict(
                verdict=Verdict.ALLOW if ok else Verdict.DENY,
                reasons=[f"from {_client(request)} via the dashboard"],
            ),
            actor=who,
        )
    except Exception:  # noqa: BLE001 - a lost audit row must not break the request
        logger.exception("could not write the dashboard's audit row: %s", what)


def _client(request: Request) -> Any:
    return request.client.host if request.client else "?"
