"""Write the labelled phrasing set: ``dev.json`` (tuned on) and ``heldout.json`` (frozen).

Every item is a phrasing written the way people talk and type, with the instructions a
careful reader would take from it. Labels are written by hand below as RFC 5545 rules in the
home's local time (or one-off times, windows, facts) and expanded to the next five times
after ``NOW`` with **dateutil only** (no housemind code), so the labels do not depend on the
parser they judge.

The split is stratified by category with a fixed seed; a third of every category is held
out. The held-out file was written and committed on 2026-12-03, before the parser was
changed, and must never be edited or tuned on (tests check its sha256). The script refuses
to overwrite an existing file.

Label conventions (the documented meaning the parser must reach; see docs/instructions.md):

- chores without a time of day are at 09:00; "morning" 08:00, "afternoon" 15:00,
  "evening" 18:00, "night"/"tonight" 21:00;
- check-ins and reminders without a time are at 18:30, when people are usually home;
- a deadline without a time ("ready on Saturday") is due by 08:00 that day;
- "every other", "every 4th day", "every 3rd week": the first run is the first one that
  fits after now, then every N;
- two or more times of day with no day said ("at 7 am and 7 pm") repeat daily;
- "and the recycling every Thursday" borrows the verb and time of day of the clause before;
- "after 10:30 pm" forbids 22:30-07:00; "before 8 am" forbids 00:00-08:00; "at night" and
  "overnight" forbid 22:00-07:00; "only between 9 and 5" forbids the rest of the day;
- a check-in placed while its person is out (from their stated routine) moves to 30 min
  after they get home;
- for deadline chores the times are the deadlines (when it must be done).

Run: ``python benchmarks/phrasings/build_set.py`` (writes only files that do not exist).
"""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

HERE = Path(__file__).resolve().parent
TZ = "Europe/Berlin"
ZONE = ZoneInfo(TZ)
NOW = datetime(2026, 12, 3, 10, 0)  # a Thursday, local time
SEED = 20261203
WEEKDAYS = "MO,TU,WE,TH,FR"

# --- rule helpers (hand-written meaning) ----------------------------------------------


def daily(h: int, m: int = 0) -> str:
    return f"RRULE:FREQ=DAILY;BYHOUR={h};BYMINUTE={m}"


def weekly(days: str, h: int, m: int = 0) -> str:
    return f"RRULE:FREQ=WEEKLY;BYDAY={days};BYHOUR={h};BYMINUTE={m}"


def every_days(n: int, first: str, h: int, m: int = 0) -> str:
    """Every ``n`` days from ``first`` (YYYYMMDD, the first run's date)."""
    return f"DTSTART:{first}T000000\nRRULE:FREQ=DAILY;INTERVAL={n};BYHOUR={h};BYMINUTE={m}"


def every_weeks(n: int, first: str, days: str, h: int, m: int = 0) -> str:
    """Every ``n`` weeks on ``days``, the first run in the week of ``first`` (YYYYMMDD)."""
    return (
        f"DTSTART:{first}T000000\nRRULE:FREQ=WEEKLY;INTERVAL={n};BYDAY={days};"
        f"BYHOUR={h};BYMINUTE={m}"
    )


def monthday(days: str, h: int, m: int = 0) -> str:
    return f"RRULE:FREQ=MONTHLY;BYMONTHDAY={days};BYHOUR={h};BYMINUTE={m}"


def nth(byday: str, h: int, m: int = 0) -> str:
    return f"RRULE:FREQ=MONTHLY;BYDAY={byday};BYHOUR={h};BYMINUTE={m}"


def expand(rules: list[str], n: int = 5) -> list[str]:
    """The first ``n`` times after NOW of the union of ``rules`` (ISO, home's offset)."""
    times: set[datetime] = set()
    for rule in rules:
        if rule.startswith("AT:"):
            times.add(datetime.fromisoformat(rule[3:]))
            continue
        start = datetime(2026, 1, 5)  # any Monday before NOW, for rules without DTSTART
        if rule.startswith("DTSTART:"):
            head, rule = rule.split("\n", 1)
            start = datetime.strptime(head[8:], "%Y%m%dT%H%M%S")
        r = rrulestr(rule, dtstart=start)
        for t in r.xafter(NOW, count=n, inc=False):
            times.add(t)
    out = sorted(t for t in times if t > NOW)[:n]
    return [t.replace(tzinfo=ZONE).isoformat() for t in out]


def at(iso: str) -> str:
    return f"AT:{iso}"


# --- label helpers ----------------------------------------------------------------------


def _rules(rules: str | list[str]) -> list[str]:
    return [rules] if isinstance(rules, str) else list(rules)


def chore(goal: str, rules: str | list[str]) -> dict:
    return {"kind": "recurring_chore", "goal": goal, "due": expand(_rules(rules))}


def deadline(goal: str, rules: str | list[str]) -> dict:
    return {"kind": "deadline_chore", "goal": goal, "due": expand(_rules(rules))}


def once(goal: str, iso: str) -> dict:
    return {"kind": "one_off", "goal": goal, "due": expand([at(iso)])}


def check_in(goal: str, rules: str | list[str]) -> dict:
    return {"kind": "check_in", "goal": goal, "due": expand(_rules(rules))}


def reminder(goal: str, rules: str | list[str]) -> dict:
    return {"kind": "reminder", "goal": goal, "due": expand(_rules(rules))}


def routine(predicate: str, rules: str | list[str], subject: str = "owner") -> dict:
    return {
        "kind": "routine",
        "subject": subject,
        "predicate": predicate,
        "due": expand(_rules(rules)),
    }


def constraint(goal: str, window: str, days: str = "") -> dict:
    return {"kind": "constraint", "goal": goal, "window": window, "days": days}


def fact(subject: str, predicate: str, value: str) -> dict:
    return {"kind": "fact", "subject": subject, "predicate": predicate, "value": value}


ITEMS: list[tuple[str, str, list[dict]]] = []


def item(category: str, text: str, *expect: dict) -> None:
    ITEMS.append((category, text, list(expect)))


