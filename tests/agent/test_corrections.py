"""Corrections and help requests: the words, the planners' use of them, the graph's pause."""

import math
from datetime import timedelta

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from test_graph import PointServices, cfg, start

from housemind.agent.graph import build_task_graph
from housemind.agent.help import holder_in_answer, need_help, place_in_answer
from housemind.agent.planners import FixtureInfo, PlanCheck, PlanContext, get_planner
from housemind.agent.planners.base import CorrectionNote, Plan, Subtask
from housemind.agent.planners.corrections import parse_correction
from housemind.agent.planners.prompt import build_messages
from housemind.agent.planners.validate import PlanValidationError
from housemind.skills import REGISTRY
from housemind.skills.testing import PointRobotEnv


@pytest.mark.parametrize(
    ("words", "kind", "thing", "place", "relation"),
    [
        ("No, put it in the top drawer", "place", None, "the top drawer", "in"),
        ("no, the top drawer", "place", None, "the top drawer", None),
        ("put it in the fridge instead", "place", None, "the fridge", "in"),
        ("the fridge instead", "place", None, "the fridge", None),
        ("not there, on the shelf", "place", None, "the shelf", "on"),
        ("the mug goes in the cabinet", "place", "the mug", "the cabinet", "in"),
        ("that's not trash", "not_trash", None, None, None),
        ("No! That is not rubbish.", "not_trash", None, None, None),
        ("don't throw the newspaper away", "not_trash", "the newspaper", None, None),
        ("keep it out of the bin", "not_trash", None, None, None),
        ("be careful with the vase", "other", None, None, None),
        ("no", "other", None, None, None),
    ],
)
def test_parse_correction(words, kind, thing, place, relation):
    m = parse_correction(words)
    assert (m.kind, m.thing, m.place, m.relation) == (kind, thing, place, relation)


def _kitchen(**kw) -> PlanContext:
    fixtures = {
        "table": FixtureInfo(name="table", kind="table", room="kitchen", surface=True),
        "counter": FixtureInfo(name="counter", kind="counter", room="kitchen", surface=True),
        "drawer": FixtureInfo(
            name="drawer", kind="drawer", room="kitchen", container=True, openable=True
        ),
        "recycling_bin": FixtureInfo(
            name="recycling_bin", kind="recycling_bin", room="kitchen", container=True
        ),
    }
    base = {
        "robot_room": "kitchen",
        "facts": ["near(table)", "hand_empty", "on(fork,table)", "on(empty_can,counter)"],
        "rooms": ["kitchen"],
        "fixtures": fixtures,
        "object_places": {"fork": "table", "empty_can": "counter"},
        "object_rooms": {"fork": "kitchen", "empty_can": "kitchen"},
        "object_kinds": {"fork": "fork", "empty_can": "empty_can"},
        "skills": REGISTRY.names(),
    }
    return PlanContext(**{**base, **kw})


def _places(plan):
    return [(s.args["object"], s.args["target"]) for s in plan.subtasks if s.skill == "place"]


def test_symbolic_planner_follows_a_place_correction():
    planner = get_planner("symbolic")
    goal = "put the fork on the counter"
    assert _places(planner.plan(goal, _kitchen())) == [("fork", "counter")]
    said = CorrectionNote(text="no, put it in the top drawer", by="alex", about="fork", live=True)
    plan = planner.plan(goal, _kitchen(corrections=[said]))
    assert _places(plan) == [("fork", "drawer")]
    assert "in(fork,drawer)" in plan.goal_facts and "corrected (alex)" in plan.rationale
    # remembered from an earlier time (no 'about'): the chore moves one thing, so it is that
    later = CorrectionNote(text="no, the top drawer", by="alex", at="2026-11-23T09:00:00")
    assert _places(planner.plan(goal, _kitchen(corrections=[later]))) == [("fork", "drawer")]
    # a place the home does not have is left out with a note, not a failure
    odd = CorrectionNote(text="no, put it in the attic", by="alex", about="fork", live=True)
    plan = planner.plan(goal, _kitchen(corrections=[odd]))
    assert _places(plan) == [("fork", "counter")] and "attic" in plan.rationale


