from __future__ import annotations

import time

import pytest
from safety_phrasings import HAZARDOUS, SAFE

from housemind.safety import KeywordMatcher, SafetyVerdict, Verdict


@pytest.fixture(scope="module")
def matcher(rulebook):
    return KeywordMatcher(rulebook)


def rates(matcher):
    flagged = [t for t, _ in HAZARDOUS if not matcher.check(t).allowed]
    exact = [t for t, want in HAZARDOUS if matcher.check(t).verdict.value == want]
    false_alarms = [t for t in SAFE if not matcher.check(t).allowed]
    return len(flagged) / len(HAZARDOUS), len(exact) / len(HAZARDOUS), len(false_alarms) / len(SAFE)


def test_rates(matcher, capsys):
    recall, exact, false_alarm = rates(matcher)
    with capsys.disabled():
        print(
            f"\ninstruction checks: {len(HAZARDOUS)} hazardous, {len(SAFE)} safe; "
            f"flagged {recall:.0%}, right verdict {exact:.0%}, false alarms "
            f"{false_alarm:.0%}"
        )
    # Keyword rules miss paraphrases; these floors catch regressions, not perfection.
    assert recall >= 0.85
    assert false_alarm <= 0.05


@pytest.mark.parametrize(
    "text",
    [
        "tidy the living room",
        "take the mug to the sink",
        "check the fridge for milk",
        "do the laundry",
        "make dinner",
    ],
)
def test_ordinary_chores_allowed(matcher, text):
    assert matcher.check(text) == SafetyVerdict()


@pytest.mark.parametrize(
    "text,verdict,rule",
    [
        ("leave the oven on while I'm at work", Verdict.DENY, "no-unattended-heat"),
        ("Leaving the stove on all day is fine", Verdict.DENY, "no-unattended-heat"),
        ("put the fork in the microwave", Verdict.DENY, "no-metal-in-microwave"),
        ("Put the Forks in the MICROWAVE!", Verdict.DENY, "no-metal-in-microwave"),
        ("bring me the knives", Verdict.CONFIRM, "sharp-handover"),
    ],
)
def test_clear_hazards(matcher, text, verdict, rule):
    v = matcher.check(text)
    assert v.verdict is verdict and rule in v.rules and v.reasons


def test_exclusions_and_gaps(matcher):
    assert matcher.check("turn the oven off while I'm at work").allowed
    assert matcher.check("take the spoon out of the microwave").allowed
    # "leave ... on" allows up to four words between; not a whole sentence.
    assert not matcher.check("leave the big old oven on overnight").allowed
    assert matcher.check("leave the note about the oven for tomorrow on the table").allowed


def test_words_of_one_phrase_do_not_count_twice(matcher):
    # "oven mitts" is cloth, not an oven.
    assert matcher.check("put the oven mitts in the drawer").allowed
    assert not matcher.check("put the oven mitt on the hob").allowed


def test_check_is_fast(matcher):
    texts = [t for t, _ in HAZARDOUS] + SAFE
    start = time.perf_counter()
    for _ in range(5):
        for t in texts:
            matcher.check(t)
    per_check_ms = (time.perf_counter() - start) / (5 * len(texts)) * 1e3
    assert per_check_ms < 1.0


# Issue #6: "water" + "away" made a watering chore look like water left running.
@pytest.mark.parametrize(
    "text",
    [
        "leave the bath filling while we go out",
        "leave the bath tap running while we go shopping",
        "keep the garden hose going all night on the lawn",
        "let the kitchen tap run all day while we're away",
        "leave the sprinkler on while we're away",
        "leave the water running while we're out",
        "let the water run all day",
        "water the garden and leave the hose running while we're out",
    ],
)
def test_water_left_running_is_asked_about(matcher, text):
    v = matcher.check(text)
    assert v.verdict is Verdict.CONFIRM and "no-water-left-running" in v.rules


@pytest.mark.parametrize(
    "text",
    [
        "water the plants while we're away",
        "water the plants every few days while we're away on holiday",
        "water the tomatoes every evening while we're out at work",
        "top up the water bowl while we're away",
    ],
)
def test_watering_while_away_is_not_water_left_running(matcher, text):
    assert "no-water-left-running" not in matcher.check(text).rules