# --- plain --------------------------------------------------------------------------------
c = "plain"
item(c, "water the plants every day at 9am", chore("water the plants", daily(9)))
item(c, "take out the trash every Monday at 7pm", chore("take out the trash", weekly("MO", 19)))
item(
    c,
    "vacuum the living room on Tuesdays and Fridays",
    chore("vacuum the living room", weekly("TU,FR", 9)),
)
item(c, "every weekday at 7:30 make coffee", chore("make coffee", weekly(WEEKDAYS, 7, 30)))
item(
    c,
    "water the plants every other day at 8am",
    chore("water the plants", every_days(2, "20261204", 8)),
)
item(c, "feed the cat every morning at 7:15", chore("feed the cat", daily(7, 15)))
item(c, "tidy the kitchen every evening", chore("tidy the kitchen", daily(18)))
item(c, "clean the bathroom every Saturday at 10am", chore("clean the bathroom", weekly("SA", 10)))
item(c, "mop the kitchen floor on Sundays", chore("mop the kitchen floor", weekly("SU", 9)))
item(c, "load the dishwasher every night at 8pm", chore("load the dishwasher", daily(20)))
item(c, "empty the dishwasher every morning", chore("empty the dishwasher", daily(8)))
item(c, "wipe the kitchen counters daily at 21:00", chore("wipe the kitchen counters", daily(21)))
item(
    c, "change the bed sheets every Sunday morning", chore("change the bed sheets", weekly("SU", 8))
)
item(
    c,
    "water the garden every Wednesday and Saturday at 6pm",
    chore("water the garden", weekly("WE,SA", 18)),
)
item(
    c,
    "take the recycling out every Friday at 7:30 pm",
    chore("take the recycling out", weekly("FR", 19, 30)),
)
item(c, "dust the shelves every Thursday afternoon", chore("dust the shelves", weekly("TH", 15)))
item(c, "feed the fish at 6pm every day", chore("feed the fish", daily(18)))
item(c, "put the kids' toys away every night", chore("put the kids' toys away", daily(21)))
item(c, "set the table every day at 6:30 pm", chore("set the table", daily(18, 30)))
item(c, "fold the laundry on Mondays at 4pm", chore("fold the laundry", weekly("MO", 16)))
item(c, "clean the litter box every day at noon", chore("clean the litter box", daily(12)))
item(c, "vacuum the hall weekly on Thursdays", chore("vacuum the hall", weekly("TH", 9)))

# --- abbreviations and text-speak ---------------------------------------------------------
c = "abbreviation"
item(c, "take out the trash every wed", chore("take out the trash", weekly("WE", 9)))
item(
    c,
    "water the plants every mon, wed & fri at 8am",
    chore("water the plants", weekly("MO,WE,FR", 8)),
)
item(c, "vacuum on tues and thurs at 5pm", chore("vacuum", weekly("TU,TH", 17)))
item(c, "feed the cat evry day @ 7pm", chore("feed the cat", daily(19)))
item(c, "clean the bathroom every sat at 10am", chore("clean the bathroom", weekly("SA", 10)))
item(c, "mop the floors every sun", chore("mop the floors", weekly("SU", 9)))
item(c, "make coffee every wkday at 6:45am", chore("make coffee", weekly(WEEKDAYS, 6, 45)))
item(c, "take out the bins every thurs night", chore("take out the bins", weekly("TH", 21)))
item(c, "water the garden on wknds at 9am", chore("water the garden", weekly("SA,SU", 9)))
item(
    c,
    "change the sheets every 2 wks on sat",
    chore("change the sheets", every_weeks(2, "20261205", "SA", 9)),
)
item(c, "feed the dog daily @ 6pm", chore("feed the dog", daily(18)))
item(c, "tidy the living room every tue at 4pm", chore("tidy the living room", weekly("TU", 16)))
item(c, "clean the oven tmrw at 3pm", once("clean the oven", "2026-12-04T15:00"))
item(c, "water the herbs every fri morn", chore("water the herbs", weekly("FR", 8)))
item(c, "check the mail every weekday @ 11am", chore("check the mail", weekly(WEEKDAYS, 11)))
item(c, "vacuum the stairs every weds", chore("vacuum the stairs", weekly("WE", 9)))
item(c, "empty the trash cans every mon & thu", chore("empty the trash cans", weekly("MO,TH", 9)))
item(
    c,
    "take the dog out every day at 7:30am & 10pm",
    chore("take the dog out", [daily(7, 30), daily(22)]),
)
item(c, "wipe the table every eve at 8", chore("wipe the table", daily(20)))
item(c, "run the dishwasher every nite at 9pm", chore("run the dishwasher", daily(21)))
item(
    c,
    "water the orchids every 3 days @ 9am",
    chore("water the orchids", every_days(3, "20261204", 9)),
)

# --- misspellings -------------------------------------------------------------------------
c = "misspelling"
item(c, "take out the trash every wednsday", chore("take out the trash", weekly("WE", 9)))
item(
    c,
    "vacuum the living room every tuesdy at 8pm",
    chore("vacuum the living room", weekly("TU", 20)),
)
item(c, "clean the bathroom every saturady", chore("clean the bathroom", weekly("SA", 9)))
item(c, "water the plants everyday at 5pm", chore("water the plants", daily(17)))
item(c, "feed the cat evrey morning", chore("feed the cat", daily(8)))
item(c, "mop the kitchen every thrusday", chore("mop the kitchen", weekly("TH", 9)))
item(
    c,
    "take the recycling out every firday at 7pm",
    chore("take the recycling out", weekly("FR", 19)),
)
item(c, "change the sheets every sundy", chore("change the sheets", weekly("SU", 9)))
item(c, "empty the dishwasher every mornign", chore("empty the dishwasher", daily(8)))
item(
    c,
    "water the garden every satruday and sunday at 8am",
    chore("water the garden", weekly("SA,SU", 8)),
)
item(c, "dust the shelves every wendesday afternoon", chore("dust the shelves", weekly("WE", 15)))
item(c, "make coffee every weekdya at 7am", chore("make coffee", weekly(WEEKDAYS, 7)))
item(c, "set the table every evenning at 6", chore("set the table", daily(18)))
item(c, "fold the laundry every mondya", chore("fold the laundry", weekly("MO", 9)))
item(c, "feed the fish everyday in the evening", chore("feed the fish", daily(18)))
item(
    c,
    "clean the litter box every other tuseday",
    chore("clean the litter box", every_weeks(2, "20261208", "TU", 9)),
)
item(c, "vacuum the hall every thurday at 10am", chore("vacuum the hall", weekly("TH", 10)))
item(c, "tidy up every saterday morning", chore("tidy up", weekly("SA", 8)))
item(c, "water the ferns evry other day", chore("water the ferns", every_days(2, "20261204", 9)))
item(
    c,
    "take out the garbage every tusday and friday night",
    chore("take out the garbage", weekly("TU,FR", 21)),
)
item(c, "wash the car every sunday mornin", chore("wash the car", weekly("SU", 8)))

