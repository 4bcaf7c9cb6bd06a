"""Talk: standing instructions with their read-back, answers to check-ins, corrections."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from housemind.agent.web.routes._common import Text, home_of, page, questions_waiting
from housemind.agent.web.security import SignedIn, current_person

router = APIRouter()

Person = Annotated[SignedIn, Depends(current_person)]


class Words(BaseModel):
    """What a person says."""

    model_config = ConfigDict(extra="forbid")

    text: Text


class Answer(BaseModel):
    """An answer to a check-in."""

    model_config = ConfigDict(extra="forbid")

    task_id: Annotated[str, Field(min_length=1, max_length=64)]
    text: Text


class Correction(BaseModel):
    """A correction during a chore ("no, the top drawer")."""

    model_config = ConfigDict(extra="forbid")

    text: Text
    task_id: Annotated[str | None, Field(max_length=64)] = None


@router.get("/", response_class=HTMLResponse)
def talk_page(request: Request, person: Person) -> HTMLResponse:
    """The talk page: the chat box, questions waiting for an answer, corrections."""
    from housemind.agent.status import read_status

    home = home_of(request)
    return page(
        request,
        "talk.html",
        person,
        questions=questions_waiting(home),
        status=read_status(home.database),
    )


@router.post("/api/instructions/preview")
def preview(request: Request, body: Words, person: Person) -> dict[str, Any]:
    """How the robot reads the words (nothing is stored): the read-back and questions."""
    from housemind.agent.instructions import give_instructions
    from housemind.scheduler.agenda import parse_result_json

    home = home_of(request)
    out = give_instructions(
        [body.text], db=home.db_path, now=home.now(), tz=home.tz(), actor=person.name, dry_run=True
    )
    ((_, result),) = out.results
    return {"understood": out.exit_code == 0, **parse_result_json(result, out.now)}


@router.post("/api/instructions")
def instruct(request: Request, body: Words, person: Person) -> dict[str, Any]:
    """Store the words as standing instructions, through the safety gate."""
    from housemind.agent.instructions import give_instructions
    from housemind.scheduler import read_back
    from housemind.scheduler.agenda import fact_json

    home = home_of(request)
    out = give_instructions(
        [body.text], db=home.db_path, now=home.now(), tz=home.tz(), actor=person.name
    )
    waiting = {a["instruction_id"]: a for a in out.approvals}
    return {
        "stored": [
            {
                "id": i.id,
                "read_back": read_back(i),
                "enabled": i.enabled,
                "approval_id": waiting.get(i.id, {}).get("approval_id"),
                "reasons": waiting.get(i.id, {}).get("reasons", []),
            }
            for i in out.stored
        ],
        "facts": [fact_json(f)["read_back"] for f in out.facts],
        "questions": out.questions,
        "denied": out.denied,
        "conflicts": [c["text"] for c in out.conflicts],
        "needs_approval": out.needs_approval,
    }


@router.get("/api/questions")
def questions(request: Request, person: Person) -> list[dict[str, Any]]:
    """Check-ins waiting for an answer."""
    return questions_waiting(home_of(request))


@router.post("/api/answers")
def answer(request: Request, body: Answer, person: Person) -> dict[str, Any]:
    """Answer a check-in; the running robot picks it up."""
    from housemind.agent.runtime import record_answer

    home = home_of(request)
    try:
        record_answer(home.database, body.task_id, body.text, by=person.name)
    except KeyError as e:
        raise HTTPException(status_code=404, detail=str(e.args[0] if e.args else e)) from None
    except ValueError as e:
        raise HTTPException(status_code=409, detail=str(e)) from None
    return {"answered": body.task_id, "by": person.name, "text": body.text}


@router.post("/api/corrections")
def correct(request: Request, body: Correction, person: Person) -> dict[str, Any]:
    """Correct the robot during a chore; remembered with who and when."""
    from housemind.agent.instructions import InstructionRefused, give_correction

    home = home_of(request)
    try:
        out = give_correction(
            body.text, db=home.db_path, actor=person.name, now=home.now(), task_id=body.task_id
        )
    except InstructionRefused as e:
        return {"refused": True, "text": e.text, "reasons": e.reasons}
    except ValueError as e:
        raise HTTPException(status_code=404, detail=str(e)) from None
    return {"refused": False, **out}
