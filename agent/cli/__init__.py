"""The ``housemind`` command line: one module per command group, each thin.

Every module parses options, calls the library and prints; the work lives in the
packages (``housemind.agent``, ``housemind.scheduler``, ``housemind.safety``, ...). Heavy
libraries (langgraph, litellm, torch, SQLAlchemy, the simulator) are imported inside the
commands, so ``housemind --help`` starts fast. ``--json`` output is a stable,
machine-readable contract; people get rich tables and a live view.

Modules: :mod:`.demo` (demo, run), :mod:`.instruct` (instruct, instructions),
:mod:`.schedule` (schedule, tasks, answer), :mod:`.memory`, :mod:`.safety` (safety,
approve, deny), :mod:`.skills`, :mod:`.sim`, :mod:`.bench`.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Annotated

import typer

from housemind.agent.cli import (
    bench,
    demo,
    eval,
    instruct,
    memory,
    record,
    safety,
    schedule,
    sim,
    skills,
    train,
)

__all__ = ["app", "main"]

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

app = typer.Typer(
    name="housemind",
    help="Household robots that take standing instructions and carry them out for months.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
) -> None:
    from rich.logging import RichHandler

    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(show_path=False)],
    )


for _module in (demo, instruct, schedule, memory, safety, skills, sim, bench, record, train, eval):
    _module.register(app)


def main() -> None:
    """Console-script entry point (also ``python -m housemind``)."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