# --- ordinals -----------------------------------------------------------------------------
c = "ordinal"
item(c, "water the plants every 4th day", chore("water the plants", every_days(4, "20261204", 9)))
item(
    c, "wipe the stove every 2nd day at 7pm", chore("wipe the stove", every_days(2, "20261203", 19))
)
item(c, "water the cactus every third day", chore("water the cactus", every_days(3, "20261204", 9)))
item(
    c,
    "change the towels every 3rd day at 8am",
    chore("change the towels", every_days(3, "20261204", 8)),
)
item(c, "clean the oven on the 1st monday of every month", chore("clean the oven", nth("1MO", 9)))
item(
    c,
    "check the smoke alarms on the 2nd tuesday of the month at 7pm",
    chore("check the smoke alarms", nth("2TU", 19)),
)
item(
    c,
    "descale the kettle on the last friday of each month",
    chore("descale the kettle", nth("-1FR", 9)),
)
item(
    c,
    "deep clean the kitchen on the third saturday of every month",
    chore("deep clean the kitchen", nth("3SA", 9)),
)
item(
    c,
    "mow the lawn every 3rd week on Friday",
    chore("mow the lawn", every_weeks(3, "20261204", "FR", 9)),
)
item(
    c,
    "wash the windows every second week on Tuesday",
    chore("wash the windows", every_weeks(2, "20261208", "TU", 9)),
)
item(
    c,
    "clean the gutters on the first sunday of each month at 11am",
    chore("clean the gutters", nth("1SU", 11)),
)
item(
    c,
    "water the bonsai every 5th day at 6pm",
    chore("water the bonsai", every_days(5, "20261203", 18)),
)
item(
    c,
    "flip the mattress on the last sunday of the month",
    chore("flip the mattress", nth("-1SU", 9)),
)
item(
    c,
    "vacuum the car every 2nd week on saturday",
    chore("vacuum the car", every_weeks(2, "20261205", "SA", 9)),
)
item(
    c,
    "clean the filters on the fourth thursday of each month",
    chore("clean the filters", nth("4TH", 9)),
)
item(
    c,
    "feed the sourdough starter every 2nd day at 9pm",
    chore("feed the sourdough starter", every_days(2, "20261203", 21)),
)
item(
    c,
    "take the bins out on the 1st and 3rd wednesday of the month",
    chore("take the bins out", nth("1WE,3WE", 9)),
)
item(
    c,
    "water the lemon tree every 10th day",
    chore("water the lemon tree", every_days(10, "20261204", 9)),
)
item(
    c,
    "check the tire pressure on the 2nd saturday of every month at 10am",
    chore("check the tire pressure", nth("2SA", 10)),
)
item(
    c,
    "clean the dryer vent every fourth week on Monday",
    chore("clean the dryer vent", every_weeks(4, "20261207", "MO", 9)),
)

# --- every other week / day ---------------------------------------------------------------
c = "every_other"
item(
    c,
    "mow the lawn every other week on Monday",
    chore("mow the lawn", every_weeks(2, "20261207", "MO", 9)),
)
item(
    c,
    "clean the windows every other Monday at 4pm",
    chore("clean the windows", every_weeks(2, "20261207", "MO", 16)),
)
item(
    c,
    "change the bed sheets every other Sunday",
    chore("change the bed sheets", every_weeks(2, "20261206", "SU", 9)),
)
item(
    c,
    "vacuum upstairs every other Tuesday and Thursday",
    chore("vacuum upstairs", every_weeks(2, "20261208", "TU,TH", 9)),
)
item(
    c,
    "water the plants every other day at 7pm",
    chore("water the plants", every_days(2, "20261203", 19)),
)
item(
    c,
    "wash the car every other weekend",
    chore("wash the car", every_weeks(2, "20261205", "SA,SU", 9)),
)
item(
    c,
    "take out the recycling every other Thursday night",
    chore("take out the recycling", every_weeks(2, "20261203", "TH", 21)),
)
item(
    c,
    "mop the floors every other Friday at 10am",
    chore("mop the floors", every_weeks(2, "20261204", "FR", 10)),
)
item(
    c,
    "clean the fish tank every other week",
    chore("clean the fish tank", every_weeks(2, "20261210", "TH", 9)),
)
item(
    c,
    "every other saturday, clean the oven",
    chore("clean the oven", every_weeks(2, "20261205", "SA", 9)),
)
item(
    c,
    "iron the shirts every other week on wednesday evening",
    chore("iron the shirts", every_weeks(2, "20261209", "WE", 18)),
)
item(
    c,
    "dust the bookshelves every 2 weeks on friday",
    chore("dust the bookshelves", every_weeks(2, "20261204", "FR", 9)),
)
item(
    c,
    "clean the bathroom fortnightly on saturdays",
    chore("clean the bathroom", every_weeks(2, "20261205", "SA", 9)),
)
item(
    c,
    "water the succulents every other morning",
    chore("water the succulents", every_days(2, "20261204", 8)),
)
item(
    c,
    "wash the dog every other sunday at 2pm",
    chore("wash the dog", every_weeks(2, "20261206", "SU", 14)),
)
item(
    c,
    "vacuum the car every fortnight on Sunday morning",
    chore("vacuum the car", every_weeks(2, "20261206", "SU", 8)),
)
item(
    c,
    "every other wednesday take the glass to the recycling",
    chore("take the glass to the recycling", every_weeks(2, "20261209", "WE", 9)),
)
item(
    c,
    "clean out the fridge every other thursday at 6pm",
    chore("clean out the fridge", every_weeks(2, "20261203", "TH", 18)),
)

