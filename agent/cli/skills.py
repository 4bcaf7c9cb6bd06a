"""``housemind skills``: the registered skills (built-in and from installed packages)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from housemind.agent.cli._common import JsonOpt, console, fail

__all__ = ["register"]


PolicyOpt = Annotated[
    str | None,
    typer.Option(
        "--policy",
        help="Show the backends under an override: a backend (vla) or skill=backend pairs.",
    ),
]


def skills(policy: PolicyOpt = None, as_json: JsonOpt = False) -> None:
    """List the registered skills and the policy backend that runs each."""
    from housemind.skills import REGISTRY
    from housemind.skills.policies import backend_for, parse_policy_choice

    try:
        choice = parse_policy_choice(policy)
    except ValueError as e:
        fail(str(e))
    REGISTRY.load_entry_points()
    rows = [
        {
            "name": s.name,
            "template": s.template,
            "params": list(s.params.model_fields),
            "preconditions": list(s.preconditions),
            "effects": list(s.effects),
            "risk": s.risk,
            "timeout_s": s.timeout_s,
            "policy": backend_for(s, choice),
        }
        for s in REGISTRY
    ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    from rich.table import Table

    t = Table(title="skills")
    for col in ("name", "template", "preconditions", "effects", "risk", "timeout", "policy"):
        t.add_column(col)
    for r in rows:
        t.add_row(
            r["name"],
            r["template"],
            ", ".join(r["preconditions"]),
            ", ".join(r["effects"]),
            r["risk"],
            f"{r['timeout_s']:g} s",
            r["policy"],
        )
    console().print(t)


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.command("skills")(skills)
