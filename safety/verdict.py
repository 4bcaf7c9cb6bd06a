"""The safety monitor's answer: allow, deny, or ask a person to confirm."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

__all__ = ["SafetyVerdict", "Verdict"]


class Verdict(StrEnum):
    """What the monitor decides."""

    ALLOW = "allow"
    DENY = "deny"
    CONFIRM = "confirm"


_SEVERITY = {Verdict.ALLOW: 0, Verdict.CONFIRM: 1, Verdict.DENY: 2}


class SafetyVerdict(BaseModel):
    """A verdict with the reasons and the ids of the rules that produced it."""

    verdict: Verdict = Verdict.ALLOW
    reasons: list[str] = Field(default_factory=list)
    rules: list[str] = Field(default_factory=list)
    #: For a ``confirm`` waiting on a person: the approval request to answer.
    approval_id: str | None = None
    #: A ``deny`` the situation lifts by itself (someone within reach walks on), still in
    #: force after the robot waited: the step may be tried again later, not never.
    passing: bool = False

    @property
    def allowed(self) -> bool:
        """True when the verdict is ``allow``."""
        return self.verdict is Verdict.ALLOW

    def merge(self, other: SafetyVerdict) -> SafetyVerdict:
        """Combine two verdicts: the stricter wins, reasons and rules accumulate (each once)."""
        stricter = max(self.verdict, other.verdict, key=_SEVERITY.__getitem__)
        # Each reason and rule once: two matchers finding the same hazard say it once.
        return SafetyVerdict(
            verdict=stricter,
            reasons=list(dict.fromkeys([*self.reasons, *other.reasons])),
            rules=list(dict.fromkeys([*self.rules, *other.rules])),
            approval_id=self.approval_id or other.approval_id,
        )