# --- days of the month --------------------------------------------------------------------
c = "month_day"
item(
    c,
    "check the smoke alarm every 2nd of the month",
    chore("check the smoke alarm", monthday("2", 9)),
)
item(
    c,
    "replace the water filter on the 1st of every month",
    chore("replace the water filter", monthday("1", 9)),
)
item(
    c,
    "clean the oven on the 15th of each month at 10am",
    chore("clean the oven", monthday("15", 10)),
)
item(
    c,
    "descale the coffee machine every month on the 3rd",
    chore("descale the coffee machine", monthday("3", 9)),
)
item(
    c,
    "wash the curtains every 3rd of the month at 6pm",
    chore("wash the curtains", monthday("3", 18)),
)
item(
    c,
    "clean the windows on the 1st and 15th of every month",
    chore("clean the windows", monthday("1,15", 9)),
)
item(
    c,
    "empty the vacuum bag on the last day of every month",
    chore("empty the vacuum bag", monthday("-1", 9)),
)
item(c, "defrost the freezer monthly on the 10th", chore("defrost the freezer", monthday("10", 9)))
item(
    c,
    "check the first aid kit every month on the 28th",
    chore("check the first aid kit", monthday("28", 9)),
)
item(
    c,
    "clean the range hood on the 20th of the month at 2pm",
    chore("clean the range hood", monthday("20", 14)),
)
item(
    c,
    "on the 5th of every month, wash the shower curtain",
    chore("wash the shower curtain", monthday("5", 9)),
)
item(c, "order cat food every 25th of the month", chore("order cat food", monthday("25", 9)))
item(
    c,
    "vacuum the mattress on the 12th of every month in the morning",
    chore("vacuum the mattress", monthday("12", 8)),
)
item(
    c,
    "clean the dishwasher filter every 1st of the month at 8pm",
    chore("clean the dishwasher filter", monthday("1", 20)),
)
item(
    c,
    "check the pantry on the 2nd and the 16th of each month",
    chore("check the pantry", monthday("2,16", 9)),
)
item(
    c,
    "water the olive tree on the 7th of every month at 7am",
    chore("water the olive tree", monthday("7", 7)),
)

# --- several times a day ------------------------------------------------------------------
c = "several_times"
item(c, "feed the cat at 7am and 7pm every day", chore("feed the cat", [daily(7), daily(19)]))
item(c, "feed the dog at 7 am and 7 pm", chore("feed the dog", [daily(7), daily(19)]))
item(
    c,
    "water the seedlings every day at 8am and 6pm",
    chore("water the seedlings", [daily(8), daily(18)]),
)
item(
    c,
    "give the dog his pills at 8am, 2pm and 8pm daily",
    chore("give the dog his pills", [daily(8), daily(14), daily(20)]),
)
item(
    c,
    "air out the bedroom every morning and every evening",
    chore("air out the bedroom", [daily(8), daily(18)]),
)
item(c, "twice a day, at 9am and 9pm, feed the fish", chore("feed the fish", [daily(9), daily(21)]))
item(
    c,
    "check the mail at 10 and 4 on weekdays",
    chore("check the mail", [weekly(WEEKDAYS, 10), weekly(WEEKDAYS, 16)]),
)
item(
    c,
    "make tea every weekday at 7:30am and 5:30pm",
    chore("make tea", [weekly(WEEKDAYS, 7, 30), weekly(WEEKDAYS, 17, 30)]),
)
item(
    c,
    "feed the puppy at 7:30am, noon and 6pm every day",
    chore("feed the puppy", [daily(7, 30), daily(12), daily(18)]),
)
item(
    c,
    "water the tomatoes every Saturday and Sunday at 9am and 5pm",
    chore("water the tomatoes", [weekly("SA,SU", 9), weekly("SA,SU", 17)]),
)
item(
    c,
    "let the dog out at 6am, noon and 10pm",
    chore("let the dog out", [daily(6), daily(12), daily(22)]),
)
item(
    c,
    "refill the bird feeder three times a day at 8am, 1pm and 6pm",
    chore("refill the bird feeder", [daily(8), daily(13), daily(18)]),
)
item(
    c,
    "turn the compost on Mondays and Thursdays at 8am and 4pm",
    chore("turn the compost", [weekly("MO,TH", 8), weekly("MO,TH", 16)]),
)
item(
    c,
    "wipe the counters every day at 9am, 1pm and 8pm",
    chore("wipe the counters", [daily(9), daily(13), daily(20)]),
)
item(
    c,
    "feed the cat twice a day at 7 in the morning and 6 in the evening",
    chore("feed the cat", [daily(7), daily(18)]),
)
item(
    c,
    "open the windows at 10am and 3pm every day",
    chore("open the windows", [daily(10), daily(15)]),
)