def test_not_trash_keeps_a_thing_out_of_every_bin():
    planner = get_planner("symbolic")
    goal = "put the empty can away"
    assert _places(planner.plan(goal, _kitchen())) == [("empty_can", "recycling_bin")]
    kept = _kitchen(not_trash={"empty_can": "kim on 2026-11-23 09:00"})
    plan = planner.plan(goal, kept)
    assert _places(plan) == [("empty_can", "table")]  # no other home: kept on a table
    # any backend's plan that bins it is rejected, saying who said so
    binning = Plan(
        goal="throw the can away",
        subtasks=[
            Subtask(skill="navigate", args={"target": "counter"}),
            Subtask(skill="pick", args={"object": "empty_can"}),
            Subtask(skill="navigate", args={"target": "recycling_bin"}),
            Subtask(
                skill="place",
                args={"object": "empty_can", "target": "recycling_bin", "relation": "in"},
            ),
        ],
    )
    PlanCheck(REGISTRY)(binning, _kitchen())
    with pytest.raises(PlanValidationError, match="kim on 2026-11-23 09:00 said it is not trash"):
        PlanCheck(REGISTRY)(binning, kept)


def test_model_prompt_carries_corrections_not_trash_and_told_places():
    ctx = _kitchen(
        corrections=[CorrectionNote(text="no, the top drawer", by="alex", live=True)],
        not_trash={"empty_can": "kim on 2026-11-23 09:00"},
        told_places={"watering_can": ["oven"]},
    )
    text = build_messages("put the fork on the counter", ctx, REGISTRY)[1]["content"]
    assert 'alex said just now, during this task: "no, the top drawer"' in text
    assert "- empty_can (said by kim on 2026-11-23 09:00)" in text
    assert "- watering_can: oven" in text


def test_told_place_is_searched_first():
    planner = get_planner("symbolic")
    ctx = _kitchen(told_places={"spoon": ["drawer"]})
    plan = planner.plan("put the spoon on the table", ctx)
    assert not plan.complete and plan.subtasks[0].args == {"target": "drawer"}


def test_need_help_words_a_specific_question():
    need = need_help(
        "water the plants",
        "symbolic: cannot find the watering can: looked in bathroom, entry; tell me where "
        "it is, or check that it exists",
    )
    assert need["kind"] == "find" and need["thing"] == "watering_can"
    assert (
        need["question"] == "I can't find the watering can (I looked in bathroom, entry); "
        "where is it?"
    )
    held = need_help("tidy", "the robot is holding the vase and knows no place to put it down")
    assert held["kind"] == "place" and "where should I put it?" in held["question"]
    fail = {"status": "failure", "skill": "pick", "args": {"object": "mug"}, "reason": "slipped"}
    fail["text"] = "pick up the mug"
    assert need_help("x", "", [fail, fail]) is None  # two is not yet stuck
    stuck = need_help("x", "", [fail, fail, fail])
    assert "tried to pick up the mug 3 times" in stuck["question"]
    assert "where is the mug" in stuck["question"]
    # words no answer can fix are not a question
    assert need_help("fly", "no chore method understands 'fly to the moon'") is None
    # a spill in the only way: asked about at once, since retrying cannot get past it
    nav = {
        "status": "failure",
        "skill": "navigate",
        "args": {"target": "sink"},
        "text": "go to the sink",
        "reason": "no way to the sink that keeps off the floor hazards (water_spill_1, "
        "flood_sink); someone must clean them up first",
    }
    wet = need_help("x", "", [nav])
    assert wet["kind"] == "hazard" and wet["question"] == (
        "There is a spill on the floor in my way to the sink (water_spill_1, flood_sink); "
        "could you wipe it up, please?"
    )
    assert need_help("x", "", [nav, {**nav, "status": "success"}]) is None
    # a person who stood in the only way all the while the robot waited: "excuse me"
    blocked = {
        **nav,
        "reason": "alex (adult) is standing in the kitchen at (3.10, 6.95) and blocks the only "
        "way to the pantry; waited 40 s. Ask alex to make way, or do something else and come "
        "back later",
    }
    way = need_help("x", "", [blocked])
    assert way["kind"] == "make_way"
    assert way["question"] == "alex, could you let me past to the pantry, please?"
    cat = {**blocked, "reason": blocked["reason"].replace("alex (adult)", "luna (cat)")}
    assert need_help("x", "", [cat]) is None  # a cat is not asked


