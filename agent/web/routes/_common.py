"""What every route module uses: the home, page rendering, request bodies, errors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import StringConstraints

from housemind.agent.web.security import SignedIn

__all__ = ["Text", "home_of", "not_found", "page", "questions_waiting"]

#: A person's words: trimmed, not empty, not a novel.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


def home_of(request: Request) -> Any:
    """The app's :class:`~housemind.agent.web.app.Home`."""
    return request.app.state.home


def not_found(message: str) -> HTTPException:
    """A 404 with a message that says what exists."""
    return HTTPException(status_code=404, detail=message)


def questions_waiting(home: Any) -> list[dict[str, Any]]:
    """Check-ins waiting for a person's answer (task id, question, goal, since)."""
    from housemind.scheduler import TaskQueue

    out = []
    for t in TaskQueue(home.database.session).list("waiting"):
        res = t.result or {}
        if res.get("waiting_for") == "answer" and res.get("answer") is None:
            out.append(
                {
                    "task_id": t.id,
                    "goal": t.goal,
                    "question": res.get("question") or t.goal,
                    "since": res.get("waiting_since"),
                }
            )
    return out


def page(
    request: Request, template: str, person: SignedIn, *, status_code: int = 200, **ctx: Any
) -> HTMLResponse:
    """Render a page of the dashboard with what the layout needs (who, badges, the stop)."""
    from housemind.safety.approvals import ApprovalBook
    from housemind.safety.estop import EmergencyStop

    home = home_of(request)
    base = {
        "request": request,
        "person": person,
        "csrf": person.csrf,
        "estop": EmergencyStop(home.database).state(),
        "pending_count": len(ApprovalBook(home.database).pending()),
        "question_count": len(questions_waiting(home)),
        "active": template.removesuffix(".html"),
    }
    return home.templates.TemplateResponse(
        request, template, {**base, **ctx}, status_code=status_code
    )
