"""The home now: the robot, the people, the robot's beliefs, the chore, the emergency stop."""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from housemind.agent.web.routes._common import home_of, page
from housemind.agent.web.security import SignedIn, approver, current_person

router = APIRouter()

Person = Annotated[SignedIn, Depends(current_person)]
Approver = Annotated[SignedIn, Depends(approver)]


class Stop(BaseModel):
    """Why the robot is stopped (optional)."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(max_length=500)] = ""


def beliefs(home: Any) -> list[dict[str, Any]]:
    """Where the robot believes each object is and how sure it is, surest first."""
    from housemind.memory.spatial import p_still_there

    now = home.now()
    out = []
    for o in home.memory.spatial.known_objects():
        p = p_still_there(o, now)
        out.append(
            {
                "name": o.name,
                "kind": o.kind,
                "where": o.describe(),
                "place": o.place,
                "room": o.room,
                "p": round(p, 3),
                "last_seen": o.time.isoformat() if o.time else None,
                "missing": o.missing,
            }
        )
    out.sort(key=lambda b: (-b["p"], b["name"]))
    return out


def status_json(home: Any) -> dict[str, Any]:
    """The robot's status, the emergency stop and how fresh the status is."""
    from housemind.agent.status import read_status
    from housemind.safety.estop import EmergencyStop

    st = read_status(home.database)
    stop = EmergencyStop(home.database).state()
    return {
        "status": None
        if st is None
        else {**json.loads(st.model_dump_json()), "age_s": round(st.age_s(), 1)},
        "estop": json.loads(stop.model_dump_json()),
    }


@router.get("/home", response_class=HTMLResponse)
def home_page(request: Request, person: Person) -> HTMLResponse:
    """The home now."""
    home = home_of(request)
    return page(
        request,
        "home.html",
        person,
        live=status_json(home),
        beliefs=beliefs(home),
        now=home.now(),
    )


@router.get("/api/status")
def status(request: Request, person: Person) -> dict[str, Any]:
    """What the robot is doing, and the emergency stop."""
    return status_json(home_of(request))


@router.get("/api/beliefs")
def beliefs_json(request: Request, person: Person) -> list[dict[str, Any]]:
    """Where the robot believes things are, and how sure it is."""
    return beliefs(home_of(request))


def _png(image: Any) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _cached(home: Any, key: str, make: Any) -> bytes:
    with home.cache_lock:
        hit = home.cache.get(key)
    if hit is not None:
        return hit
    data = make()
    with home.cache_lock:
        # One picture per kind is enough: the newest.
        for k in [k for k in home.cache if k.split(":", 1)[0] == key.split(":", 1)[0]]:
            del home.cache[k]
        home.cache[key] = data
    return data


@router.get("/home/view.png")
def view_png(request: Request, person: Person) -> Response:
    """The top-down picture of the home as the simulator last reported it."""
    from housemind.agent.replay import ReplayError, picture_of_world
    from housemind.agent.status import read_status, read_world

    home = home_of(request)
    world = read_world(home.database)
    if world is None:
        raise HTTPException(
            status_code=404,
            detail="no picture of the home yet: it comes from a simulated run "
            "(housemind run, or examples/dashboard_live.py)",
        )
    st = read_status(home.database)
    caption = f"{st.goal} · {st.subtask}" if st and st.subtask else (st.goal or "") if st else ""

    def make() -> bytes:
        try:
            return _png(picture_of_world(world, caption))
        except ReplayError as e:
            raise HTTPException(status_code=404, detail=str(e)) from None

    data = _cached(home, "view:" + _digest(world, caption), make)
    return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})


def _digest(world: Any, caption: str) -> str:
    return hashlib.sha1((json.dumps(world, sort_keys=True) + caption).encode()).hexdigest()


@router.get("/home/beliefs.png")
def beliefs_png(request: Request, person: Person) -> Response:
    """What the robot believes: rooms, fixtures, objects drawn by how sure it is."""
    home = home_of(request)
    now = home.now()
    known = beliefs(home)
    if not known:
        raise HTTPException(status_code=404, detail="the robot has not seen anything yet")

    def make() -> bytes:
        with tempfile.TemporaryDirectory(prefix="housemind-web-") as tmp:
            path = home.memory.spatial.render_belief_map(Path(tmp) / "beliefs.png", now)
            return Path(path).read_bytes()

    data = _cached(home, "beliefs:" + _digest(known, now.isoformat()[:16]), make)
    return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.post("/api/estop")
def press_stop(request: Request, body: Stop, person: Person) -> dict[str, Any]:
    """Emergency stop: anyone signed in may press it."""
    from housemind.safety.estop import EmergencyStop

    st = EmergencyStop(home_of(request).database).press(by=person.name, reason=body.reason)
    return json.loads(st.model_dump_json())


@router.post("/api/estop/release")
def release_stop(request: Request, person: Approver) -> dict[str, Any]:
    """Release the emergency stop (owners and members)."""
    from housemind.safety.estop import EmergencyStop, EstopError

    try:
        st = EmergencyStop(home_of(request).database).release(by=person.name)
    except EstopError as e:
        raise HTTPException(status_code=409, detail=str(e)) from None
    return json.loads(st.model_dump_json())
