"""housemind: household robots that take standing instructions and carry them out for months.

The packages live under this one name: :mod:`housemind.agent` (runtime, task graph,
planners, CLI), :mod:`housemind.skills` (skills, System 1 executor, policies),
:mod:`housemind.memory`, :mod:`housemind.scheduler`, :mod:`housemind.safety` and
:mod:`housemind.sim` (HomeSim). In the source tree they are the top-level folders
``agent/``, ``skills/``, ... mapped into this namespace by the build configuration
(``setup.py``); see ``docs/architecture.md``.
"""

__version__ = "0.2.0"

__all__ = ["__version__"]
