"""Households run for days from a paragraph: how many chores are done on time.

``python -m housemind.agent.household_bench [--days 14] [--only N ...] [--json]`` runs each
paragraph of ``tests/data/household_paragraphs.yaml`` (or ``--file``) through
``housemind run`` (:func:`agent.runs.run_simulated`: the paragraph parser, the safety
check, the scheduler, the symbolic planner, HomeSim's experts) in the floor plan it names,
and prints per paragraph and overall: chores due, done, done on time (a deadline chore
finished by its deadline; any other chore done), failed, check-ins asked and answered,
items bought, wall time. A chore still waiting or pending when the run ends counts as not
on time.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["load_paragraphs", "run_household", "run_households"]

DEFAULT_FILE = Path(__file__).resolve().parents[1] / "tests" / "data" / "household_paragraphs.yaml"


def load_paragraphs(path: str | Path = DEFAULT_FILE) -> list[dict[str, str]]:
    """The paragraphs of a YAML file: a list of ``{home, text}``.

    Raises:
        ValueError: the file is not such a list.
    """
    import yaml

    rows = yaml.safe_load(Path(path).read_text())
    if not isinstance(rows, list) or not all(
        isinstance(r, dict) and {"home", "text"} <= set(r) for r in rows
    ):
        raise ValueError(f"{path}: expected a list of {{home: PLAN, text: PARAGRAPH}}")
    return [{"home": str(r["home"]), "text": " ".join(str(r["text"]).split())} for r in rows]


def run_household(text: str, home: str, *, days: float = 14.0, seed: int = 0) -> dict[str, Any]:
    """Run one paragraph for ``days`` in ``home``; the run summary plus ``wall_s``."""
    from housemind.agent.runs import run_simulated

    with tempfile.TemporaryDirectory(prefix="housemind-household-") as tmp:
        t0 = time.perf_counter()
        out = run_simulated(Path(tmp) / "home.db", days=days, seed=seed, home=home,
                            instructions=[text])  # fmt: skip
        out["wall_s"] = time.perf_counter() - t0
    return out


def run_households(
    paragraphs: list[dict[str, str]], *, days: float = 14.0, seed: int = 0
) -> dict[str, Any]:
    """Run every paragraph; per paragraph counts and the overall on-time rate."""
    rows, due, on_time = [], 0, 0
    for i, p in enumerate(paragraphs):
        try:
            out = run_household(p["text"], p["home"], days=days, seed=seed)
        except Exception as e:  # noqa: BLE001 - a paragraph that cannot run is a result too
            rows.append({"index": i, "home": p["home"], "error": str(e)})
            continue
        late = [
            {k: c.get(k) for k in ("goal", "kind", "due", "deadline", "status", "reason")}
            for c in out["chores"]
            if not c.get("on_time")
        ]
        due += out["chores_due"]
        on_time += out["chores_on_time"]
        rows.append(
            {
                "index": i,
                "home": p["home"],
                "chores_due": out["chores_due"],
                "chores_on_time": out["chores_on_time"],
                "chores_failed": out["chores_failed"],
                "checkins_asked": out["checkins_asked"],
                "checkins_answered": out["checkins_answered"],
                "items_bought": len(out["items_bought"]),
                "wall_s": round(out["wall_s"], 1),
                "not_on_time": late,
            }
        )
    errors = sum(1 for r in rows if "error" in r)
    return {
        "days": days,
        "seed": seed,
        "paragraphs": len(paragraphs),
        "paragraphs_failed_to_run": errors,
        "chores_due": due,
        "chores_on_time": on_time,
        "on_time_rate": on_time / due if due else 0.0,
        "per_paragraph": rows,
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default=str(DEFAULT_FILE))
    ap.add_argument("--days", type=float, default=14.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", type=int, nargs="*", help="paragraph indices to run")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    paras = load_paragraphs(args.file)
    if args.only:
        paras = [paras[i] for i in args.only]
    out = run_households(paras, days=args.days, seed=args.seed)
    if args.json:
        print(json.dumps(out))
        return
    for r in out["per_paragraph"]:
        if "error" in r:
            print(f"#{r['index']} {r['home']}: cannot run: {r['error']}")
        else:
            print(
                f"#{r['index']} {r['home']}: {r['chores_on_time']}/{r['chores_due']} on time, "
                f"{r['chores_failed']} failed, {r['wall_s']} s"
            )
    print(
        f"overall: {out['chores_on_time']}/{out['chores_due']} on time "
        f"({100 * out['on_time_rate']:.1f} %), {out['paragraphs_failed_to_run']} paragraphs "
        "could not run"
    )


if __name__ == "__main__":
    main()
