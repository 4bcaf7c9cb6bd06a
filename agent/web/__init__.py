"""The home dashboard: the people of the house talk to the robot from a browser.

``housemind serve`` runs :func:`create_app` on uvicorn. The dashboard is a thin layer over
the same library functions the command line calls (``housemind.agent.instructions``,
``scheduler.agenda``, ``safety.approvals``, ``safety.estop``, ``memory.Memory``,
``agent.history``, ``agent.status``); it holds no business logic. Pages are rendered on
the server (Jinja2) with a little vanilla JavaScript; live updates come by server-sent
events (:mod:`.routes.live`). Everyone signs in (:mod:`.security`); what a role may do
is checked on the server. See ``docs/dashboard.md``.
"""

from housemind.agent.web.app import DashboardSettings, create_app, non_loopback_warning

__all__ = ["DashboardSettings", "create_app", "non_loopback_warning"]