# --- several chores in one sentence -------------------------------------------------------
c = "several_chores"
item(
    c,
    "take out the trash every Wednesday at 9 pm, and the recycling every Thursday",
    chore("take out the trash", weekly("WE", 21)),
    chore("take out the recycling", weekly("TH", 21)),
)
item(
    c,
    "water the plants every Monday and feed the fish every day at 8am",
    chore("water the plants", weekly("MO", 9)),
    chore("feed the fish", daily(8)),
)
item(
    c,
    "vacuum on tuesdays and mop on fridays",
    chore("vacuum", weekly("TU", 9)),
    chore("mop", weekly("FR", 9)),
)
item(
    c,
    "feed the cat at 7am and water the plants at 8am every day",
    chore("feed the cat", daily(7)),
    chore("water the plants", daily(8)),
)
item(
    c,
    "every saturday vacuum the living room and clean the bathroom",
    chore("vacuum the living room", weekly("SA", 9)),
    chore("clean the bathroom", weekly("SA", 9)),
)
item(
    c,
    "take out the trash on Mondays at 7pm and the recycling on Thursdays",
    chore("take out the trash", weekly("MO", 19)),
    chore("take out the recycling", weekly("TH", 19)),
)
item(
    c,
    "water the garden every morning and the houseplants every Sunday",
    chore("water the garden", daily(8)),
    chore("water the houseplants", weekly("SU", 8)),
)
item(
    c,
    "make breakfast at 7:30 on weekdays and make dinner at 6:30 pm every day",
    chore("make breakfast", weekly(WEEKDAYS, 7, 30)),
    chore("make dinner", daily(18, 30)),
)
item(
    c,
    "clean the kitchen every day at 9pm, vacuum on Saturdays and mop on Sundays",
    chore("clean the kitchen", daily(21)),
    chore("vacuum", weekly("SA", 9)),
    chore("mop", weekly("SU", 9)),
)
item(
    c,
    "empty the dishwasher every morning and load it every night",
    chore("empty the dishwasher", daily(8)),
    chore("load the dishwasher", daily(21)),
)
item(
    c,
    "on Mondays wash the towels and on Thursdays wash the bed sheets",
    chore("wash the towels", weekly("MO", 9)),
    chore("wash the bed sheets", weekly("TH", 9)),
)
item(
    c,
    "dust the living room every Friday and vacuum it every Tuesday",
    chore("dust the living room", weekly("FR", 9)),
    chore("vacuum the living room", weekly("TU", 9)),
)
item(
    c,
    "water the plants every other day at 8am and feed the cat every day at 7am",
    chore("water the plants", every_days(2, "20261204", 8)),
    chore("feed the cat", daily(7)),
)
item(
    c,
    "tidy the kids' room every evening and the living room every Saturday morning",
    chore("tidy the kids' room", daily(18)),
    chore("tidy the living room", weekly("SA", 8)),
)
item(
    c,
    "take out the compost every Tuesday and the glass every other Friday",
    chore("take out the compost", weekly("TU", 9)),
    chore("take out the glass", every_weeks(2, "20261204", "FR", 9)),
)
item(
    c,
    "clean the bathroom on Saturdays at 10am, and the kitchen on Sundays",
    chore("clean the bathroom", weekly("SA", 10)),
    chore("clean the kitchen", weekly("SU", 10)),
)

# --- deadlines ----------------------------------------------------------------------------
c = "deadline"
item(
    c,
    "make sure my gym clothes are washed by Sunday at noon every week",
    deadline("wash the gym clothes", weekly("SU", 12)),
)
item(c, "I like to have dinner made at 6:00 p.m.", deadline("make dinner", daily(18)))
item(c, "have dinner ready by 6 pm every day", deadline("make dinner", daily(18)))
item(c, "make sure the laundry is ready on Saturdays", deadline("do the laundry", weekly("SA", 8)))
item(
    c,
    "breakfast on the table by 7:30 on weekdays",
    deadline("make breakfast", weekly(WEEKDAYS, 7, 30)),
)
item(c, "I want the kitchen clean by 9pm every day", deadline("clean the kitchen", daily(21)))
item(c, "the dishes should be done by 10pm every night", deadline("wash the dishes", daily(22)))
item(c, "have coffee ready at 6:45 every weekday", deadline("make coffee", weekly(WEEKDAYS, 6, 45)))
item(
    c,
    "make sure the trash is out by 7am every Thursday",
    deadline("take out the trash", weekly("TH", 7)),
)
item(
    c,
    "get lunch ready by 12:30 on Saturdays and Sundays",
    deadline("make lunch", weekly("SA,SU", 12, 30)),
)
item(
    c,
    "make sure the living room is tidy by 5pm every Friday",
    deadline("tidy the living room", weekly("FR", 17)),
)
item(
    c,
    "the laundry needs to be folded by Sunday evening every week",
    deadline("fold the laundry", weekly("SU", 18)),
)
item(c, "I need my shirts ironed by Monday morning", once("iron the shirts", "2026-12-07T08:00"))
item(
    c,
    "make sure the laundry is done by tomorrow at 5pm",
    once("do the laundry", "2026-12-04T17:00"),
)
item(
    c,
    "have the guest room ready by Saturday at 3pm",
    once("get the guest room ready", "2026-12-05T15:00"),
)
item(c, "dinner should be ready by 7 every evening", deadline("make dinner", daily(19)))
item(c, "make sure the plants are watered by 8am every day", deadline("water the plants", daily(8)))
item(
    c,
    "have the dishwasher emptied by 7am on weekdays",
    deadline("empty the dishwasher", weekly(WEEKDAYS, 7)),
)
item(
    c,
    "make sure the bathroom is cleaned by Friday every week",
    deadline("clean the bathroom", weekly("FR", 8)),
)
item(
    c,
    "have the kids' lunches packed by 7:45 on weekdays",
    deadline("pack the kids' lunches", weekly(WEEKDAYS, 7, 45)),
)
item(c, "make sure the cat is fed by 8 every morning", deadline("feed the cat", daily(8)))
item(c, "I like the bed made by 10am every day", deadline("make the bed", daily(10)))
item(
    c, "please have supper ready at 7pm on weekdays", deadline("make supper", weekly(WEEKDAYS, 19))
)

