"""``housemind serve ...``: long-running servers (``serve policy``: openpi's protocol)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from housemind.agent.cli._common import console, fail

__all__ = ["register"]

serve_app = typer.Typer(help="Run servers (a policy server for many robots).", no_args_is_help=True)


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
