"""The person's own paragraph runs for a month in `house` (issue #11's first "Done when").

A simulated month costs about a minute of CPU on a quiet 2-core machine (66.9 s, whole
process, benchmarks/RESULTS.md), more than the default test run should spend on one test:
it is opt-in, ``HOUSEMIND_RUN_MONTH=1 pytest tests/test_household_month.py``, and
``housemind bench month`` measures it.
"""

import os
from datetime import datetime, time

import pytest

from housemind.agent.household_bench import load_paragraphs, run_household

PARAGRAPH = (
    "I like to have dinner made at 6:00 p.m. I wake up and go to work at 7:00 a.m. I like to "
    "do my laundry on Saturday, so make sure that it's ready. By the way, check in with me "
    "every Monday to see what I want you to pick up when you do the shopping."
)


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("HOUSEMIND_RUN_MONTH") != "1",
    reason="a simulated month takes minutes: set HOUSEMIND_RUN_MONTH=1 to run it",
)
def test_the_paragraph_runs_for_a_month_in_house():
    out = run_household(PARAGRAPH, "house", days=30)
    chores = out["chores"]
    dinners = [c for c in chores if c["goal"] == "make dinner"]
    laundry = [c for c in chores if c["goal"] == "do the laundry"]
    checkins = [c for c in chores if c["kind"] == "check_in"]
    assert len(dinners) == 30
    for c in dinners:  # cooked (not "missing: ...") and done by 18:00 that day
        assert c["status"] == "done" and c["on_time"], c
        assert "missing" not in c["reason"] and "no pasta" not in c["reason"], c
        assert datetime.fromisoformat(c["finished_at"]).time() <= time(18, 0), c
    assert len(laundry) >= 4
    assert all(c["status"] == "done" and c["on_time"] for c in laundry), laundry
    assert len(checkins) >= 4
    for c in checkins:  # asked while the owner is home: before 07:00 or in the evening
        asked = datetime.fromisoformat(c["due"]).time()
        assert asked < time(7, 0) or asked >= time(17, 0), c
    assert out["checkins_answered"] == out["checkins_asked"] == len(checkins)
    assert out["items_bought"], "the answered items were delivered and put away"
    assert out["chores_failed"] == 0, [c for c in chores if c["status"] == "failed"]


def test_the_household_paragraphs_are_well_formed():
    rows = load_paragraphs()
    assert len(rows) >= 21
    from housemind.sim.home.plans import plan_names

    assert {r["home"] for r in rows} <= set(plan_names())
    assert PARAGRAPH in {r["text"] for r in rows}