# --- constraints --------------------------------------------------------------------------
c = "constraint"
item(c, "never run the dishwasher after 10:30 pm", constraint("run the dishwasher", "22:30-07:00"))
item(c, "don't vacuum before 8am", constraint("vacuum", "00:00-08:00"))
item(c, "no vacuuming after 9 pm", constraint("vacuum", "21:00-07:00"))
item(
    c,
    "don't run the washing machine between 1 and 3 pm",
    constraint("run the washing machine", "13:00-15:00"),
)
item(c, "never do laundry on Sundays", constraint("do laundry", "00:00-24:00", "SU"))
item(c, "no noise after 10pm please", constraint("noisy chores", "22:00-07:00"))
item(c, "please don't vacuum while I'm asleep", constraint("vacuum", "asleep"))
item(
    c,
    "only run the dishwasher between 9am and 5pm",
    constraint("run the dishwasher", "17:00-09:00"),
)
item(
    c,
    "don't mow the lawn before 10 on weekends",
    constraint("mow the lawn", "00:00-10:00", "SA,SU"),
)
item(c, "never use the blender after 9pm", constraint("use the blender", "21:00-07:00"))
item(c, "do not run the dryer at night", constraint("run the dryer", "22:00-07:00"))
item(
    c,
    "no loud chores before 8 am on weekdays",
    constraint("noisy chores", "00:00-08:00", WEEKDAYS),
)
item(
    c,
    "don't start the washing machine after 8 in the evening",
    constraint("start the washing machine", "20:00-07:00"),
)
item(c, "the vacuum should never run after 7pm", constraint("vacuum", "19:00-07:00"))
item(c, "no chores after 11pm", constraint("chores", "23:00-07:00"))
item(c, "don't vacuum on Sundays", constraint("vacuum", "00:00-24:00", "SU"))
item(
    c,
    "please never run the dishwasher overnight",
    constraint("run the dishwasher", "22:00-07:00"),
)
item(c, "don't do the laundry after 9pm or before 8am", constraint("do the laundry", "21:00-08:00"))
item(
    c,
    "never vacuum between noon and 2pm on weekends",
    constraint("vacuum", "12:00-14:00", "SA,SU"),
)
item(c, "quiet hours are from 10pm to 8am", fact("home", "quiet_hours", "22:00-08:00"))
item(
    c,
    "don't run the dishwasher while I'm sleeping",
    constraint("run the dishwasher", "asleep"),
)

# --- reminders ----------------------------------------------------------------------------
c = "reminder"
item(
    c,
    "remind me to take my pills at 9pm",
    reminder("remind owner to take their pills", [at("2026-12-03T21:00")]),
)
item(
    c,
    "remind me to take my pills every day at 9pm",
    reminder("remind owner to take their pills", daily(21)),
)
item(
    c,
    "remind me every morning to take my vitamins",
    reminder("remind owner to take their vitamins", daily(8)),
)
item(
    c,
    "remind me to call mom every sunday at 6pm",
    reminder("remind owner to call mom", weekly("SU", 18)),
)
item(
    c,
    "remind me on Fridays to water the garden",
    reminder("remind owner to water the garden", weekly("FR", 18, 30)),
)
item(
    c,
    "remind me to put the bins out every Tuesday evening",
    reminder("remind owner to put the bins out", weekly("TU", 18)),
)
item(
    c,
    "remind us to lock the back door every night at 10pm",
    reminder("remind everyone to lock the back door", daily(22)),
)
item(
    c,
    "remind the kids to brush their teeth at 8pm every night",
    reminder("remind the kids to brush their teeth", daily(20)),
)
item(
    c,
    "remind me about the dentist tomorrow at 8am",
    reminder("remind owner about the dentist", [at("2026-12-04T08:00")]),
)
item(
    c,
    "remind me to take my pills at 8am and 8pm",
    reminder("remind owner to take their pills", [daily(8), daily(20)]),
)
item(
    c,
    "every weekday at 7am remind me to take my lunch",
    reminder("remind owner to take their lunch", weekly(WEEKDAYS, 7)),
)
item(
    c,
    "remind me to water the plants every other day",
    reminder("remind owner to water the plants", every_days(2, "20261203", 18, 30)),
)
item(
    c,
    "remind me to pay the rent on the 1st of every month",
    reminder("remind owner to pay the rent", monthday("1", 18, 30)),
)
item(
    c,
    "remind me at 6pm to defrost the chicken",
    reminder("remind owner to defrost the chicken", [at("2026-12-03T18:00")]),
)
item(
    c,
    "please remind me to feed the fish every evening",
    reminder("remind owner to feed the fish", daily(18)),
)
item(
    c,
    "remind me to take out the recycling every wed night",
    reminder("remind owner to take out the recycling", weekly("WE", 21)),
)
item(
    c,
    "remind me every sunday to plan the meals for the week",
    reminder("remind owner to plan the meals for the week", weekly("SU", 18, 30)),
)
item(c, "remind me to stretch every day at 3pm", reminder("remind owner to stretch", daily(15)))
item(
    c,
    "remind me to check the mail every weekday at 5pm",
    reminder("remind owner to check the mail", weekly(WEEKDAYS, 17)),
)
item(
    c,
    "tell me to take my medicine every night at 10pm",
    reminder("remind owner to take their medicine", daily(22)),
)

