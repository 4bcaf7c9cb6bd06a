"""The planning domain generated from the skill registry, and solving with Fast Downward."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from housemind.agent.knowledge import static_facts
from housemind.agent.planners.pddl import DomainError, compile_domain, domain_pddl
from housemind.skills import REGISTRY, SkillParams, SkillRegistry, skill
from housemind.skills import builtin as _builtin  # noqa: F401 - the built-in skills
from housemind.skills.types import parse_atom


def test_every_builtin_skill_compiles_with_its_literal_variants():
    dom = compile_domain(REGISTRY)
    names = {s.name for s in dom.schemas}
    assert {"place__on", "place__in", "toggle__on", "toggle__off", "brew__coffee"} <= names
    assert {s.skill for s in dom.schemas} == set(REGISTRY.names())
    place_in = dom.by_name["place__in"]
    assert place_in.params == ("object", "target") and dict(place_in.fixed) == {"relation": "in"}
    assert [t.pred for t in place_in.add] == ["in", "hand_empty"]
    # "not closed(target)" is a negative precondition; "not on(object,*)" a quantified delete
    assert any(t.pred == "closed" and t.negated for t in place_in.pre)
    pick = dom.by_name["pick"]
    assert any(t.pred == "on" and t.args == ("?object", "*") for t in pick.delete)
    say = dom.by_name["say"]
    assert say.params == ("person",) and [n for n, _ in say.free] == ["message"]
    toggle_off = dom.by_name["toggle__off"]
    assert [t.ground({"target": "stove"}) for t in toggle_off.add] == ["switched_off(stove)"]
    assert compile_domain(REGISTRY) is dom  # compiled once per registry state


def test_the_domain_as_pddl_text():
    text = domain_pddl(REGISTRY)
    assert text.startswith("(define (domain housemind)")
    assert "(:action place__in" in text and "(increase (total-cost) 10)" in text
    assert "(forall (?w1) (not (on ?object ?w1)))" in text


def _home():
    fixtures = {
        "sink": {"kind": "sink", "container": True, "switchable": True},
        "fridge": {"kind": "fridge", "openable": True, "container": True},
        "counter": {"kind": "counter", "surface": True},
        "shelf": {"kind": "shelf", "surface": True},
    }
    kinds = {"milk": "milk", "mug": "mug", "vase": "vase"}
    return fixtures, kinds, static_facts(["kitchen"], fixtures, kinds)


def test_solving_opens_a_closed_fridge_and_closes_it_again():
    fixtures, kinds, static = _home()
    init = static | {"near(kitchen)", "hand_empty", "in(milk,fridge)", "closed(fridge)"}
    res = compile_domain(REGISTRY).solve(
        ["kitchen", *fixtures, *kinds], init, ["on(milk,counter)", "closed(fridge)"]
    )
    assert res.solved
    got = [(s.skill, *s.args.values()) for s in res.steps]
    # the milk is out of reach until the fridge is open; then the robot drives up to it
    assert got[:4] == [
        ("navigate", "fridge"),
        ("open", "fridge"),
        ("navigate", "milk"),
        ("pick", "milk"),
    ]
    assert ("place", "milk", "counter", "on") in got and ("close", "fridge") in got
    assert sum(s == ("navigate", "fridge") for s in got) == 2  # once to open, once to close
    again = compile_domain(REGISTRY).solve(
        ["kitchen", *fixtures, *kinds], init, ["on(milk,counter)", "closed(fridge)"]
    )
    assert again.cached and again.steps == res.steps


def test_an_unreachable_goal_is_not_solved_and_an_unknown_predicate_is_an_error():
    fixtures, kinds, static = _home()
    init = static | {"near(kitchen)", "hand_empty"}
    things = ["kitchen", *fixtures, *kinds]
    # A shelf is not a container: nothing can put the mug *in* it.
    assert not compile_domain(REGISTRY).solve(things, init, ["in(mug,shelf)"]).solved
    with pytest.raises(DomainError, match="no skill can make 'polished\\(vase\\)' true"):
        compile_domain(REGISTRY).solve(things, init, ["polished(vase)"])


def test_a_third_party_skill_is_planned_with_once_it_declares_its_facts():
    reg = SkillRegistry()
    for spec in REGISTRY:
        reg.register(spec)

    @skill(
        name="polish",
        template="polish the {object} with the {cloth}",
        preconditions=["holding({cloth})", "wiping_tool({cloth})", "near({object})"],
        effects=["polished({object})"],
        registry=reg,
    )
    class Polish(SkillParams):
        object: str
        cloth: str

    fixtures, kinds, static = _home()
    kinds = {**kinds, "cloth": "cloth"}
    static = static_facts(["kitchen"], fixtures, kinds)
    init = static | {"near(kitchen)", "hand_empty", "on(vase,shelf)", "on(cloth,counter)"}
    res = compile_domain(reg).solve(["kitchen", *fixtures, *kinds], init, ["polished(vase)"])
    assert res.solved and res.steps[-1].skill == "polish"
    assert res.steps[-1].args == {"object": "vase", "cloth": "cloth"}


def test_a_free_parameter_needs_a_binding():
    dom = compile_domain(REGISTRY)
    init = {"near(kitchen)", "hand_empty"}
    with pytest.raises(DomainError, match="'message' no fact mentions"):
        dom.solve(["kitchen", "alex"], init, ["told(alex)"])
    res = dom.solve(
        ["kitchen", "alex"], init, ["told(alex)"], bindings={"say": {"message": "hello"}}
    )
    assert [s.skill for s in res.steps] == ["navigate", "say"]
    assert res.steps[-1].args == {"person": "alex", "message": "hello"}


_PLAN_SCRIPT = textwrap.dedent(
    """
    import json
    from housemind.agent.planners import FixtureInfo, PlanContext, get_planner
    f = {
        "sink": FixtureInfo(name="sink", kind="sink", room="kitchen", container=True,
                            switchable=True),
        "fridge": FixtureInfo(name="fridge", kind="fridge", room="kitchen", openable=True,
                              container=True),
        "counter": FixtureInfo(name="counter", kind="counter", room="kitchen", surface=True),
        "table": FixtureInfo(name="table", kind="table", room="kitchen", surface=True),
        "cabinet": FixtureInfo(name="cabinet", kind="cabinet", room="kitchen", openable=True,
                               container=True),
    }
    kinds = {"milk": "milk", "mug": "mug", "plate": "plate", "plate_2": "plate",
             "fork": "fork", "apple": "apple"}
    places = {"milk": "counter", "mug": "table", "plate": "table", "plate_2": "counter",
              "fork": "table", "apple": "counter"}
    ctx = PlanContext(rooms=["kitchen", "hallway"], fixtures=f, robot_room="hallway",
                      facts=["hand_empty", "closed(fridge)", "dirty(mug)", "dirty(plate)"],
                      object_kinds=kinds, object_places=places,
                      object_rooms={k: "kitchen" for k in kinds})
    p = get_planner("symbolic")
    out = []
    for goal in ("put the milk back in the fridge", "put the dirty mug, plate and fork in the sink",
                 "wash the mug and the plate at the sink"):
        out.append([(s.skill, s.args) for s in p.plan(goal, ctx).subtasks])
    print(json.dumps(out))
    """
)


@pytest.mark.slow
def test_plans_do_not_depend_on_the_hash_seed():
    outs = []
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        res = subprocess.run(
            [sys.executable, "-c", _PLAN_SCRIPT], capture_output=True, text=True, env=env
        )
        assert res.returncode == 0, res.stderr[-2000:]
        outs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    assert outs[0] == outs[1]
    # "put the milk back in the fridge" puts the milk (not "back") in the fridge
    assert ("place", {"object": "milk", "target": "fridge", "relation": "in"}) in [
        tuple(s) for s in outs[0][0]
    ]


def test_planners_side_by_side_never_mix_up_their_problems():
    # Fast Downward writes its translation to the working directory; each call has its own.
    from concurrent.futures import ThreadPoolExecutor

    fixtures, kinds, static = _home()
    init = static | {"near(kitchen)", "hand_empty", "on(mug,counter)", "on(milk,counter)"}
    dom = compile_domain(REGISTRY)
    things = ["kitchen", *fixtures, *kinds]
    goals = [["in(mug,sink)"], ["on(milk,shelf)"], ["on(mug,shelf)"], ["in(milk,sink)"]]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda g: dom.solve(things, init, g), goals))
    for goal, res in zip(goals, results, strict=True):
        last = res.steps[-1]
        assert f"{last.args['relation']}({last.args['object']},{last.args['target']})" == goal[0]


def test_a_kettle_holds_water_not_things():
    from housemind.agent.planners import FixtureInfo

    fixtures = {
        "kettle": FixtureInfo(
            name="kettle", kind="kettle", room="kitchen", openable=True, container=True
        ),
        "cabinet": FixtureInfo(
            name="cabinet", kind="cabinet", room="kitchen", openable=True, container=True
        ),
    }
    facts = static_facts(["kitchen"], fixtures, {"mug": "mug"})
    # before: the planner put the mug down in the kettle to free its hand
    assert "accepts_in(cabinet)" in facts and "accepts_in(kettle)" not in facts
    assert "kettle(kettle)" in facts and "container(kettle)" in facts


def test_a_cup_is_poured_out_into_a_sink_never_into_a_cabinet_or_itself():
    # The planner once emptied a mug of tea "into the cabinet" it stood at, and then "into
    # the mug 2" it held (household #9): pour only into what takes liquid, never itself.
    from housemind.agent.planners import FixtureInfo

    fixtures = {
        "sink": FixtureInfo(name="sink", kind="sink", room="kitchen", container=True),
        "cabinet": FixtureInfo(
            name="cabinet", kind="cabinet", room="kitchen", openable=True, container=True
        ),
    }
    kinds = {"mug_2": "mug", "glass": "glass"}
    facts = static_facts(["kitchen"], fixtures, kinds)
    assert {"takes_liquid(sink)", "takes_liquid(mug_2)"} <= facts
    assert "takes_liquid(cabinet)" not in facts
    init = facts | {
        "holding(mug_2)",
        "filled(mug_2)",
        "contains(mug_2,tea)",
        "near(cabinet)",
        "near(mug_2)",
        "closed(cabinet)",
        "in(glass,cabinet)",
    }
    res = compile_domain(REGISTRY).solve(["kitchen", *fixtures, *kinds], init, ["empty(mug_2)"])
    assert res.solved
    (pour,) = [a for a in res.steps if a.skill == "pour"]
    assert pour.args["target"] == "sink"


def test_only_the_search_is_a_subprocess_and_the_translator_prints_nothing(monkeypatch, capfd):
    # The translator runs in this process (two Python start-ups saved per problem); the
    # one child per search is Fast Downward's C++ binary, and its log never reaches stdout.
    from housemind.agent.planners import pddl

    started: list[list[str]] = []
    real = subprocess.Popen

    def popen(cmd, *args, **kwargs):
        started.append(list(cmd))
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(pddl.subprocess, "Popen", popen)
    monkeypatch.setattr(pddl.subprocess, "run", None)  # the driver's way: not used
    fixtures, kinds, static = _home()
    init = static | {"near(kitchen)", "hand_empty", "on(vase,shelf)"}
    res = pddl.Domain(compile_domain(REGISTRY).schemas).solve(
        ["kitchen", *fixtures, *kinds], init, ["on(vase,counter)"]
    )
    assert res.solved and not res.cached and res.steps[-1].skill == "place"
    assert len(started) == 1 and os.path.basename(started[0][0]) == "downward"
    assert "--internal-plan-file" in started[0]
    out, _ = capfd.readouterr()
    assert "Translator" not in out and "Parsing" not in out


def _fake_search(tmp_path, body: str) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    exe = bin_dir / "downward"
    exe.write_text(f"#!{sys.executable}\n{body}\n")
    exe.chmod(0o755)
    return str(bin_dir)


@pytest.mark.parametrize(
    ("body", "limit", "within"),
    [
        # computes: stopped by the CPU limit (1 s) before the wall-clock one (4 s)
        ("while True: pass", 1.0, 3.5),
        # waits: stopped by the wall-clock limit (1.3 s)
        ("import time; time.sleep(60)", 0.1, 10),
    ],
)
def test_a_search_past_its_limit_is_stopped_and_reported_out_of_time(
    tmp_path, monkeypatch, body, limit, within
):
    import time

    from housemind.agent.planners import pddl

    monkeypatch.setattr(pddl, "_fd_bin", lambda: _fake_search(tmp_path, body))
    sas = tmp_path / "output.sas"
    sas.write_text("begin_version\n3\nend_version\n")
    t0 = time.perf_counter()
    code = pddl._search(str(sas), str(tmp_path / "plan"), (("--search", "x"), limit), str(tmp_path))
    assert code == pddl._SEARCH_OUT_OF_TIME
    assert time.perf_counter() - t0 < within


def test_a_search_out_of_time_falls_back_to_the_next_search(monkeypatch):
    from housemind.agent.planners import pddl

    fixtures, kinds, static = _home()
    init = static | {"near(kitchen)", "hand_empty", "on(vase,shelf)"}
    tried: list[str] = []
    real = pddl._search

    def search(sas, plan, config, cwd):
        tried.append(config[0][-1])
        if len(tried) == 1:
            return pddl._SEARCH_OUT_OF_TIME
        return real(sas, plan, config, cwd)

    monkeypatch.setattr(pddl, "_search", search)
    res = pddl.Domain(compile_domain(REGISTRY).schemas).solve(
        ["kitchen", *fixtures, *kinds], init, ["on(vase,counter)"]
    )
    assert res.solved and res.steps[-1].skill == "place"
    assert tried == [pddl.SEARCH_CONFIGS[0][0][-1], pddl.MERGE_AND_SHRINK[-1]]


def test_a_problem_with_many_open_goals_starts_with_merge_and_shrink_at_the_same_cost(
    monkeypatch,
):
    # moving several things is where LM-cut is slow; merge-and-shrink, also optimal, goes
    # first there, and a problem with few open goals keeps LM-cut first
    from housemind.agent.planners import pddl

    fixtures, kinds, static = _home()
    things = ["kitchen", *fixtures, *kinds]
    init = static | {"near(kitchen)", "hand_empty", "on(milk,counter)", "on(mug,counter)"}
    init |= {"on(vase,counter)", "open(fridge)"}
    goal = ["in(milk,fridge)", "in(mug,sink)", "on(vase,shelf)", "closed(fridge)"]
    assert sum(g not in init for g in goal) == pddl.MANY_OPEN_GOALS
    tried: list[str] = []
    real = pddl._search

    def search(sas, plan, config, cwd):
        tried.append(config[0][-1])
        return real(sas, plan, config, cwd)

    monkeypatch.setattr(pddl, "_search", search)
    res = pddl.Domain(compile_domain(REGISTRY).schemas).solve(things, init, goal)
    assert res.solved and tried == [pddl.MERGE_AND_SHRINK[-1]]
    tried.clear()
    monkeypatch.setattr(pddl, "MANY_OPEN_GOALS", 99)
    lmcut = pddl.Domain(compile_domain(REGISTRY).schemas).solve(things, init, goal)
    assert tried == [pddl.SEARCH_CONFIGS[0][0][-1]]

    def cost(r):
        return sum(pddl.ACTION_COSTS.get(s.skill, 1) for s in r.steps)

    assert cost(res) == cost(lmcut)
    assert pddl.searches_for(1) == pddl.SEARCH_CONFIGS


def test_a_search_that_gives_up_hands_over_to_the_next_which_is_also_optimal(monkeypatch):
    # LM-cut with no time at all gives up (exit code 12: proves nothing); merge-and-shrink
    # then plans, and its plan costs what LM-cut's does
    from housemind.agent.planners import pddl

    fixtures, kinds, static = _home()
    init = static | {"near(kitchen)", "hand_empty", "in(milk,fridge)", "closed(fridge)"}
    things = ["kitchen", *fixtures, *kinds]
    goal = ["on(milk,counter)", "in(mug,sink)", "closed(fridge)"]
    init |= {"on(mug,shelf)"}
    best = pddl.Domain(compile_domain(REGISTRY).schemas).solve(things, init, goal)
    tried: list[int] = []
    real = pddl._search

    def search(sas, plan, config, cwd):
        code = real(sas, plan, config, cwd)
        tried.append(code)
        return code

    monkeypatch.setattr(pddl, "_search", search)
    capped = (("--search", "astar(lmcut(), max_time=0)"), 5.0)
    monkeypatch.setattr(pddl, "SEARCH_CONFIGS", (capped, *pddl.SEARCH_CONFIGS[1:]))
    res = pddl.Domain(compile_domain(REGISTRY).schemas).solve(things, init, goal)
    assert tried == [pddl._GAVE_UP, 0]
    assert res.solved and not res.cached

    def cost(r):
        return sum(pddl.ACTION_COSTS.get(s.skill, 1) for s in r.steps)

    assert cost(res) == cost(best)


def _written_by_unified_planning(domain, objects, init, goal):
    import warnings

    from unified_planning.io import PDDLWriter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = PDDLWriter(domain._problem(objects, init, goal, None))
        return w.get_domain(), w.get_problem()


@pytest.mark.parametrize(
    "goal",
    [
        ["on(milk,counter)"],
        ["on(milk,counter)", "closed(fridge)", "not open(fridge)", "not switched_on(sink)"],
    ],
)
def test_problems_are_written_exactly_as_unified_planning_writes_them(goal):
    # after the first problem the domain file is reused and each problem written from its
    # names: the files Fast Downward reads are the same, byte for byte
    from housemind.agent.planners import pddl

    fixtures, kinds, static = _home()
    domain = pddl.Domain(compile_domain(REGISTRY).schemas)
    init = static | {"near(kitchen)", "hand_empty", "in(milk,fridge)", "closed(fridge)"}
    things = sorted({"kitchen", *fixtures, *kinds} | set(domain.constants))
    first = domain.solve(things, init, goal)
    (written,) = domain._written.values()
    assert written.writes(things)
    init2 = sorted(init - {"in(milk,fridge)"} | {"on(milk,shelf)", "on(mug,milk)"})
    for objs, facts in ((things, sorted(init)), ([t for t in things if t != "vase"], init2)):
        facts = [
            f
            for f in facts
            if parse_atom(f)[0] in domain.predicates and all(a in objs for a in parse_atom(f)[1])
        ]
        ref_domain, ref_problem = _written_by_unified_planning(domain, list(objs), facts, goal)
        assert written.text == ref_domain
        assert domain._problem_text(written, list(objs), facts, goal) == ref_problem
    again = pddl.Domain(compile_domain(REGISTRY).schemas)
    init3 = init | {"on(mug,counter)"}  # not the cached problem: solved from written names
    assert again.solve(things, init, goal).steps == first.steps
    assert again.solve(things, init3, goal).solved and len(again._written) == 1


def test_names_unified_planning_would_change_go_through_unified_planning():
    from housemind.agent.planners import pddl

    fixtures, kinds, static = _home()
    domain = pddl.Domain(compile_domain(REGISTRY).schemas)
    init = static | {"near(kitchen)", "hand_empty", "on(milk,shelf)"}
    domain.solve(["kitchen", *fixtures, *kinds], init, ["on(milk,counter)"])
    (written,) = domain._written.values()
    assert not written.writes(["Mug"]) and not written.writes(["2nd_mug"])
    kinds2 = {"Milk": "milk", "mug": "mug"}
    static2 = static_facts(["kitchen"], fixtures, kinds2)
    res = domain.solve(
        ["kitchen", *fixtures, *kinds2],
        static2 | {"near(kitchen)", "hand_empty", "on(Milk,shelf)"},
        ["on(Milk,counter)"],
    )
    assert res.solved and res.steps[-1].args["target"] == "counter"
    assert [s.args.get("object") for s in res.steps if s.skill == "pick"] == ["Milk"]