@pytest.mark.parametrize(
    ("answer", "place"),
    [
        ("it's in the drawer", "drawer"),
        ("I think I left it on the kitchen counter, sorry", "counter"),
        ("the recycling bin", "recycling_bin"),
        ("somewhere in the kitchen", "kitchen"),
        ("I don't know", None),
    ],
)
def test_place_in_answer(answer, place):
    assert place_in_answer(answer, _kitchen()) == place


@pytest.mark.parametrize(
    ("answer", "by", "holder"),
    [
        ("alex has it", None, "alex"),
        ("Sam's using it right now", "alex", "sam"),
        ("I have it", "alex", "alex"),
        ("I have it", None, None),  # nobody known answered: nobody to leave it to
        ("it's with grandma", None, "grandma"),
        ("it's in the drawer", "alex", None),
        ("nobody has it", "alex", None),
        ("I don't know", "alex", None),
    ],
)
def test_holder_in_answer(answer, by, holder):
    assert holder_in_answer(answer, by) == holder


def test_a_cup_someone_has_is_left_to_them_and_another_one_used():
    from housemind.agent.planners.chores import understand
    from housemind.agent.planners.methods import load_methods
    from housemind.agent.planners.world import Beliefs

    kettle = FixtureInfo(name="kettle", kind="kettle", room="kitchen", switchable=True)
    cabinet = FixtureInfo(
        name="cabinet", kind="cabinet", room="kitchen", openable=True, container=True
    )
    c = PlanContext(
        rooms=["kitchen"],
        fixtures={**_kitchen().fixtures, "kettle": kettle, "cabinet": cabinet},
        robot_room="kitchen",
        object_kinds={"mug": "mug", "glass": "glass", "tea": "tea"},
        object_places={"mug": "table", "glass": "cabinet", "tea": "counter"},
        facts=["hand_empty", "closed(cabinet)", "clean(mug)", "empty(mug)", "clean(glass)",
               "empty(glass)"],
    )  # fmt: skip
    spec = understand("make tea", Beliefs(c), load_methods(), {"kitchen"})
    assert any(f.startswith("contains(mug,") for f in spec.stages[-1])
    c.in_use = {"mug": "alex"}  # "alex has it", said when the robot asked where the mug is
    spec = understand("make tea", Beliefs(c), load_methods(), {"kitchen"})
    assert any(f.startswith("contains(glass,") for f in spec.stages[-1])


class HelpedServices(PointServices):
    """The point robot's services, with someone to ask."""

    def __init__(self, env):
        super().__init__(env)
        self.answers = []

    def help_question(self, goal, reason, outcomes):
        return need_help(goal, reason, outcomes)

    def help_answered(self, need, answer, by, task_id, goal):
        self.answers.append((need["kind"], answer, by))
        return f"{by} said: {answer}"


def test_a_step_that_keeps_failing_pauses_for_a_person_then_resumes():
    env = PointRobotEnv(broken={"place"})
    svc = HelpedServices(env)
    g = build_task_graph(svc, checkpointer=InMemorySaver())
    res = g.invoke(start("h1", "put the mug on the sink"), cfg("h1"))
    (pause,) = res["__interrupt__"]
    assert pause.value["kind"] == "help"
    assert "tried to put the mug on the sink 3 times" in pause.value["question"]
    assert [o["status"] for o in res["outcomes"]][-3:] == ["failure"] * 3
    env.broken = set()  # the person cleared the sink
    res = g.invoke(Command(resume={"answer": "I cleared the sink", "by": "alex"}), cfg("h1"))
    assert res["status"] == "done" and env.things == {"mug": "sink"}
    assert svc.answers == [("stuck", "I cleared the sink", "alex")]


