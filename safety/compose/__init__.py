"""Common sense by composition: hazards as rules over what things are and what actions do.

:class:`CommonSenseMatcher` is an :class:`~safety.instruction.InstructionMatcher`. It reads an
instruction the way a careful person would:

1. *words*: robot names are split (``DeskLamp`` -> desk lamp, ``Pot_1`` -> pot), misspelt
   words are repaired against the knowledge base (``microwav`` -> microwave), and the text
   is cut into steps ("... and then ...", commas, "then");
2. *things*: each noun phrase is mapped to a kind of ``safety/kinds.yaml`` (exactly, by its
   last word, or by meaning with a confidence) and gets the kind's properties, changed by
   its modifiers ("steel", "unplugged", "lit", "whole", "cut into quarters");
3. *roles*: what each thing is in its step: what is acted on, where it goes ("in", "on",
   "near"), what is used ("with", "using"), who receives it ("to", "for");
4. *effects*: what the step's verbs do (wet, place, heat, switch on, throw, mix, ingest,
   enclose, leave, harm ...); steps are followed one after the other, so "put the fork in
   the microwave and turn it on" knows what "it" is and what is inside;
5. *rules* (:data:`RULES`, ``rules/``): each hazard is a condition over properties and effects
   ("something electrical gets wet", "something metal is in a running microwave", "a
   living thing is shut inside"), so a thing the base never names is judged by its kind.
   Every rule explains itself by the property and the effect ("a television is electrical;
   pouring juice on it can cause a shock or a fire").

When a step does something risky to a thing the base cannot place (below the confidence
of :data:`~safety.kinds.MEANING_CONFIDENCE`), the verdict is ``confirm``: the robot asks.

Where things are: :mod:`.reading` (steps, things, roles, effects), :mod:`.vocab` and
``cues.yaml`` (the words it looks for, as data), :mod:`.rules` (one module per kind of
hazard) and :mod:`.matcher` (:class:`CommonSenseMatcher`).
"""

from housemind.safety.compose.matcher import CommonSenseMatcher
from housemind.safety.compose.reading import Analysis, Mention, Step, analyse
from housemind.safety.compose.rules import RULES, Finding, rule

__all__ = [
    "RULES",
    "Analysis",
    "CommonSenseMatcher",
    "Finding",
    "Mention",
    "Step",
    "analyse",
    "rule",
]
