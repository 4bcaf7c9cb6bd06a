"""Signing in and out (a person of the household, with their token or password)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from housemind.agent.web.routes._common import home_of
from housemind.agent.web.security import (
    SignedIn,
    check_csrf,
    csrf_token,
    current_person,
    record_access,
    signed_in_or_none,
)

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never another site: ``//evil.example``)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _login_page(
    request: Request, *, error: str = "", name: str = "", status_code: int = 200, nxt: str = "/"
) -> HTMLResponse:
    from housemind.safety.credentials import Credentials

    home = home_of(request)
    return home.templates.TemplateResponse(
        request,
        "login.html",
        {
            "csrf": csrf_token(request),
            "error": error,
            "name": name,
            "next": _safe_next(nxt),
            "nobody": not Credentials(home.database).anyone_can_sign_in(),
        },
        status_code=status_code,
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> Response:  # noqa: A002 - the query name
    """The sign-in page."""
    if signed_in_or_none(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, nxt=next)


@router.post("/login")
def login(
    request: Request,
    name: Annotated[str, Form(max_length=128)] = "",
    secret: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form(max_length=512)] = "/",  # noqa: A002
) -> Response:
    """Sign in with a name and a token or password; a new session on success."""
    from housemind.safety.credentials import Credentials

    check_csrf(request, submitted=csrf_token)
    home = home_of(request)
    if not name.strip() or not secret:
        return _login_page(
            request,
            error="say who you are and give your token or password",
            name=name,
            status_code=401,
            nxt=next,
        )
    creds = Credentials(home.database)
    person = creds.verify(name, secret)
    if person is None:
        record_access(request, name.strip().lower(), "sign-in refused: wrong name or secret", False)
        return _login_page(
            request,
            error="that name and token or password do not match; ask an owner for a new token",
            name=name,
            status_code=401,
            nxt=next,
        )
    request.session.clear()  # a fresh session: no fixation of an earlier one
    request.session.update(who=person.name, gen=creds.generation(person.name))
    csrf_token_new = csrf_token_of(request)
    record_access(request, person.name, f"signed in ({person.role})")
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.headers["X-CSRF-Token"] = csrf_token_new
    return response


def csrf_token_of(request: Request) -> str:
    """A new CSRF token for a new session."""
    request.session.pop("csrf", None)
    return csrf_token(request)


@router.post("/api/logout")
def logout(request: Request, person: Annotated[SignedIn, Depends(current_person)]) -> Response:
    """Sign out (the session cookie is cleared)."""
    record_access(request, person.name, "signed out")
    request.session.clear()
    return JSONResponse({"signed_out": person.name})


@router.get("/api/me")
def me(person: Annotated[SignedIn, Depends(current_person)]) -> dict:
    """Who is signed in and what they may do."""
    return {
        "name": person.name,
        "display": person.display,
        "role": person.role,
        "may_approve": person.may_approve,
        "is_owner": person.is_owner,
    }