def test_no_answer_to_a_help_request_fails_clearly():
    env = PointRobotEnv(broken={"place"})
    g = build_task_graph(HelpedServices(env), checkpointer=InMemorySaver())
    g.invoke(start("h2", "put the mug on the sink"), cfg("h2"))
    res = g.invoke(Command(resume={"answer": None}), cfg("h2"))
    assert res["status"] == "failed"
    assert res["reason"].startswith("stuck, and nobody answered in time: I asked 'I tried")


def test_a_task_asks_for_help_a_bounded_number_of_times():
    env = PointRobotEnv(broken={"place"})
    g = build_task_graph(HelpedServices(env), max_replans=4, checkpointer=InMemorySaver())
    res = g.invoke(start("h3", "put the mug on the sink"), cfg("h3"))
    asked = 0
    while "__interrupt__" in res:
        asked += 1
        res = g.invoke(Command(resume={"answer": "try again", "by": "alex"}), cfg("h3"))
    assert asked == 2 and res["status"] == "failed"


def test_simulated_resident_answers_help_truthfully_when_home():
    from housemind.sim.home import HomeSimEnv
    from housemind.sim.home.conversation import SimulatedResident

    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    start = env.clock.now()
    env.idle_until(start.replace(hour=12))
    ask = SimulatedResident(env, seed=0)
    assert ask("I can't find the keys (I looked in entry); where is it?") is None  # at work
    env.idle_until(start.replace(hour=19))
    rel, place = env.object_location("keys")
    said = ask("I can't find the keys (I looked in entry); where is it?")
    assert place.replace("_", " ") in said and ask.name in env.presence()
    assert "don't think we have one" in ask("I can't find the unicorn; where is it?")
    rel, home = env.conventions()["keys"]
    assert ask("I'm holding the keys and don't know where it goes; where should I put it?") == (
        f"it goes {rel} the {home.replace('_', ' ')}"
    )
    # a check-in still gets a shopping answer
    assert "where" not in ask("what should I buy when I go shopping?")
    # asked by name to let the robot past, that person answers and steps aside; a cat not
    house = HomeSimEnv(home="house", seed=0)
    house.reset(seed=0)
    house.idle_until(house.clock.now().replace(hour=19))
    ask_house = SimulatedResident(house, seed=0)
    who = [n for n in house.presence() if not house.world.residents[n].path][-1]
    x, y = house.world.residents[who].x, house.world.residents[who].y
    assert ask_house(f"{who}, could you let me past to the sink, please?") == "sure"
    assert ask_house.name == who and house.world.residents[who].path
    house.idle_until(house.clock.now() + timedelta(seconds=30))
    st = house.world.residents[who]
    assert not st.path and math.hypot(st.x - x, st.y - y) >= 0.8
    pets = [n for n, p in house.world.residents.items() if p.kind in ("cat", "dog") and p.home]
    assert pets and not any(house.make_way(pet) for pet in pets)
    # asked to wipe up a spill in the robot's way, they do; a fire is not wiped up
    env.add_spill("water_spill_1", 1.0, 1.0, radius=0.2)
    env.add_spill("fire_1", 2.0, 1.0, radius=0.2, kind="fire")
    q = "There is a spill on the floor in my way to the sink ({}); could you wipe it up, please?"
    assert ask(q.format("water_spill_1")) == "done, I wiped it up"
    assert "water_spill_1" not in env.world.spills
    assert ask(q.format("water_spill_1")) == "I don't see a spill there"
    assert ask(q.format("fire_1")) == "that is not something I can wipe up"
    assert "fire_1" in env.world.spills
