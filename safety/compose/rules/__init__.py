"""The hazard rules of common sense by composition, one module per kind of hazard.

Importing this package registers every rule in :data:`RULES`, ordered by :data:`ORDER`
(the order rules are asked in, and findings of equal verdict are reported in).
"""

from housemind.safety.compose.rules import (  # noqa: F401 - imported to register their rules
    breakables,
    chemicals,
    children,
    electrical,
    food,
    harm,
    heat,
    locking,
    sharp,
    swallowing,
    water,
)
from housemind.safety.compose.rules.base import RULES, Finding, rule

__all__ = ["ORDER", "RULES", "Finding", "rule"]

#: The rule modules in the order their rules are asked.
ORDER = (
    "electrical",
    "breakables",
    "chemicals",
    "children",
    "swallowing",
    "sharp",
    "heat",
    "locking",
    "food",
    "water",
    "harm",
)

RULES.sort(key=lambda r: ORDER.index(r[2].__module__.rsplit(".", 1)[-1]))
