"""DAgger for the built-in planner: the learner drives, the symbolic planner labels mistakes."""

from __future__ import annotations

import json

from builtin_fakes import HashEmbedder, context

from housemind.agent.planners import Plan, Subtask
from housemind.agent.planners.builtin import rollouts
from housemind.agent.planners.builtin.belief import Belief
from housemind.agent.planners.builtin.candidates import enumerate_candidates
from housemind.agent.planners.builtin.rollouts import EpisodeSpec, dagger_episode
from housemind.skills import REGISTRY


def step(skill: str, **args) -> Subtask:
    return Subtask(skill=skill, args=args)


def plan(*steps: Subtask, complete: bool = True) -> Plan:
    return Plan(goal="g", subtasks=list(steps), complete=complete)


def test_the_teachers_next_step_is_a_candidate_key():
    belief = Belief.from_context(context())
    label = rollouts._next_key
    assert (
        label(plan(step("navigate", target="table"), step("pick", object="mug")), belief)
        == "pick(object=mug)"
    )
    # driving to a room not looked in, more to come: a search
    assert (
        label(plan(step("navigate", target="bedroom"), complete=False), belief)
        == "explore(target=bedroom)"
    )
    assert label(plan(), belief) == "done"
    assert label(plan(step("navigate", target="table")), belief) is None


def test_a_mistake_is_doing_to_a_thing_what_the_teacher_does_not():
    fold = plan(
        step("pick", object="pants"),
        step("fold", object="pants", target="bed"),
        step("pick", object="shirt"),
    )
    mishandles = rollouts._mishandles
    # placed where the teacher folds it
    assert mishandles(plan(step("place", object="pants", relation="on", target="bed")), fold)
    # another order of the teacher's steps is no mistake
    assert not mishandles(plan(step("navigate", target="bed"), step("pick", object="shirt")), fold)
    # a step on something the teacher leaves alone (switching the tap off) is no mistake
    assert not mishandles(plan(step("toggle", target="sink", state="off")), fold)


class StopsAtOnce:
    """A learner that always says the task is done."""

    def replan(self, goal, context, *, done, failed, reason) -> Plan:
        return Plan(goal=goal, subtasks=[], complete=True)


def test_stopping_early_is_labelled_with_the_teachers_steps_until_the_goal(monkeypatch):
    monkeypatch.setitem(rollouts._LEARNERS, "stops", StopsAtOnce())
    records, stats = dagger_episode(EpisodeSpec("turn_off_stove", "studio", 0), "stops")
    assert stats.episodes == 1 and stats.succeeded == 1, stats
    # every decision but the last was the learner stopping while the teacher had steps
    assert records and all(r.label != "done" for r in records)
    assert {r.label for r in records} >= {"toggle(state=off,target=stove)"}
    for r in records:  # each label is one of the planner's own candidates there
        belief = Belief.from_context(r.plan_context(), done=r.done_steps())
        assert r.label in {c.key for c in enumerate_candidates(belief, REGISTRY)}


def test_training_with_dagger_trains_the_learner_first_and_records_both_rounds(tmp_path):
    from housemind.agent.planners.builtin.training import TrainSettings, train_planner

    settings = TrainSettings(
        out=tmp_path / "weights",
        epochs=2,
        homes=("studio",),
        episodes_per_task=1,
        tasks=["turn_off_stove", "close_the_fridge"],
        cache_dir=tmp_path / "cache",
        val_fraction=0.0,
        dagger_episodes=1,
        command="test",
    )
    report = train_planner(settings, embedder=HashEmbedder())
    assert report.dagger_episodes == 2 and report.unusable_decisions == 0
    learners = list((tmp_path / "cache").glob("dagger-learner-*"))
    assert len(learners) == 1 and (learners[0] / "model.safetensors").is_file()
    first = json.loads((learners[0] / "training.json").read_text())
    # the second round learns the experts' decisions and the ones DAgger labelled
    assert first["dagger_episodes"] == 0
    assert report.decisions == first["decisions"] + report.dagger_decisions
    saved = json.loads((tmp_path / "weights" / "training.json").read_text())
    assert saved["dagger_episodes"] == 2
    # cached: the same command again rolls out nothing
    again = train_planner(settings, embedder=HashEmbedder())
    assert again.machine["rollouts_cached"] and again.decisions == report.decisions
