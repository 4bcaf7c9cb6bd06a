"""``housemind serve``: the home dashboard; ``housemind serve policy``: openpi's protocol."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Annotated

import typer

from housemind.agent.cli._common import DbOpt, HomeIdOpt, console, db_url, fail, open_db

__all__ = ["register"]

serve_app = typer.Typer(
    help="Run servers: the home dashboard (no subcommand), a policy server (policy).",
    invoke_without_command=True,
)


@serve_app.callback(invoke_without_command=True)
def serve_dashboard(
    ctx: typer.Context,
    db: DbOpt = "housemind.db",
    home_id: HomeIdOpt = None,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Interface to listen on (default: this computer only; 0.0.0.0: all)."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8080,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="The home's IANA time zone (default: its instructions')."),
    ] = None,
    replays: Annotated[
        Path | None,
        typer.Option("--replays", help="Folder of recorded chore GIFs (examples/dashboard_live)."),
    ] = None,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies", help="Send the session cookie over HTTPS only (TLS proxy)."
        ),
    ] = False,
    keyword_memory: Annotated[
        bool,
        typer.Option("--keyword-memory", help="Search memory by keywords, not meaning (no model)."),
    ] = False,
) -> None:
    """The home dashboard: talk to the robot, see the week, approve, stop (a browser page).

    Everyone signs in with a token or password (housemind people token NAME). Set
    HOUSEMIND_WEB_SECRET to keep sessions across restarts.
    """
    if ctx.invoked_subcommand is not None:
        return  # `housemind serve policy ...`
    import socket

    from housemind.agent.web import DashboardSettings, create_app, non_loopback_warning
    from housemind.memory import MemoryStoreError
    from housemind.safety.credentials import Credentials

    if not 0 <= port <= 65535:
        fail(f"--port must be 0-65535, got {port}")
    if tz is not None:
        from housemind.scheduler._rrule import load_zone

        try:
            load_zone(tz)
        except ValueError as e:
            fail(str(e))
    if replays is not None and not replays.is_dir():
        fail(f"--replays {replays} is not a folder")
    database = open_db(db, home_id, must_exist=False)
    nobody = not Credentials(database).anyone_can_sign_in()
    database.close()
    try:
        app = create_app(
            DashboardSettings(
                db=db_url(db, home_id),
                secure_cookies=secure_cookies,
                replays_dir=replays,
                semantic_memory=not keyword_memory,
                tz=tz,
            )
        )
    except MemoryStoreError as e:
        fail(str(e))
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as e:
        fail(f"cannot listen on {host}:{port}: {e.strerror or e} (pass another --port)")
    con = console(stderr=True)
    warning = non_loopback_warning(host)
    if warning:
        con.print(f"[yellow]warning:[/] {warning}", highlight=False)
    if nobody:
        con.print(
            "nobody can sign in yet: housemind people add NAME --role owner --db "
            f"{db} && housemind people token NAME --db {db}",
            highlight=False,
        )
    shown = f"[{host}]" if ":" in host else host
    con.print(
        f"the dashboard of {db} is on http://{shown}:{sock.getsockname()[1]}/ ; Ctrl-C stops",
        highlight=False,
    )
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])


@serve_app.command("policy")
def serve_policy(
    checkpoint: Annotated[
        str | None,
        typer.Option(
            "--checkpoint",
            help="A checkpoint folder (config.json + weights) or 'homesim-experts'.",
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Interface to listen on (0.0.0.0: every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port (openpi's default: 8000).")] = 8000,
) -> None:
    """Serve a policy over openpi's websocket protocol (clients: --policy openpi://HOST:PORT).

    Set HOUSEMIND_POLICY_API_KEY to require 'Authorization: Api-Key <key>' from clients.
    """
    from housemind.agent.policy_serving import BUILTIN_POLICIES, load_served_policy
    from housemind.skills.policies.openpi import API_KEY_ENV
    from housemind.skills.policies.remote import is_loopback
    from housemind.skills.policies.serving import PolicyServer

    if checkpoint is None:
        fail(f"give --checkpoint: a checkpoint folder or one of {', '.join(BUILTIN_POLICIES)}")
    if not 0 <= port <= 65535:
        fail(f"--port must be 0-65535, got {port}")
    try:
        policy = load_served_policy(checkpoint)
    except ValueError as e:
        fail(str(e))
    api_key = os.environ.get(API_KEY_ENV) or None
    con = console(stderr=True)
    if not is_loopback(host) and api_key is None:
        con.print(
            f"[yellow]warning:[/] serving on {host} without an API key: anyone who can reach "
            f"this port can use the policy (set {API_KEY_ENV})"
        )
    server = PolicyServer(policy, host, port, api_key=api_key)
    try:
        bound = server.port
    except OSError as e:
        fail(f"cannot listen on {host}:{port}: {e.strerror or e}")
    con.print(
        f"serving [bold]{policy.metadata.get('policy', checkpoint)}[/] on ws://{host}:{bound} "
        f"(health: http://{host}:{bound}/healthz); connect with "
        f"--policy openpi://{host}:{bound}; Ctrl-C stops"
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""
    app.add_typer(serve_app, name="serve")
