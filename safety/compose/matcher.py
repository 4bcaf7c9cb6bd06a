"""The instruction matcher: findings of every rule merged into one verdict."""

from __future__ import annotations

from typing import Any

from housemind.safety.compose.reading import analyse
from housemind.safety.compose.rules import RULES, Finding
from housemind.safety.kinds import KindBase, load_kinds
from housemind.safety.verdict import SafetyVerdict, Verdict

__all__ = ["CommonSenseMatcher"]


class CommonSenseMatcher:
    """Judges instructions by composition (see the module docstring).

    Args:
        kinds: The knowledge base; the shipped ``safety/kinds.yaml`` if None.
        embedder: Maps unknown names by meaning (``encode(texts)``); None: words only.
    """

    def __init__(self, kinds: KindBase | None = None, *, embedder: Any = None) -> None:
        self.kinds = kinds or load_kinds()
        if embedder is not None:
            self.kinds.use_embedder(embedder)

    @property
    def uses_embeddings(self) -> bool:
        """Whether unknown names are placed by meaning."""
        return self.kinds._embedder is not None

    def warm_up(self) -> None:
        """Load the sentence model and the kinds' name embeddings now (not on first use)."""
        if self.kinds._embedder is not None:
            self.kinds.resolve("warm up gadget")

    def findings(self, text: str) -> list[Finding]:
        """Every hazard found in ``text``, one per rule id, strictest first."""
        a = analyse(text, self.kinds)
        seen: dict[str, Finding] = {}
        for _rid, _cat, fn in RULES:
            for f in fn(a):
                old = seen.get(f.rule)
                if old is None or (old.verdict == "confirm" and f.verdict == "deny"):
                    seen[f.rule] = f
        return sorted(seen.values(), key=lambda f: f.verdict != "deny")

    def check(self, text: str) -> SafetyVerdict:
        """Verdict for ``text``: the findings merged (deny beats confirm)."""
        verdict = SafetyVerdict()
        for f in self.findings(text):
            verdict = verdict.merge(
                SafetyVerdict(
                    verdict=Verdict(f.verdict), reasons=[_sentence(f.reason)], rules=[f.rule]
                )
            )
        return verdict


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
