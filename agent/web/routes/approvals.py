"""Approvals: the safety confirmations waiting for a person, with the reason.

Approving and denying call :class:`~housemind.safety.approvals.ApprovalBook` like
``housemind approve`` / ``deny``; the role is checked here (owners and members) and again
by the book (only the household's approvers count).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from housemind.agent.web.routes._common import home_of, page
from housemind.agent.web.security import SignedIn, approver, current_person

router = APIRouter()

Person = Annotated[SignedIn, Depends(current_person)]
Approver = Annotated[SignedIn, Depends(approver)]


class Approve(BaseModel):
    """The scope and lifetime of an approval."""

    model_config = ConfigDict(extra="forbid")

    scope: Literal["once", "task", "instruction", "rule"] | None = None
    days: Annotated[float | None, Field(gt=0, le=365)] = None
    why: Annotated[str | None, Field(max_length=500)] = None


class Deny(BaseModel):
    """Why not (for the audit log)."""

    model_config = ConfigDict(extra="forbid")

    why: Annotated[str | None, Field(max_length=500)] = None


def _pending(home: Any) -> list[dict[str, Any]]:
    from housemind.safety.approvals import ApprovalBook

    return [json.loads(a.model_dump_json()) for a in ApprovalBook(home.database).pending()]


@router.get("/approvals", response_class=HTMLResponse)
def approvals_page(request: Request, person: Person) -> HTMLResponse:
    """The queue of safety confirmations, and the latest answers."""
    from housemind.safety.audit import AuditLog

    home = home_of(request)
    answered = [
        a
        for a in AuditLog(home.database).recent(40, level="approval")
        if a.subject.split(" ", 1)[0] in ("approved", "denied", "closed")
    ][:15]
    return page(request, "approvals.html", person, pending=_pending(home), answered=answered)


@router.get("/api/approvals")
def pending(request: Request, person: Person) -> list[dict[str, Any]]:
    """Requests waiting for a person's answer, oldest first."""
    return _pending(home_of(request))


def _answer(request: Request, approval_id: str, fn: Any) -> dict[str, Any]:
    from housemind.safety.approvals import ApprovalError

    try:
        a = fn()
    except ApprovalError as e:
        msg = str(e)
        code = 404 if msg.startswith("no approval request") else 409
        raise HTTPException(status_code=code, detail=msg) from None
    return json.loads(a.model_dump_json())


@router.post("/api/approvals/{approval_id}/approve")
def approve(request: Request, approval_id: str, body: Approve, person: Approver) -> dict[str, Any]:
    """Approve a request with a scope and an expiry (owners and members)."""
    from housemind.safety.approvals import ApprovalBook

    book = ApprovalBook(home_of(request).database)
    return _answer(
        request,
        approval_id,
        lambda: book.approve(
            approval_id, by=person.name, scope=body.scope, days=body.days, why=body.why
        ),
    )


@router.post("/api/approvals/{approval_id}/deny")
def deny(request: Request, approval_id: str, body: Deny, person: Approver) -> dict[str, Any]:
    """Deny a request: the step is not done (owners and members)."""
    from housemind.safety.approvals import ApprovalBook

    book = ApprovalBook(home_of(request).database)
    return _answer(
        request, approval_id, lambda: book.deny(approval_id, by=person.name, why=body.why)
    )