# --- check-ins ----------------------------------------------------------------------------
c = "check_in"
item(
    c,
    "check in with me every Monday to see what I want you to pick up when you do the shopping",
    check_in("ask what you want me to pick up when I do the shopping", weekly("MO", 18, 30)),
)
item(
    c,
    "ask me every Sunday evening what to cook this week",
    check_in("ask what to cook this week", weekly("SU", 18)),
)
item(
    c,
    "every friday ask me what groceries we need",
    check_in("ask what groceries we need", weekly("FR", 18, 30)),
)
item(
    c,
    "ask me what to buy when you go shopping every day at 18:30",
    check_in("ask what to buy when I go shopping", daily(18, 30)),
)
item(
    c,
    "check with me on weds about the shopping list",
    check_in("ask about the shopping list", weekly("WE", 18, 30)),
)
item(
    c,
    "ask me every morning if I need anything from the store",
    check_in("ask if you need anything from the store", daily(8)),
)
item(c, "Every Monday, ask me what to buy", check_in("ask what to buy", weekly("MO", 18, 30)))
item(c, "check in with me every evening at 8", check_in("check in with the person", daily(20)))
item(
    c,
    "ask me on Saturdays at 10am what I want for dinner",
    check_in("ask what you want for dinner", weekly("SA", 10)),
)
item(
    c,
    "every other Sunday ask me if the sheets need changing",
    check_in("ask if the sheets need changing", every_weeks(2, "20261206", "SU", 18, 30)),
)
item(
    c,
    "ask me every thursday what we're running low on",
    check_in("ask what we're running low on", weekly("TH", 18, 30)),
)
item(
    c,
    "ask me on the first of every month what needs fixing",
    check_in("ask what needs fixing", monthday("1", 18, 30)),
)
item(
    c,
    "ask me every weekday at 7am what I want for lunch",
    check_in("ask what you want for lunch", weekly(WEEKDAYS, 7)),
)
item(
    c,
    "ask Sam every Saturday what he wants for breakfast",
    check_in("ask Sam what he wants for breakfast", weekly("SA", 18, 30)),
)
item(
    c,
    "every tuesday evening, check with me about the groceries",
    check_in("ask about the groceries", weekly("TU", 18)),
)

# --- routines (facts, never chores) -------------------------------------------------------
c = "routine"
item(
    c,
    "I wake up and go to work at 7:00 a.m.",
    routine("wakes_at", weekly(WEEKDAYS, 7)),
    routine("leaves_for_work_at", weekly(WEEKDAYS, 7)),
)
item(c, "I get home around 6 on weekdays", routine("gets_home_at", weekly(WEEKDAYS, 18)))
item(c, "I go to bed at 11", routine("goes_to_bed_at", daily(23)))
item(c, "On weekends I get up at 9", routine("wakes_at", weekly("SA,SU", 9)))
item(c, "I usually get back from work at 5:30pm", routine("gets_home_at", weekly(WEEKDAYS, 17, 30)))
item(
    c, "I leave the house at 8:15 every weekday", routine("leaves_home_at", weekly(WEEKDAYS, 8, 15))
)
item(c, "we go to sleep around 10:30 pm", routine("goes_to_bed_at", daily(22, 30)))
item(c, "I'm usually home by 6", routine("gets_home_at", daily(18)))
item(
    c,
    "I wake up at 6:30 and leave for work at 7:15",
    routine("wakes_at", weekly(WEEKDAYS, 6, 30)),
    routine("leaves_for_work_at", weekly(WEEKDAYS, 7, 15)),
)
item(
    c,
    "I get up at 6 on weekdays and 8 on weekends",
    routine("wakes_at", [weekly(WEEKDAYS, 6), weekly("SA,SU", 8)]),
)
item(c, "I start work at 9", routine("leaves_for_work_at", weekly(WEEKDAYS, 9)))
item(
    c, "I come home at 7pm on Mondays and Wednesdays", routine("gets_home_at", weekly("MO,WE", 19))
)
item(c, "I get home at 17:30", routine("gets_home_at", daily(17, 30)))
item(c, "I usually go to bed around midnight", routine("goes_to_bed_at", daily(0)))
item(c, "I have breakfast at 7:30", routine("has_breakfast_at", daily(7, 30)))
item(c, "we eat dinner at 7", routine("has_dinner_at", daily(19)))
item(
    c,
    "I leave for work at 8 and get home at 6",
    routine("leaves_for_work_at", weekly(WEEKDAYS, 8)),
    routine("gets_home_at", weekly(WEEKDAYS, 18)),
)
item(c, "on Saturdays I get up around 10", routine("wakes_at", weekly("SA", 10)))
item(c, "I go to sleep at 11pm on weekdays", routine("goes_to_bed_at", weekly(WEEKDAYS, 23)))

# --- one-offs -----------------------------------------------------------------------------
c = "one_off"
item(c, "clean the oven tomorrow at 3pm", once("clean the oven", "2026-12-04T15:00"))
item(c, "charge the vacuum tonight", once("charge the vacuum", "2026-12-03T21:00"))
item(c, "buy flowers on December 24th", once("buy flowers", "2026-12-24T09:00"))
item(c, "water the plants on Saturday", once("water the plants", "2026-12-05T09:00"))
item(c, "make dinner at 6pm", once("make dinner", "2026-12-03T18:00"))
item(c, "defrost the freezer this Sunday", once("defrost the freezer", "2026-12-06T09:00"))
item(c, "clean the windows on the 20th of December", once("clean the windows", "2026-12-20T09:00"))
item(c, "vacuum the stairs next Tuesday at 10am", once("vacuum the stairs", "2026-12-08T10:00"))
item(c, "wash the car tomorrow morning", once("wash the car", "2026-12-04T08:00"))
item(c, "tidy the guest room on Friday afternoon", once("tidy the guest room", "2026-12-04T15:00"))
item(c, "empty the dishwasher at 2pm", once("empty the dishwasher", "2026-12-03T14:00"))
item(c, "bake a cake on jan 5 at 3pm", once("bake a cake", "2027-01-05T15:00"))
item(
    c,
    "put up the christmas tree on saturday at 11am",
    once("put up the christmas tree", "2026-12-05T11:00"),
)
item(c, "tmrw at 8am feed the fish", once("feed the fish", "2026-12-04T08:00"))

# --- vague: a question back, nothing stored -----------------------------------------------
c = "vague"
for text in (
    "do the laundry sometimes",
    "water the plants every now and then",
    "clean the windows every other",
    "take out the trash twice a week",
    "feed the cat at 8 every day",
    "vacuum regularly",
    "mop the floor once a week",
    "clean the house",
    "empty the dishwasher at 9 every day",
    "dust the shelves from time to time",
    "water the garden every 0 days",
    "make the beds whenever you have time",
):
    item(c, text)

