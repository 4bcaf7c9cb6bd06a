"""Goals in words the planner can act on (internal).

"make sure my gym clothes are washed" -> "wash the gym clothes"; "remind me to take my
pills" -> "remind owner to take their pills"; "check in with me to see what I want you to
pick up" -> "ask what you want me to pick up"; "my laundry" -> "the laundry".
"""

from __future__ import annotations

import re

__all__ = [
    "CHECK_IN_RE",
    "DETERMINERS",
    "VERBS",
    "object_phrase",
    "starts_with_verb",
    "verb_phrase",
    "REMINDER_RE",
    "check_in_goal",
    "goal_for_object",
    "goal_for_state",
    "reminder_goal",
    "swap_person",
    "the",
    "third_person",
]

CHECK_IN_RE = re.compile(
    r"^(?:ask|check\s+(?:in\s+)?with)\s+(?P<who>me|us|(?!the\b|a\b|an\b|if\b|what\b|about\b)"
    r"[A-Z][a-z]+)\b",
)
REMINDER_RE = re.compile(
    r"^(?:remind\s+(?P<who>me|us|everyone|everybody|(?:the|my|our)\s+\w+|[A-Z][a-z]+)"
    r"|tell\s+(?P<told>me|us|(?:the|my|our)\s+\w+|[A-Z][a-z]+)(?=\s+to\b))\b",
)
#: Words a household chore starts with ("vacuum the hall", "take out the trash").
VERBS = frozenset(
    [
        "vacuum",
        "hoover",
        "clean",
        "mop",
        "sweep",
        "dust",
        "wipe",
        "wash",
        "rinse",
        "scrub",
        "polish",
        "tidy",
        "declutter",
        "organize",
        "organise",
        "sort",
        "fold",
        "iron",
        "hang",
        "put",
        "take",
        "bring",
        "carry",
        "move",
        "empty",
        "load",
        "unload",
        "run",
        "start",
        "stop",
        "turn",
        "switch",
        "open",
        "close",
        "shut",
        "lock",
        "unlock",
        "water",
        "feed",
        "walk",
        "brush",
        "groom",
        "bathe",
        "give",
        "let",
        "check",
        "inspect",
        "test",
        "replace",
        "change",
        "refill",
        "fill",
        "restock",
        "order",
        "buy",
        "pick",
        "shop",
        "get",
        "fetch",
        "make",
        "cook",
        "bake",
        "prepare",
        "heat",
        "boil",
        "brew",
        "set",
        "clear",
        "lay",
        "serve",
        "defrost",
        "descale",
        "charge",
        "plug",
        "unplug",
        "mow",
        "rake",
        "weed",
        "prune",
        "trim",
        "spray",
        "air",
        "ventilate",
        "flip",
        "rotate",
        "pack",
        "unpack",
        "sanitize",
        "sanitise",
        "disinfect",
        "deep",
        "pay",
        "call",
        "text",
        "remind",
        "ask",
        "tell",
        "do",
        "help",
        "wake",
        "play",
        "read",
        "say",
        "light",
        "blow",
        "pump",
        "service",
        "stir",
        "chop",
        "slice",
        "mix",
        "whisk",
        "toss",
        "plan",
        "book",
        "write",
        "send",
        "collect",
        "recycle",
        "compost",
        "drain",
        "unclog",
        "shovel",
        "salt",
        "scoop",
        "top",
        "wind",
        "dress",
        "bag",
        "squeegee",
        "oil",
        "sharpen",
        "soak",
        "grease",
        "repot",
        "plant",
        "harvest",
        "sow",
        "wrap",
        "label",
        "tend",
        "reset",
        "update",
        "strip",
        "vacuuming",
        "hoovering",
        "declutter",
        "air",
        "dry",
        "refresh",
        "swap",
        "restock",
        "lay",
    ]
)
DETERMINERS = frozenset(
    [
        "the",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "a",
        "an",
        "some",
        "all",
        "this",
        "that",
        "these",
        "those",
        "its",
    ]
)
_SHOPPING_RE = re.compile(r"\b(?:shop|shopping|groceries|grocery|buy|pick up|store)\b", re.I)
_PRONOUNS = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "your": "my",
    "yours": "mine",
    "yourself": "myself",
    "you're": "I'm",
    "you've": "I've",
}
# After these, "you" is the subject ("when you do") and becomes "I"; otherwise "me".
_SUBJECT_AFTER = {"when", "if", "what", "while", "before", "after", "as", "until", "and", "so"}
_THIRD = {
    "i": "they",
    "me": "them",
    "my": "their",
    "mine": "theirs",
    "myself": "themselves",
    "i'm": "they're",
    "we": "they",
    "us": "them",
    "our": "their",
    "ours": "theirs",
    "ourselves": "themselves",
    "we're": "they're",
}
# Meals and objects a deadline names, and the chore that gets them ready.
_OBJECT_GOALS: tuple[tuple[str, str], ...] = (
    (r"\b(?:dinner|supper|lunch|breakfast|brunch|meal|coffee|tea|food)\b", "make {obj}"),
    (r"\b(?:laundry|washing)\b", "do {obj}"),
    (r"\b(?:dishes)\b", "wash {obj}"),
    (r"\b(?:bed|beds)\b", "make {obj}"),
    (r"\b(?:trash|garbage|rubbish|bins?|recycling|compost)\b", "take out {obj}"),
)
# A finished state -> the verb that gets there ("washed" -> "wash").
STATES = {
    "washed": "wash",
    "cleaned": "clean",
    "clean": "clean",
    "tidied": "tidy",
    "tidy": "tidy",
    "tidied up": "tidy",
    "folded": "fold",
    "ironed": "iron",
    "fed": "feed",
    "watered": "water",
    "emptied": "empty",
    "empty": "empty",
    "loaded": "load",
    "unloaded": "unload",
    "packed": "pack",
    "vacuumed": "vacuum",
    "hoovered": "vacuum",
    "mopped": "mop",
    "swept": "sweep",
    "dusted": "dust",
    "changed": "change",
    "put away": "put away",
    "taken out": "take out",
    "out": "take out",
    "hung up": "hang up",
    "set": "set",
    "cleared": "clear",
    "mowed": "mow",
    "mown": "mow",
    "polished": "polish",
    "scrubbed": "scrub",
    "sorted": "sort",
    "charged": "charge",
}
# States that say "done" without saying how: the object decides the chore.
READY_STATES = ("made", "ready", "done", "cooked", "prepared", "finished", "on the table")
STATE_WORDS = "|".join(
    re.escape(w) for w in sorted((*STATES, *READY_STATES), key=len, reverse=True)
)


