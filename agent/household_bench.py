"""Households run for days from a paragraph: how many chores are done on time.

``python -m housemind.agent.household_bench [--days 14] [--only N ...] [--json] [--out F]``
runs each paragraph of ``tests/data/household_paragraphs.yaml`` (or ``--file``) through
``housemind run`` (:func:`agent.runs.run_simulated`: the paragraph parser, the safety
check, the scheduler, the symbolic planner, HomeSim's experts) in the floor plan it names,
and prints per paragraph and overall: chores due, done, done on time (a deadline chore
finished by its deadline; any other chore done), late (done after its deadline), failed,
not done (skipped, waiting or pending when the run ends), check-ins asked and answered,
items bought, wall time, and each chore that was not on time with its reason. A chore
that ended done with nothing made, because something it needed is not in the home ("make
tea" with no tea: it went on the shopping list; the run summary's ``missing``), is not on
time: it is counted as ``chores_done_missing``. A chore still waiting or pending when the
run ends counts as not on time;
one due after the run's end (a delivery to put away the next morning) is not counted.
``--out F`` also saves the JSON to ``F``; ``--only`` keeps each paragraph's index in the
file.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = [
    "MONTH_PARAGRAPH",
    "load_paragraphs",
    "paragraph_row",
    "run_household",
    "run_households",
    "run_month",
]

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


def _made_nothing(c: dict[str, Any]) -> bool:
    """Done, but something it needed is not in the home: nothing was made."""
    return c.get("status") == "done" and bool(c.get("missing"))


def _on_time(c: dict[str, Any]) -> bool:
    return bool(c.get("on_time")) and not _made_nothing(c)


def _count(chores: list[dict[str, Any]]) -> dict[str, int]:
    """Chores late (done after the deadline), failed, done missing something, not done."""
    missing = sum(1 for c in chores if _made_nothing(c))
    late = sum(
        1 for c in chores if c.get("status") == "done" and not _on_time(c) and not _made_nothing(c)
    )
    failed = sum(1 for c in chores if c.get("status") in ("failed", "denied"))
    on_time = sum(1 for c in chores if _on_time(c))
    return {
        "late": late,
        "failed": failed,
        "not_done": len(chores) - on_time - late - failed - missing,
    }


def paragraph_row(out: dict[str, Any], *, index: int, home: str, text: str) -> dict[str, Any]:
    """One paragraph's result from its run summary (``run_simulated``'s, with ``wall_s``).

    A follow-up queued near the end (a delivery to put away at 07:08 the morning after the
    run) is due after the run: not one of its chores, counted apart as
    ``due_after_the_run``.
    """
    until = datetime.fromisoformat(out["until"])
    chores = [c for c in out["chores"] if datetime.fromisoformat(c["due"]) <= until]
    fields = ("goal", "kind", "due", "deadline", "status", "finished_at", "reason", "missing")
    missing = [c for c in chores if _made_nothing(c)]
    return {
        "index": index,
        "home": home,
        "text": text,
        "read_back": out.get("read_back", []),
        "chores_due": len(chores),
        "chores_on_time": sum(1 for c in chores if _on_time(c)),
        **{f"chores_{k}": v for k, v in _count(chores).items()},
        "due_after_the_run": len(out["chores"]) - len(chores),
        "checkins_asked": out["checkins_asked"],
        "checkins_answered": out["checkins_answered"],
        "items_bought": len(out["items_bought"]),
        "wall_s": round(out["wall_s"], 1),
        "not_on_time": [{k: c.get(k) for k in fields} for c in chores if not _on_time(c)],
        "chores_done_missing": len(missing),
        "done_missing": [{k: c.get(k) for k in fields} for c in missing],
    }


def run_households(
    paragraphs: list[dict[str, str]],
    *,
    days: float = 14.0,
    seed: int = 0,
    indices: list[int] | None = None,
) -> dict[str, Any]:
    """Run every paragraph; per paragraph counts and the overall on-time rate.

    Args:
        paragraphs: ``{home, text}`` rows (:func:`load_paragraphs`).
        days: Simulated days per paragraph.
        seed: HomeSim seed.
        indices: The paragraphs' indices in their file (default ``0..n-1``).
    """
    rows, due, on_time, missing = [], 0, 0, 0
    indices = list(range(len(paragraphs))) if indices is None else indices
    for i, p in zip(indices, paragraphs, strict=True):
        try:
            out = run_household(p["text"], p["home"], days=days, seed=seed)
        except Exception as e:  # noqa: BLE001 - a paragraph that cannot run is a result too
            rows.append({"index": i, "home": p["home"], "text": p["text"], "error": str(e)})
            continue
        row = paragraph_row(out, index=i, home=p["home"], text=p["text"])
        due += row["chores_due"]
        on_time += row["chores_on_time"]
        missing += row["chores_done_missing"]
        rows.append(row)
    errors = sum(1 for r in rows if "error" in r)
    return {
        "days": days,
        "seed": seed,
        "paragraphs": len(paragraphs),
        "paragraphs_failed_to_run": errors,
        "chores_due": due,
        "chores_on_time": on_time,
        "on_time_rate": on_time / due if due else 0.0,
        "chores_done_missing": missing,
        "per_paragraph": rows,
    }


#: The paragraph of the project's headline (``examples/household.txt``, the README).
MONTH_PARAGRAPH = (
    "I like to have dinner made at 6:00 p.m. I wake up and go to work at 7:00 a.m. I like to "
    "do my laundry on Saturday, so make sure that it's ready. By the way, check in with me "
    "every Monday to see what I want you to pick up when you do the shopping."
)


def run_month(
    text: str = MONTH_PARAGRAPH, home: str = "house", *, days: float = 30.0, seed: int = 0
) -> dict[str, Any]:
    """A paragraph for a simulated month: its chores per goal, wall and CPU time.

    What ``housemind bench month`` prints (issue #11's "about a minute of wall time"):
    the run's own wall time (from opening the home to the summary; the process's start-up
    and imports are not in it), this process's CPU time over the same span, and per goal
    how many chores were due, done, on time, and when the first and last finished (time
    of day).

    Args:
        text: The paragraph (default: the README's).
        home: Floor plan.
        days: Simulated days.
        seed: HomeSim seed.
    """
    import platform

    cpu0 = time.process_time()
    out = run_household(text, home, days=days, seed=seed)
    cpu = time.process_time() - cpu0
    row = paragraph_row(out, index=0, home=home, text=text)
    until = datetime.fromisoformat(out["until"])
    per_goal: dict[str, dict[str, Any]] = {}
    for c in out["chores"]:
        if datetime.fromisoformat(c["due"]) > until:
            continue
        g = per_goal.setdefault(c["goal"], {"due": 0, "done": 0, "on_time": 0, "finished": []})
        g["due"] += 1
        g["done"] += c.get("status") == "done"
        g["on_time"] += _on_time(c)
        if c.get("finished_at"):
            g["finished"].append(datetime.fromisoformat(c["finished_at"]).strftime("%H:%M"))
    for g in per_goal.values():
        times = sorted(g.pop("finished"))
        g["first_finished"], g["last_finished"] = (times[0], times[-1]) if times else (None, None)
    return {
        "days": days,
        "seed": seed,
        "home": home,
        "chores_due": row["chores_due"],
        "chores_on_time": row["chores_on_time"],
        "chores_failed": row["chores_failed"],
        "chores_done_missing": row["chores_done_missing"],
        "checkins_asked": out["checkins_asked"],
        "checkins_answered": out["checkins_answered"],
        "items_bought": row["items_bought"],
        "subtasks": out["subtasks"],
        "per_goal": per_goal,
        "not_on_time": row["not_on_time"],
        "wall_s": round(out["wall_s"], 1),
        "cpu_s": round(cpu, 1),
        "machine": f"{platform.machine()} {platform.system()} Python {platform.python_version()}",
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default=str(DEFAULT_FILE))
    ap.add_argument("--days", type=float, default=14.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", type=int, nargs="*", help="paragraph indices to run")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--out", help="also save the JSON results to this file")
    args = ap.parse_args(argv)
    paras = load_paragraphs(args.file)
    indices = list(args.only) if args.only else list(range(len(paras)))
    out = run_households(
        [paras[i] for i in indices], days=args.days, seed=args.seed, indices=indices
    )
    if args.out:
        Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    if args.json:
        print(json.dumps(out))
        return
    for r in out["per_paragraph"]:
        if "error" in r:
            print(f"#{r['index']} {r['home']}: cannot run: {r['error']}")
        else:
            print(
                f"#{r['index']} {r['home']}: {r['chores_on_time']}/{r['chores_due']} on time, "
                f"{r['chores_late']} late, {r['chores_failed']} failed, "
                f"{r['chores_done_missing']} done with nothing made (something missing), "
                f"{r['chores_not_done']} not done, {r['wall_s']} s"
            )
            for c in r["not_on_time"]:
                print(f"    {c['status']}: {c['goal']} (due {c['due']}) {c['reason'] or ''}")
    print(
        f"overall: {out['chores_on_time']}/{out['chores_due']} on time "
        f"({100 * out['on_time_rate']:.1f} %), {out['paragraphs_failed_to_run']} paragraphs "
        "could not run"
    )


if __name__ == "__main__":
    main()