# --- paragraphs: several sentences, routines shaping the schedule -------------------------
c = "paragraph"
item(
    c,
    "I like to have dinner made at 6:00 p.m. I wake up and go to work at 7:00 a.m. I like to do "
    "my laundry on Saturday, so make sure that it's ready. By the way, check in with me every "
    "Monday to see what I want you to pick up when you do the shopping.",
    deadline("make dinner", daily(18)),
    routine("wakes_at", weekly(WEEKDAYS, 7)),
    routine("leaves_for_work_at", weekly(WEEKDAYS, 7)),
    deadline("do the laundry", weekly("SA", 8)),
    check_in("ask what you want me to pick up when I do the shopping", weekly("MO", 18, 30)),
)
item(
    c,
    "I leave for work at 7:30 and get home at 7pm on weekdays. Check in with me every Monday "
    "about the shopping.",
    routine("leaves_for_work_at", weekly(WEEKDAYS, 7, 30)),
    routine("gets_home_at", weekly(WEEKDAYS, 19)),
    check_in("ask about the shopping", weekly("MO", 19, 30)),
)
item(
    c,
    "Water the plants every other day at 8am. Never vacuum before 9. I go to bed at 10:30pm.",
    chore("water the plants", every_days(2, "20261204", 8)),
    constraint("vacuum", "00:00-09:00"),
    routine("goes_to_bed_at", daily(22, 30)),
)
item(
    c,
    "Please make dinner at 7pm on weekdays. On weekends make dinner at 6pm. Remind me to take "
    "my pills at 9pm every day.",
    chore("make dinner", [weekly(WEEKDAYS, 19), weekly("SA,SU", 18)]),
    reminder("remind owner to take their pills", daily(21)),
)
item(
    c,
    "Every morning at 7 make coffee. Take out the trash every wed night. Ask me every Sunday "
    "what we need from the store.",
    chore("make coffee", daily(7)),
    chore("take out the trash", weekly("WE", 21)),
    check_in("ask what we need from the store", weekly("SU", 18, 30)),
)
item(
    c,
    "We get home around 5:30pm on weekdays. Remind us to take the bins out every Tuesday.",
    routine("gets_home_at", weekly(WEEKDAYS, 17, 30)),
    reminder("remind everyone to take the bins out", weekly("TU", 18, 30)),
)
item(
    c,
    "I wake up at 6. Have breakfast ready by 6:30 every day. Don't run the dishwasher after 10pm.",
    routine("wakes_at", daily(6)),
    deadline("make breakfast", daily(6, 30)),
    constraint("run the dishwasher", "22:00-07:00"),
)
item(
    c,
    "Take out the trash every Wednesday at 9 pm, and the recycling every Thursday. Quiet hours "
    "are from 10pm to 7am.",
    chore("take out the trash", weekly("WE", 21)),
    chore("take out the recycling", weekly("TH", 21)),
    fact("home", "quiet_hours", "22:00-07:00"),
)
item(
    c,
    "I like to do my laundry on Saturday, so make sure that it's ready. Feed the cat at 7am and "
    "7pm.",
    deadline("do the laundry", weekly("SA", 8)),
    chore("feed the cat", [daily(7), daily(19)]),
)
item(
    c,
    "I get up at 7 on weekdays. Every weekday at 7:30 make coffee. Never vacuum while I'm asleep.",
    routine("wakes_at", weekly(WEEKDAYS, 7)),
    chore("make coffee", weekly(WEEKDAYS, 7, 30)),
    constraint("vacuum", "asleep"),
)
item(
    c,
    "Water the plants every Monday, Wednesday and Friday at 8am. Also vacuum the hall on "
    "Tuesdays and Fridays. Check in with me every other Sunday about groceries.",
    chore("water the plants", weekly("MO,WE,FR", 8)),
    chore("vacuum the hall", weekly("TU,FR", 9)),
    check_in("ask about groceries", every_weeks(2, "20261206", "SU", 18, 30)),
)
item(
    c,
    "Make sure my gym clothes are washed by Sunday at noon every week. I go to bed at 11pm and "
    "wake up at 7am.",
    deadline("wash the gym clothes", weekly("SU", 12)),
    routine("goes_to_bed_at", daily(23)),
    routine("wakes_at", daily(7)),
)


# --- split and write ----------------------------------------------------------------------


def _header(part: str, note: str) -> dict:
    return {
        "name": f"housemind phrasing set ({part})",
        "written": "2026-12-03",
        "now": NOW.replace(tzinfo=ZONE).isoformat(),
        "timezone": TZ,
        "speaker": "owner",
        "note": note,
    }


def main() -> int:
    by_cat: dict[str, list[tuple[str, str, list[dict]]]] = {}
    for it in ITEMS:
        by_cat.setdefault(it[0], []).append(it)
    texts = [t for _, t, _ in ITEMS]
    if len(set(texts)) != len(texts):
        raise SystemExit("duplicate phrasings in the set")
    rng = random.Random(SEED)
    dev: list[dict] = []
    held: list[dict] = []
    for cat in sorted(by_cat):
        items = list(by_cat[cat])
        rng.shuffle(items)
        k = round(len(items) / 3)
        for i, (category, text, expect) in enumerate(items):
            row = {"category": category, "text": text, "expect": expect, "question": not expect}
            (held if i < k else dev).append(row)
    for rows, prefix in ((dev, "d"), (held, "h")):
        rows.sort(key=lambda r: (r["category"], r["text"]))
        for i, row in enumerate(rows):
            row["id"] = f"{prefix}{i + 1:03d}"
    outputs = {
        "dev.json": {
            **_header("dev", "Tuned on: the parser may be changed to read these."),
            "items": dev,
        },
        "heldout.json": {
            **_header(
                "held-out",
                "Held out, frozen 2026-12-03 before the parser was changed: never tune on it, "
                "never edit it (tests/scheduler/test_phrasing_bench.py checks its sha256).",
            ),
            "frozen": "2026-12-03",
            "items": held,
        },
    }
    for name, payload in outputs.items():
        path = HERE / name
        if path.exists():
            print(f"{path} exists; not overwritten", file=sys.stderr)
            continue
        path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {path}: {len(payload['items'])} items")
    print(f"{len(ITEMS)} phrasings in {len(by_cat)} categories")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
