"""How reliable HomeSim's privileged experts are: every skill on randomised instances.

Each instance is a random home (every floor plan HomeSim knows, with random furniture
arrangements when plans exist), a random world seed, a random time of day (so the
residents are wherever their routine has them), a random valid target for the skill and a
random robot start: anywhere free and connected to the dock for ``navigate``; for the
other skills a random free pose with a random heading within reach of the target (the
skills' ``near`` precondition), since those experts do not drive across the home. The
skill's other preconditions are set up directly in the state (the object is put in the
gripper, the appliance opened, the faucet turned on, the surface made dirty...).

Targets a resident is standing at (within 0.9 m), and navigation whose only way a
resident blocks (standing in a doorway for their routine, or walking to such a spot),
are not valid instances: the robot would wait for the person to move, which is the
planner's business, not the expert's. Someone merely walking through is: the navigate
expert waits for them (``sim.home.experts.WAIT_FOR_PEOPLE_S``) and must then arrive.

The expert is then driven through the ordinary action vector, chunk by chunk, until it
holds still (an all-zero chunk while its ``done`` flag, where it has one, is true: it
reports done), gives up (``PolicyError``) or runs out of
ticks; success is judged from the true world state afterwards (the skill's effect holds,
and nothing was spilt). Failures are kept with their instance so they can be replayed.

``--walking`` starts every instance a few seconds before a slot of the residents'
routines begins, so people set off walking (through doorways, across the robot's way)
while the skill runs; at a random time of day they rarely are.

Run: ``python benchmarks/sim/expert_sweep.py [--instances 1000] [--seed 0] [--walking]
[--json]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import housemind.skills.builtin  # noqa: F401 - registers the built-in skills
from housemind.sim.home.env import HomeSimEnv
from housemind.sim.home.instances import SETUPS as _SETUP
from housemind.sim.home.instances import SKILLS, SkipInstance, set_up
from housemind.sim.home.instances import make_env as _make_env
from housemind.skills.policies.base import PolicyError
from housemind.skills.spec import REGISTRY

__all__ = ["SKILLS", "homes", "run_expert_sweep", "run_instance"]

_MAX_TICKS = {"navigate": 9000, "vacuum": 20000}
_DEFAULT_MAX_TICKS = 3000
_FURNITURE_SEEDS = 4  # furniture arrangements per plan (plus the plan as drawn)


def homes() -> list[str]:
    """The floor plans to sweep (the v1 apartment alone before plans exist)."""
    try:
        from housemind.sim.home.plans import plan_names
    except ImportError:
        return ["apartment"]
    return plan_names()


def _drive(env: HomeSimEnv, skill: str, args: dict[str, Any], max_ticks: int) -> tuple[int, str]:
    """Run the expert until it holds still; returns ticks and an error ("" if none)."""
    pol = env.expert(skill, args)
    pol.reset()
    ticks = 0
    # Experts read the true state, not the observation: rendering one per chunk would
    # only measure the camera, so they all get the first one.
    obs = env.observe()
    while ticks < max_ticks:
        try:
            chunk = pol.predict_chunk(obs, skill)
        except PolicyError as e:
            return ticks, str(e)
        # Holding still means done, unless the expert says it is not (navigate holds still
        # while it waits for people in its way; it has a ``done`` flag for that).
        if not chunk.any() and getattr(pol, "done", True):
            return ticks, ""
        for a in chunk:
            env.step(a)
            ticks += 1
    return ticks, f"no result within {max_ticks} ticks"


def run_instance(
    skill: str,
    home: str,
    furniture_seed: int | None,
    seed: int,
    env: HomeSimEnv | None = None,
    walking: bool = False,
) -> dict[str, Any]:
    """One randomised instance of ``skill`` (deterministic in its arguments).

    Args:
        walking: Start a few seconds before a slot of the residents' routines begins, so
            people set off walking while the skill runs (at a random time they rarely
            are: a walk takes seconds, a slot tens of minutes). The instance differs
            from the one without.

    Returns:
        ``{"skill", "home", "furniture_seed", "seed", "args", "ok", "ticks", "error"}``;
        ``ok`` is None when the home has nothing to try the skill on.
    """
    env = env or _make_env(home, furniture_seed)
    out: dict[str, Any] = {
        "skill": skill,
        "home": home,
        "furniture_seed": furniture_seed,
        "seed": seed,
        "args": {},
        "ok": None,
        "ticks": 0,
        "error": "",
    }
    try:
        inst = set_up(env, skill, seed, walking=walking)
    except SkipInstance as e:
        out["error"] = str(e)
        return out
    args, check = inst.args, inst.check
    out["args"] = args
    ticks, err = _drive(env, skill, args, _MAX_TICKS.get(skill, _DEFAULT_MAX_TICKS))
    out["ticks"], out["error"] = ticks, err
    if err:
        out["ok"] = False
    elif not check(env):
        out["ok"], out["error"] = False, "the expert stopped but the effect does not hold"
    else:
        # The executor declares success on observed facts: the robot must see it too.
        unseen = set(REGISTRY.bind(skill, args).success_facts()) - env.observe().facts()
        out["ok"] = not unseen
        if unseen:
            out["error"] = f"the effect holds but the robot does not see {sorted(unseen)}"
    return out


def run_expert_sweep(
    instances_per_skill: int = 50,
    seed: int = 0,
    skills: tuple[str, ...] = SKILLS,
    walking: bool = False,
) -> dict[str, dict[str, Any]]:
    """Run every skill's expert on ``instances_per_skill`` randomised instances.

    Homes rotate through every floor plan (as drawn and with a few furniture seeds).
    A home with nothing to try a skill on (no plant, no appliance) is passed over for
    another, so every skill gets its full count.

    Args:
        instances_per_skill: Instances per skill (the issue's measurement uses 1,000).
        seed: Base seed; the same seed gives the same instances.
        skills: Skills to sweep.
        walking: Start every instance as residents set off walking (see
            :func:`run_instance`).

    Returns:
        Per skill: ``n`` (instances), ``success``, ``rate``, ``mean_ticks`` and
        ``max_ticks`` (of successes), ``wall_s``, and ``failures`` (up to 5 failing
        instances, replayable with :func:`run_instance`).
    """
    unknown = [k for k in skills if k not in _SETUP]
    if unknown:
        raise KeyError(f"no sweep for skill {unknown[0]!r}; known: {', '.join(_SETUP)}")
    names = homes()
    variants = [(h, None) for h in names]
    if names != ["apartment"]:
        variants += [(h, s) for h in names for s in range(1, _FURNITURE_SEEDS + 1)]
    envs = {v: _make_env(*v) for v in variants}
    report: dict[str, dict[str, Any]] = {}
    for skill in skills:
        t0 = time.perf_counter()
        n = ok = 0
        ticks: list[int] = []
        failures: list[dict[str, Any]] = []
        i = 0
        skipped = 0
        skip_reasons: dict[str, int] = {}
        while n < instances_per_skill:
            home, fseed = variants[(seed + i) % len(variants)]
            inst_seed = seed * 1_000_003 + i
            i += 1
            res = run_instance(skill, home, fseed, inst_seed, envs[(home, fseed)], walking)
            if res["ok"] is None:
                skipped += 1
                why = re.sub(r"^\w+ is standing", "a person is standing", res["error"])
                skip_reasons[why] = skip_reasons.get(why, 0) + 1
                if skipped > 20 * instances_per_skill + 100:
                    break  # no home has anything to try this skill on
                continue
            n += 1
            if res["ok"]:
                ok += 1
                ticks.append(res["ticks"])
            elif len(failures) < 5:
                failures.append(res)
        report[skill] = {
            "n": n,
            "skipped": skipped,
            "skip_reasons": skip_reasons,
            "success": ok,
            "rate": round(ok / n, 4) if n else 0.0,
            "mean_ticks": round(sum(ticks) / len(ticks), 1) if ticks else 0.0,
            "max_ticks": max(ticks, default=0),
            "wall_s": round(time.perf_counter() - t0, 2),
            "failures": failures,
        }
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line: print the per-skill rates (``--json`` for the whole report)."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--instances", type=int, default=100, help="instances per skill")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--skills", default=",".join(SKILLS), help="comma-separated skills")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--walking",
        action="store_true",
        help="start each instance seconds before residents set off walking somewhere",
    )
    a = p.parse_args(argv)
    t0 = time.perf_counter()
    report = run_expert_sweep(a.instances, a.seed, tuple(a.skills.split(",")), a.walking)
    if a.json:
        print(json.dumps(report, indent=2))
    else:
        for skill, r in report.items():
            print(
                f"{skill:9s} {r['success']:5d}/{r['n']:<5d} {r['rate']:.4f}  "
                f"mean {r['mean_ticks']:7.1f} ticks  {r['wall_s']:6.1f} s"
            )
            for f in r["failures"]:
                print(
                    f"    FAIL {f['home']}/{f['furniture_seed']} seed {f['seed']} "
                    f"{f['args']}: {f['error']}"
                )
        print(f"total {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
