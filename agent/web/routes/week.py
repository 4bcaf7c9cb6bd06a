"""The week: a calendar of the coming chores, check-ins and reminders, with clashes.

Pausing, resuming, changing and deleting an instruction go through the same library
calls as ``housemind instructions ...`` (the safety gate and ``gate_edit``); only owners
and members may.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict

from housemind.agent.web.routes._common import Text, home_of, page
from housemind.agent.web.security import SignedIn, approver, current_person

router = APIRouter()

Person = Annotated[SignedIn, Depends(current_person)]
Approver = Annotated[SignedIn, Depends(approver)]


class Change(BaseModel):
    """What the instruction should become, in words."""

    model_config = ConfigDict(extra="forbid")

    text: Text


def _week(home: Any, days: float) -> dict[str, Any]:
    from housemind.scheduler.agenda import household_agenda

    now = home.now()
    return household_agenda(home.database, days=days, start=now)


@router.get("/week", response_class=HTMLResponse)
def week_page(request: Request, person: Person) -> HTMLResponse:
    """The calendar of the next seven days."""
    home = home_of(request)
    week = _week(home, 7)
    start = datetime.fromisoformat(week["from"])
    clashing = {i for c in week["conflicts"] for i in c.get("instruction_ids", [])}
    by_day: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in week["runs"]:
        at = datetime.fromisoformat(r["at"])
        by_day[at.date().isoformat()].append({**r, "clash": r["instruction_id"] in clashing})
    days = []
    for k in range(7):
        d = (start + timedelta(days=k)).date()
        days.append({"date": d, "runs": by_day.get(d.isoformat(), [])})
    return page(
        request,
        "week.html",
        person,
        week=week,
        days=days,
        clashing=clashing,
        instructions=week["instructions"],
    )


@router.get("/api/week")
def week_json(
    request: Request,
    person: Person,
    days: Annotated[float, Query(gt=0, le=62, description="How many days ahead")] = 7,
) -> dict[str, Any]:
    """The coming runs, paused instructions and clashes (``housemind schedule --json``)."""
    return _week(home_of(request), days)


def _edit(action: str, instruction_id: str, person: SignedIn, home: Any, **kw: Any) -> Any:
    from housemind.agent import instructions as lib
    from housemind.scheduler import UnknownInstructionError, read_back

    fn = {
        "pause": lib.pause_instruction,
        "resume": lib.resume_instruction,
        "change": lib.change_instruction_in_words,
        "delete": lib.delete_instruction,
    }[action]
    try:
        out = fn(instruction_id, db=home.db_path, actor=person.name, **kw)
    except UnknownInstructionError:
        raise HTTPException(
            status_code=404, detail=f"no instruction {instruction_id!r}; the week page lists them"
        ) from None
    except lib.InstructionRefused as e:
        return JSONResponse(
            {"error": f"refused: {e.text}", "refused": True, "reasons": e.reasons},
            status_code=409,
        )
    except lib.NeedsApproval as e:
        return JSONResponse(
            {
                "needs_approval": True,
                "approval_id": e.approval_id,
                "text": e.text,
                "reasons": e.reasons,
            },
            status_code=202,
        )
    except ValueError as e:
        raise HTTPException(status_code=422, detail=str(e)) from None
    return {
        "id": out.id,
        "action": action,
        "enabled": out.enabled,
        "read_back": read_back(out),
    }


@router.post("/api/instructions/{instruction_id}/pause")
def pause(request: Request, instruction_id: str, person: Approver) -> Any:
    """Pause an instruction (owners and members)."""
    return _edit("pause", instruction_id, person, home_of(request))


@router.post("/api/instructions/{instruction_id}/resume")
def resume(request: Request, instruction_id: str, person: Approver) -> Any:
    """Resume an instruction, judged again by the safety monitor (owners and members)."""
    return _edit("resume", instruction_id, person, home_of(request))


@router.post("/api/instructions/{instruction_id}/change")
def change(request: Request, instruction_id: str, body: Change, person: Approver) -> Any:
    """Change an instruction to new words, through the safety gate (owners and members)."""
    home = home_of(request)
    return _edit(
        "change", instruction_id, person, home, text=body.text, now=home.now(), tz=home.tz()
    )


@router.delete("/api/instructions/{instruction_id}")
def delete(request: Request, instruction_id: str, person: Approver) -> Any:
    """Delete an instruction; its past tasks stay in the record (owners and members)."""
    return _edit("delete", instruction_id, person, home_of(request))
