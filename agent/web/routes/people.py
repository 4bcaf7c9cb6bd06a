"""The household's people: who lives here, their roles, their sign-in tokens (owners)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from housemind.agent.web.routes._common import home_of, page
from housemind.agent.web.security import SignedIn, current_person, owner, record_access

router = APIRouter()

Person = Annotated[SignedIn, Depends(current_person)]
Owner = Annotated[SignedIn, Depends(owner)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class NewPerson(BaseModel):
    """A person to add (or whose role to change)."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    role: Literal["owner", "member", "guest"]


class Password(BaseModel):
    """A new password for the signed-in person."""

    model_config = ConfigDict(extra="forbid")

    password: Annotated[str, Field(min_length=1, max_length=1024)]


def _people(home: Any) -> list[dict[str, Any]]:
    from housemind.safety.credentials import Credentials
    from housemind.safety.people import Household

    creds = Credentials(home.database)
    out = []
    for p in Household(home.database).list():
        info = creds.info(p.name)
        out.append(
            {
                "name": p.name,
                "display": p.display,
                "role": p.role,
                "signs_in_with": info.kind if info else None,
                "last_signed_in": info.last_used_at.isoformat()
                if info and info.last_used_at
                else None,
            }
        )
    return out


@router.get("/people", response_class=HTMLResponse)
def people_page(request: Request, person: Person) -> HTMLResponse:
    """Everyone in the household; owners add and remove people and make tokens."""
    return page(request, "people.html", person, people=_people(home_of(request)))


@router.get("/api/people")
def people(request: Request, person: Person) -> list[dict[str, Any]]:
    """The household's people and how each signs in (never a secret)."""
    return _people(home_of(request))


@router.post("/api/people")
def add_person(request: Request, body: NewPerson, person: Owner) -> dict[str, Any]:
    """Add a person or change their role (owners)."""
    from housemind.safety.people import Household, PersonError

    try:
        p = Household(home_of(request).database).add(body.name, body.role, by=person.name)
    except PersonError as e:
        raise HTTPException(status_code=422, detail=str(e)) from None
    record_access(request, person.name, f"people: {p.display} is now a {p.role}")
    return p.model_dump(mode="json")


@router.post("/api/people/{name}/token")
def new_token(request: Request, name: str, person: Owner) -> dict[str, Any]:
    """Make a new sign-in token for a person (shown once; the old one stops working)."""
    from housemind.safety.credentials import Credentials
    from housemind.safety.people import PersonError

    try:
        token = Credentials(home_of(request).database).issue_token(name, by=person.name)
    except PersonError as e:
        raise HTTPException(status_code=404, detail=str(e)) from None
    record_access(request, person.name, f"people: new sign-in token for {name}")
    if name.strip().lower() == person.name:  # a new token for oneself: stay signed in
        from housemind.safety.credentials import Credentials as C

        request.session["gen"] = C(home_of(request).database).generation(person.name)
    return {"name": name.strip().lower(), "token": token}


@router.delete("/api/people/{name}")
def remove_person(request: Request, name: str, person: Owner) -> dict[str, Any]:
    """Take a person off the list; they can no longer sign in (owners)."""
    from housemind.safety.people import Household, PersonError

    try:
        p = Household(home_of(request).database).remove(name)
    except PersonError as e:
        code = 404 if "not on this home's list" in str(e) else 409
        raise HTTPException(status_code=code, detail=str(e)) from None
    record_access(request, person.name, f"people: removed {p.display} ({p.role})")
    return p.model_dump(mode="json")


@router.post("/api/me/password")
def set_password(request: Request, body: Password, person: Person) -> dict[str, Any]:
    """Set your own password (your other sessions end)."""
    from housemind.safety.credentials import Credentials
    from housemind.safety.people import PersonError

    creds = Credentials(home_of(request).database)
    try:
        creds.set_password(person.name, body.password, by=person.name)
    except PersonError as e:
        raise HTTPException(status_code=422, detail=str(e)) from None
    request.session["gen"] = creds.generation(person.name)
    record_access(request, person.name, "changed their password")
    return {"name": person.name, "signs_in_with": "password"}
