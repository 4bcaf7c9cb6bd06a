"""``housemind bench executor`` and ``housemind bench vla``: System 1's benchmarks.

``bench.py`` adds them to its group; heavy imports happen inside the commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from housemind.agent.cli._common import JsonOpt, QuickOpt, console, fail, run_bench

__all__ = ["bench_executor", "bench_vla"]


def bench_executor(
    quick: QuickOpt = False,
    seconds: Annotated[
        float | None, typer.Option(help="Wall seconds of ticking per backend.")
    ] = None,
    backend: Annotated[
        list[str] | None, typer.Option(help="Policy backend (repeat); default scripted and vla.")
    ] = None,
    rate: Annotated[float, typer.Option(help="Control rate (Hz).")] = 200.0,
    no_load: Annotated[
        bool, typer.Option("--no-load", help="Without System 2 planning and writing memory.")
    ] = False,
    mode: Annotated[
        list[str] | None,
        typer.Option(help="thread (in this process) and/or process (its own); default both."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """System 1's achieved rate, tick jitter and missed ticks, with System 2 busy beside it."""
    from housemind.agent.executor_bench import run_executor_bench as bench

    if seconds is not None and not seconds > 0:
        fail(f"--seconds must be > 0, got {seconds}")
    if not rate > 0:
        fail(f"--rate must be > 0, got {rate}")
    sizes: dict[str, Any] = {
        "seconds": seconds or (2.0 if quick else 20.0),
        "rate_hz": rate,
        "load": not no_load,
    }
    if backend:
        sizes["backends"] = tuple(backend)
    if mode:
        bad = [m for m in mode if m not in ("thread", "process")]
        if bad:
            fail(f"--mode must be thread or process, got {bad[0]!r}")
        sizes["modes"] = tuple(mode)
    try:
        run_bench(bench, sizes, as_json)
    except ValueError as e:
        fail(str(e))


def bench_vla(
    quick: QuickOpt = False,
    checkpoint: Annotated[
        Path | None, typer.Option(help="VLA model folder (default: the shipped one).")
    ] = None,
    backend: Annotated[str, typer.Option(help="Runtime: onnx, torch or auto.")] = "onnx",
    jerk: Annotated[
        int,
        typer.Option(
            help="Also run N HomeSim instances per skill with and without real-time "
            "chunking and report the jerk at chunk boundaries (0: skip)."
        ),
    ] = 0,
    as_json: JsonOpt = False,
) -> None:
    """The built-in VLA: parameters and milliseconds per chunk on one CPU thread."""
    from housemind.skills.vla.bench import run_bench as bench

    if backend not in ("auto", "onnx", "torch"):
        fail(f"--backend must be auto, onnx or torch, got {backend!r}")
    if checkpoint is not None and not (checkpoint / "config.json").is_file():
        fail(f"{checkpoint} holds no VLA model (config.json); pass a model folder")
    if jerk < 0:
        fail(f"--jerk must be >= 0, got {jerk}")
    from housemind.skills.policies.vla import configure_vla

    configure_vla(checkpoint, backend)
    sizes: dict[str, Any] = {"backend": backend, "calls": 40 if quick else 300}
    if checkpoint is not None:
        sizes["checkpoint"] = checkpoint
    say = (lambda m: None) if as_json else (lambda m: console().print(f"[dim]{m}…[/]"))
    try:
        res = bench(**sizes, progress=say)
        if jerk:
            from housemind.agent.executor_bench import run_jerk_bench

            res["chunk_boundary_jerk"] = run_jerk_bench(episodes=jerk, progress=say)
    except (FileNotFoundError, RuntimeError) as e:
        fail(str(e))
    if as_json:
        typer.echo(json.dumps(res))
    else:
        console().print_json(json.dumps(res))
