"""Errors raised while reading instructions (a person can act on each message)."""

from __future__ import annotations

__all__ = ["AmbiguousInstructionError", "InstructionParseError"]


class InstructionParseError(ValueError):
    """A phrasing the offline parser cannot read."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        super().__init__(
            f"cannot read a schedule in {text!r}: {reason}. Try a phrasing such as "
            "'water the plants every day at 9:00', 'take out the trash every Monday at 7pm' "
            "or 'dinner ready by 6 pm every day'"
        )


class AmbiguousInstructionError(InstructionParseError):
    """A phrasing with more than one plausible reading; ``question`` asks which one."""

    def __init__(self, text: str, question: str) -> None:
        self.question = question
        super().__init__(text, f"it is ambiguous ({question})")
