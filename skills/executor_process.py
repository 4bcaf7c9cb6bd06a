"""System 1 in its own process: the realtime executor away from the planner's GIL.

A Python thread shares the interpreter lock with everything else in its process; while
the planner or a memory write holds it, and the operating system has that thread waiting
for a core, the control thread cannot tick (CPython hands the lock over only every
``sys.getswitchinterval()``, 5 ms by default, and only to a thread that is running). For
sub-millisecond jitter under load the control loop runs in a process of its own:
:class:`ProcessExecutor` starts one (``spawn``), builds the robot there from a picklable
factory, and runs an ordinary realtime :class:`~skills.executor.Executor` in it, its control
thread (and the policy worker) under the real-time scheduler where the OS allows. The
planner's side talks to it through queues: subtasks in, outcomes out, never waiting on a
tick. A real robot's driver would be built in that process the same way.
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from housemind.skills.executor import DEFAULT_RATE_HZ, Outcome

__all__ = ["ProcessExecutor"]

logger = logging.getLogger(__name__)


def _serve(
    make_env: Callable[[], Any],
    options: dict[str, Any],
    commands: Any,
    replies: Any,
    estop: Any,
) -> None:
    """The control process: build the robot and an executor, serve commands until None."""
    import housemind.skills  # noqa: F401 - registers skills and backends
    from housemind.skills.executor import Executor
    from housemind.skills.policies import policy_factory
    from housemind.skills.spec import REGISTRY

    env = make_env()
    policy = options.pop("policy", None)
    ex = Executor(env, realtime=True, policy_for=policy_factory(policy), **options).start()

    def watch_estop() -> None:
        while True:
            estop.wait()
            ex.estop("emergency stop")
            while estop.is_set():
                estop.wait(0.01)
                if not estop.is_set():
                    break
            ex.clear_estop()

    threading.Thread(target=watch_estop, daemon=True).start()
    replies.put(("ready", None, ex.realtime_scheduled))
    while True:
        cmd = commands.get()
        if cmd is None:
            break
        kind, ident, payload = cmd
        try:
            if kind == "run":
                name, args = payload
                out = ex.run(REGISTRY.bind(name, args))
                replies.put((ident, "ok", out))
            elif kind == "call":
                replies.put((ident, "ok", payload(env)))
            elif kind == "timing":
                replies.put((ident, "ok", ex.timing.summary()))
                if payload:
                    ex.reset_timing()
            else:
                replies.put((ident, "error", f"unknown command {kind!r}"))
        except BaseException as e:  # noqa: BLE001 - sent back to the caller
            replies.put((ident, "error", f"{type(e).__name__}: {e}"))
    ex.close()


class ProcessExecutor:
    """An :class:`~skills.executor.Executor` in realtime mode, in a process of its own.

    Args:
        make_env: Builds the robot in the control process (picklable: a module-level
            function or a ``functools.partial`` of one).
        rate_hz: Control rate.
        policy: Policy override (see :mod:`skills.policies.selection`).
        rt_priority: Real-time priority of the control thread (None: normal scheduler).
        start_timeout_s: How long to wait for the process to come up.
    """

    def __init__(
        self,
        make_env: Callable[[], Any],
        *,
        rate_hz: float = DEFAULT_RATE_HZ,
        policy: Any = None,
        rt_priority: int | None = 50,
        start_timeout_s: float = 120.0,
    ) -> None:
        ctx = mp.get_context("spawn")
        self._commands = ctx.Queue()
        self._replies = ctx.Queue()
        self._estop = ctx.Event()
        options = {"rate_hz": rate_hz, "policy": policy, "rt_priority": rt_priority}
        self._proc = ctx.Process(
            target=_serve,
            args=(make_env, options, self._commands, self._replies, self._estop),
            name="housemind-executor",
            daemon=True,
        )
        self._proc.start()
        first = self._replies.get(timeout=start_timeout_s)
        if first[0] != "ready":  # pragma: no cover - the child only ever says ready first
            raise RuntimeError(f"the executor process did not start: {first}")
        #: Whether the control thread got the real-time scheduler.
        self.realtime_scheduled = bool(first[2])
        self._ids = itertools.count()
        self._pending: dict[int, Future[Any]] = {}
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="executor-replies", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                msg = self._replies.get()
            except (EOFError, OSError):  # pragma: no cover - the process went away
                break
            if msg is None:
                break
            ident, status, value = msg
            with self._lock:
                fut = self._pending.pop(ident, None)
            if fut is None:
                continue
            if status == "ok":
                fut.set_result(value)
            else:
                fut.set_exception(RuntimeError(value))

    def _send(self, kind: str, payload: Any) -> Future[Any]:
        if not self._proc.is_alive():
            raise RuntimeError("the executor process is not running")
        fut: Future[Any] = Future()
        with self._lock:
            ident = next(self._ids)
            self._pending[ident] = fut
        self._commands.put((kind, ident, payload))
        return fut

    def submit(self, skill: str, args: dict[str, Any]) -> Future[Outcome]:
        """Queue skill ``skill`` with ``args``; the future resolves to its outcome."""
        return self._send("run", (skill, dict(args)))

    def run(self, skill: str, args: dict[str, Any], timeout: float | None = None) -> Outcome:
        """Execute a skill and wait for its outcome."""
        return self.submit(skill, args).result(timeout=timeout)

    def call(self, fn: Callable[[Any], Any], timeout: float | None = None) -> Any:
        """Run picklable ``fn(env)`` in the control process between subtasks."""
        return self._send("call", fn).result(timeout=timeout)

    def timing(self, reset: bool = False) -> dict[str, Any]:
        """The control loop's tick timing summary (and optionally start a new one)."""
        return self._send("timing", reset).result(timeout=30)

    def estop(self) -> None:
        """Halt at the next tick until :meth:`clear_estop`."""
        self._estop.set()

    def clear_estop(self) -> None:
        """Release the emergency stop."""
        self._estop.clear()

    def close(self) -> None:
        """Stop the control process."""
        if self._proc.is_alive():
            self._commands.put(None)
            self._proc.join(timeout=30)
        if self._proc.is_alive():  # pragma: no cover - a stuck child
            self._proc.terminate()
        self._replies.put(None)

    def __enter__(self) -> ProcessExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
