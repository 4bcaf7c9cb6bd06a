"""The demo's live view: clock, current chore, current subtask, safety events."""

from __future__ import annotations

from collections import deque
from typing import Any

from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.table import Table

__all__ = ["LiveView"]


class LiveView:
    """A rich live panel fed by :class:`agent.runtime.HomeRuntime` events."""

    def __init__(self, title: str, instructions: list[str], console: Console | None = None) -> None:
        self.title = title
        self.instructions = instructions
        self.console = console or Console()
        self.clock = ""
        self.chore = "—"
        self.subtask = "—"
        self.log: deque[str] = deque(maxlen=8)
        self.safety: deque[str] = deque(maxlen=5)
        self._live = Live(
            self._render(), console=self.console, refresh_per_second=8, transient=False
        )

    def __enter__(self) -> LiveView:
        self._live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.update(self._render())
        self._live.__exit__(*exc)

    def on_event(self, kind: str, p: dict[str, Any]) -> None:
        """Runtime callback."""
        self.clock = p.get("time", self.clock)[:19].replace("T", " ")
        if kind == "chore_start":
            self.chore = p["goal"]
            self.log.append(f"[bold]{self.clock[11:16]}[/] start: {p['goal']}")
        elif kind == "subtask":
            self.subtask = p["text"]
        elif kind == "outcome":
            colour = "green" if p["status"] == "success" else "red"
            self.log.append(
                f"[{colour}]  {p['status']:>7}[/] {p['text']} "
                f"({p['seconds']:.1f} s){' — ' + p['reason'] if p['reason'] else ''}"
            )
        elif kind == "chore_end":
            colour = "green" if p["status"] == "done" else "red"
            self.log.append(
                f"[bold]{self.clock[11:16]}[/] [{colour}]{p['status']}[/]: "
                f"{p['goal']}{' — ' + p['reason'] if p['reason'] else ''}"
            )
            self.chore, self.subtask = "—", "—"
        elif kind == "safety":
            colour = {"allow": "green", "confirm": "yellow", "deny": "red"}[p["verdict"]]
            self.safety.append(
                f"[{colour}]{p['verdict']}[/] {p['level']}: {p['subject']} "
                + " ".join(p.get("reasons", []))
            )
        self._live.update(self._render())

    def _render(self) -> Panel:
        head = Table.grid(padding=(0, 2))
        head.add_row("[bold]clock[/]", self.clock or "—")
        head.add_row("[bold]chore[/]", self.chore)
        head.add_row("[bold]subtask[/]", self.subtask)
        body = [
            head,
            "",
            "[bold]standing instructions[/]",
            *(f"  · {i}" for i in self.instructions),
            "",
            "[bold]activity[/]",
            *self.log,
        ]
        if self.safety:
            body += ["", "[bold]safety[/]", *self.safety]
        return Panel(Group(*body), title=self.title)

    def print_summary(self, s: dict[str, Any]) -> None:
        """The end-of-run table."""
        self.console.print()
        t = Table(title="chores")
        for col in ("due", "chore", "status", "subtasks", "note"):
            t.add_column(col)
        for c in s["chores"]:
            colour = "green" if c["status"] == "done" else "red"
            t.add_row(
                c["due"][5:16].replace("T", " "),
                c["goal"],
                f"[{colour}]{c['status']}[/]",
                str(c["subtasks"]),
                c["reason"],
            )
        self.console.print(t)
        for r in s.get("instructions_refused", []):
            self.console.print(f"[red]refused[/] {r['instruction']!r}: {' '.join(r['reasons'])}")
        if s.get("checkins_asked") or s.get("items_bought"):
            bought = ", ".join(sorted({b["item"] for b in s.get("items_bought", [])}))
            self.console.print(
                f"check-ins asked {s['checkins_asked']} · answered {s['checkins_answered']}"
                + (f" · bought {bought}" if bought else "")
            )
        self.console.print(
            f"due {s['chores_due']} · done {s['chores_done']} · failed {s['chores_failed']} · "
            + (
                f"done with something missing {s['chores_missing']} · "
                if s.get("chores_missing")
                else ""
            )
            + f"subtasks {s['subtasks']} · safety events {s['safety_events']} · "
            f"{s['sim_seconds'] / 3600:.1f} simulated hours in {s['wall_seconds']:.1f} s"
        )
