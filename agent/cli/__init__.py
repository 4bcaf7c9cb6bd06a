"""The ``housemind`` command line: one module per command group, each thin.

Every module parses options, calls the library and prints; the work lives in the
packages (``housemind.agent``, ``housemind.scheduler``, ``housemind.safety``, ...). Heavy
libraries (langgraph, litellm, torch, SQLAlchemy, the simulator) are imported inside the
commands, so ``housemind --help`` starts fast. ``--json`` output is a stable,
machine-readable contract; people get rich tables and a live view.

Modules: :mod:`.demo` (demo, run), :mod:`.do`, :mod:`.instruct` (instruct, instructions),
:mod:`.schedule` (schedule, tasks, answer), :mod:`.memory`, :mod:`.safety` (safety,
approve, deny), :mod:`.people`, :mod:`.skills`, :mod:`.sim`, :mod:`.bench`, :mod:`.train`
(train planner), :mod:`.eval`, :mod:`.serve`.
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
    do,
    eval,
    instruct,
    memory,
    people,
    record,
    safety,
    schedule,
    serve,
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
    from rich.console import Console
    from rich.logging import RichHandler

    # Logs go to stderr: stdout carries the output (and --json must stay parseable).
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(message)s",
        handlers=[RichHandler(show_path=False, console=Console(stderr=True))],
    )


for _module in (
    demo,
    do,
    instruct,
    schedule,
    memory,
    safety,
    people,
    skills,
    sim,
    bench,
    record,
    train,
    eval,
    serve,
):
    _module.register(app)


def main() -> None:
    """Console-script entry point (also ``python -m housemind``)."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
