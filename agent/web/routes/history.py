"""Memory and history: ask memory, the shopping list, tasks with their steps, replays."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from pydantic import BaseModel, ConfigDict, StringConstraints

from housemind.agent.web.routes._common import home_of, not_found, page
from housemind.agent.web.security import SignedIn, current_person, record_access

router = APIRouter()

Person = Annotated[SignedIn, Depends(current_person)]
Item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Question = Annotated[
    str, Query(min_length=1, max_length=500, description="e.g. where are my keys?")
]


class ShoppingItem(BaseModel):
    """One item of the shopping list."""

    model_config = ConfigDict(extra="forbid")

    item: Item


@router.get("/memory", response_class=HTMLResponse)
def memory_page(request: Request, person: Person) -> HTMLResponse:
    """Ask memory; the shopping list; the corrections people gave."""
    from housemind.memory import QUESTION_FORMS

    home = home_of(request)
    return page(
        request,
        "memory.html",
        person,
        shopping=home.memory.symbolic.items("shopping"),
        corrections=home.memory.corrections()[-10:],
        forms=QUESTION_FORMS,
    )


@router.get("/api/memory/ask")
def ask(request: Request, person: Person, q: Question) -> dict[str, Any]:
    """Ask the robot's memory (``housemind memory ask``), by meaning where it can."""
    home = home_of(request)
    if not q.strip():
        raise HTTPException(status_code=422, detail="q: the question is empty")
    return home.memory.ask(q, now=home.now()).model_dump(mode="json")


@router.get("/api/shopping")
def shopping(request: Request, person: Person) -> list[dict[str, Any]]:
    """The open items of the shopping list."""
    return [i.model_dump(mode="json") for i in home_of(request).memory.symbolic.items("shopping")]


@router.post("/api/shopping")
def add_item(request: Request, body: ShoppingItem, person: Person) -> dict[str, Any]:
    """Put an item on the shopping list."""
    home = home_of(request)
    home.memory.symbolic.add_item("shopping", body.item, added_by=person.name, when=home.now())
    record_access(request, person.name, f"shopping list: added {body.item}")
    return {"added": body.item}


@router.post("/api/shopping/done")
def item_done(request: Request, body: ShoppingItem, person: Person) -> dict[str, Any]:
    """Tick an item off the shopping list (bought)."""
    home = home_of(request)
    if not home.memory.symbolic.check_off("shopping", body.item, home.now()):
        raise not_found(f"{body.item!r} is not on the shopping list")
    record_access(request, person.name, f"shopping list: bought {body.item}")
    return {"done": body.item}


@router.get("/history", response_class=HTMLResponse)
def history_page(request: Request, person: Person) -> HTMLResponse:
    """Every task, newest first."""
    from housemind.agent.history import task_history

    return page(
        request, "history.html", person, tasks=task_history(home_of(request).database, limit=300)
    )


@router.get("/history/{task_id}", response_class=HTMLResponse)
def task_page(request: Request, task_id: str, person: Person) -> HTMLResponse:
    """One task: its steps, outcomes, safety events and a replay."""
    from housemind.agent.history import task_detail

    try:
        task = task_detail(home_of(request).database, task_id)
    except KeyError as e:
        raise not_found(str(e.args[0])) from None
    return page(request, "task.html", person, task=task)


@router.get("/api/tasks")
def tasks(
    request: Request,
    person: Person,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    state: Annotated[str | None, Query(max_length=16)] = None,
) -> list[dict[str, Any]]:
    """Tasks, newest first (``housemind tasks --json`` with more detail)."""
    from housemind.agent.history import task_history

    try:
        return task_history(home_of(request).database, limit=limit, state=state)
    except ValueError as e:
        raise HTTPException(status_code=422, detail=str(e)) from None


@router.get("/api/tasks/{task_id}")
def task(request: Request, task_id: str, person: Person) -> dict[str, Any]:
    """One task with its timeline, safety events and approvals."""
    from housemind.agent.history import task_detail

    try:
        return task_detail(home_of(request).database, task_id)
    except KeyError as e:
        raise not_found(str(e.args[0])) from None


@router.get("/history/{task_id}/replay.gif")
def replay(request: Request, task_id: str, person: Person) -> FileResponse:
    """A replay of the task: the recorded GIF if there is one, else drawn from checkpoints."""
    from housemind.agent.history import task_detail
    from housemind.agent.replay import ReplayError, recorded_replay, task_replay

    home = home_of(request)
    try:
        task_detail(home.database, task_id)
    except KeyError as e:
        raise not_found(str(e.args[0])) from None
    recorded = recorded_replay(home.settings.replays_dir, task_id)
    if recorded is not None:
        return FileResponse(recorded, media_type="image/gif")
    cache = home.cache.setdefault("replays_dir", tempfile.mkdtemp(prefix="housemind-replays-"))
    path = Path(cache) / f"{task_id}.gif"
    if not path.is_file() or _unfinished(home, task_id):
        try:
            task_replay(home.database, task_id, path)
        except ReplayError as e:
            raise not_found(str(e)) from None
    return FileResponse(path, media_type="image/gif", headers={"Cache-Control": "no-store"})


def _unfinished(home: Any, task_id: str) -> bool:
    from housemind.scheduler import TaskQueue

    return TaskQueue(home.database.session).get(task_id).state.value in (
        "pending",
        "running",
        "waiting",
    )
