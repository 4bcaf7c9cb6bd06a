"""Live updates by server-sent events: ``GET /api/live``.

The robot runs in another process (``housemind run``) or in this one; either way what
it does reaches the database (``agent.status``: the status row; the task queue; the
audit log). The stream reads :func:`~housemind.agent.status.change_marks` every
``poll_s`` and, when something changed, sends one ``update`` event with the robot's
status, the emergency stop, the counts of requests and questions waiting, and the marks
(pages refresh the parts that show what changed). A comment line is sent every 15 s so
proxies keep the connection open.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Request
from sse_starlette.sse import EventSourceResponse

from housemind.agent.web.routes._common import home_of, questions_waiting
from housemind.agent.web.routes.home_now import status_json
from housemind.agent.web.security import SignedIn, current_person

router = APIRouter()

Person = Annotated[SignedIn, Depends(current_person)]


def snapshot(home: Any) -> dict[str, Any]:
    """Everything a live page shows, with the marks that say whether it changed."""
    from housemind.agent.status import change_marks
    from housemind.safety.approvals import ApprovalBook

    marks = change_marks(home.database)
    return {
        **status_json(home),
        "pending_approvals": len(ApprovalBook(home.database).pending()),
        "questions": len(questions_waiting(home)),
        "marks": marks,
    }


@router.get("/api/live")
async def live(request: Request, person: Person) -> EventSourceResponse:
    """A stream of ``update`` events whenever the robot or the household changes something."""
    home = home_of(request)
    poll = max(0.05, float(home.settings.poll_s))

    async def events() -> AsyncIterator[dict[str, Any]]:
        last: dict[str, str] | None = None
        while not await request.is_disconnected():
            from housemind.agent.status import change_marks

            marks = await anyio.to_thread.run_sync(change_marks, home.database)
            if marks != last:
                data = await anyio.to_thread.run_sync(snapshot, home)
                last = data["marks"]
                yield {"event": "update", "data": json.dumps(data)}
            await anyio.sleep(poll)

    return EventSourceResponse(events(), ping=15, headers={"Cache-Control": "no-store"})