def starts_with_verb(text: str) -> bool:
    """Whether ``text`` starts like a command ("vacuum the hall", "take out the trash")."""
    first = text.strip().split(" ", 1)[0].lower().strip(",.")
    return first in VERBS


def verb_phrase(goal: str) -> str:
    """The words before the object: "take out the trash" -> "take out"."""
    words = goal.split()
    for i, w in enumerate(words):
        if i and (w.lower() in DETERMINERS or w.lower().endswith("s'")):
            return " ".join(words[:i])
    return words[0] if words else ""


def object_phrase(goal: str) -> str:
    """The object of a goal: "vacuum the living room" -> "the living room"."""
    verb = verb_phrase(goal)
    return goal[len(verb) :].strip()


def the(words: str) -> str:
    """The robot's words for the person's things: "my laundry" -> "the laundry"."""
    return re.sub(r"\b(?:my|our|your)\b", "the", words, flags=re.IGNORECASE)


def goal_for_object(obj: str) -> str:
    """The chore that gets ``obj`` ready: "dinner" -> "make dinner"."""
    obj = the(obj.strip())
    for pattern, template in _OBJECT_GOALS:
        if re.search(pattern, obj, re.IGNORECASE):
            return template.format(obj=obj)
    return f"get {obj} ready"


def goal_for_state(obj: str, state: str) -> str:
    """The chore that leaves ``obj`` in ``state``.

    ("my gym clothes", "washed") -> "wash the gym clothes"; ("dinner", "ready") -> "make
    dinner".
    """
    state = re.sub(r"\s+", " ", state.strip().lower())
    if state in READY_STATES:
        return goal_for_object(obj)
    verb = STATES.get(state)
    if verb is None:
        return goal_for_object(obj)
    return f"{verb} {the(obj.strip())}"


def swap_person(text: str) -> str:
    """Say ``text`` back from the robot's side.

    "what I want you to buy" becomes "what you want me to buy".
    """
    words = text.split()
    out: list[str] = []
    for i, word in enumerate(words):
        low = word.lower()
        if low == "you":
            prev = words[i - 1].lower() if i else ""
            out.append("I" if prev in _SUBJECT_AFTER or i == 0 else "me")
        elif low in _PRONOUNS:
            out.append(_PRONOUNS[low])
        else:
            out.append(word)
    return " ".join(out)


def third_person(text: str) -> str:
    """``text`` about someone else: "take my pills" -> "take their pills"."""
    out = []
    for word in text.split():
        low = word.lower()
        out.append(_THIRD.get(low, word))
    return " ".join(out)


def reminder_goal(who: str, rest: str, *, speaker: str) -> tuple[str, str]:
    """The goal and person of "remind <who> <rest>".

    Returns:
        ``("remind owner to take their pills", "owner")`` for who="me", rest="to take my
        pills", speaker="owner"; "us" is everyone.
    """
    low = who.lower()
    person = {"me": speaker, "us": "everyone", "everybody": "everyone"}.get(low, the(who))
    rest = re.sub(r"^(?:please\s+)?", "", rest.strip())
    if not re.match(r"^(?:to|about|that|of)\b", rest, re.IGNORECASE):
        rest = f"to {rest}"
    if low in ("me", "us"):
        rest = third_person(rest)
    return f"remind {person} {rest}".strip(), person


def check_in_goal(who: str, rest: str, *, speaker: str) -> tuple[str, str, str | None]:
    """The goal, person and answer list of "ask <who> <rest>" / "check in with <who> ...".

    Returns:
        ``("ask what you want me to pick up", "owner", "shopping")``; the answer list is
        "shopping" when the question is about shopping, else None.
    """
    low = who.lower()
    person = {"me": speaker, "us": "everyone"}.get(low, who)
    rest = rest.strip()
    rest = re.sub(r"^(?:to|and)\s+(?:see|ask|find out|hear)\s+", "", rest, flags=re.I)
    rest = re.sub(r"^(?:to|and)\s+", "", rest, flags=re.IGNORECASE)
    answers_to = "shopping" if _SHOPPING_RE.search(rest) else None
    if low in ("me", "us"):
        asked = swap_person(rest)
        goal = f"ask {asked}".strip() if asked else "check in with the person"
    else:
        goal = f"ask {who} {rest}".strip() if rest else f"check in with {who}"
    return goal, person, answers_to
