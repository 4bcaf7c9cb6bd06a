"""The dashboard's application factory: settings, the home's database, templates, routes."""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from housemind.agent.web.security import SESSION_COOKIE, NotSignedIn

__all__ = ["DashboardSettings", "Home", "create_app", "non_loopback_warning"]

logger = logging.getLogger(__name__)

#: Environment variable holding the key that signs session cookies.
SECRET_ENV = "HOUSEMIND_WEB_SECRET"


@dataclass
class DashboardSettings:
    """How the dashboard runs.

    Attributes:
        db: The project database, as ``--db`` of the command line: a SQLite file or a
            database URL (``housemind.memory.database_url``, with any home id in it).
        secret_key: Signs the session cookies; ``$HOUSEMIND_WEB_SECRET`` or a random key
            when None (then sessions end when the server restarts).
        secure_cookies: Mark cookies ``Secure`` (only sent over HTTPS): set it when a TLS
            proxy is in front.
        session_hours: How long a sign-in lasts.
        replays_dir: Where ``ReplayRecorder`` GIFs of chores are (optional); without one,
            replays are drawn from the task's checkpoints.
        poll_s: How often the live stream looks at the database.
        semantic_memory: Search memory by meaning (loads the shipped sentence model once,
            ~10 s); keywords otherwise.
        tz: The home's IANA time zone for new instructions; that of the stored
            instructions (else UTC) when None.
    """

    db: str | Path
    secret_key: str | None = None
    secure_cookies: bool = False
    session_hours: float = 12.0
    replays_dir: Path | None = None
    poll_s: float = 0.5
    semantic_memory: bool = True
    tz: str | None = None


class Home:
    """What every request needs: the settings, the home's database and memory, templates."""

    def __init__(self, settings: DashboardSettings) -> None:
        from housemind.memory import database_url, open_database

        self.settings = settings
        #: The database as the library calls take it (a SQLite path or a URL).
        self.db_path: str | Path = settings.db
        self.database = open_database(database_url(settings.db))
        self._memory: Any = None
        self._memory_lock = threading.Lock()
        self.templates = Jinja2Templates(directory=str(files("housemind.agent.web") / "templates"))
        self.templates.env.globals["app_name"] = "housemind"
        self.templates.env.filters["when"] = _when
        self.templates.env.filters["hhmm"] = _hhmm
        self.templates.env.filters["pct"] = lambda p: f"{round(100 * float(p or 0))}%"
        self.cache: dict[str, Any] = {}
        self.cache_lock = threading.Lock()

    @property
    def memory(self) -> Any:
        """The home's memory (semantic search loads the sentence model on first use)."""
        with self._memory_lock:
            if self._memory is None:
                from housemind.memory import Memory

                self._memory = Memory(self.database, semantic=self.settings.semantic_memory)
            return self._memory

    def tz(self) -> str:
        """The home's time zone (as set, else of its first instruction, else UTC)."""
        from housemind.scheduler import InstructionStore

        if self.settings.tz:
            return self.settings.tz
        instrs = InstructionStore(self.database.session).list()
        return instrs[0].timezone if instrs else "UTC"

    def now(self) -> datetime:
        """The robot's now (its clock in a simulated run; the wall clock otherwise)."""
        from housemind.agent.status import robot_now

        return robot_now(self.database, self.tz())

    def close(self) -> None:
        """Release the database."""
        self.database.close()


def _when(value: Any) -> str:
    if not value:
        return ""
    t = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{t:%a %d %b %H:%M}"


def _hhmm(value: Any) -> str:
    if not value:
        return ""
    t = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{t:%H:%M}"


def non_loopback_warning(host: str) -> str | None:
    """What binding to ``host`` means for the household, or None for a loopback address."""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if loopback:
        return None
    return (
        f"listening on {host}, not only on this computer: anyone who can reach this "
        "address on your network can open the sign-in page. Sign-ins travel in clear text "
        "over plain HTTP: put the dashboard behind HTTPS (a reverse proxy) and pass "
        "--secure-cookies, or keep the default --host 127.0.0.1 and reach it through an "
        "SSH tunnel."
    )


def create_app(settings: DashboardSettings) -> FastAPI:
    """The dashboard as an ASGI app (run it with uvicorn).

    Raises:
        housemind.memory.MemoryStoreError: the database cannot be opened.
    """
    from housemind.agent.web.routes import (
        approvals,
        auth,
        history,
        home_now,
        live,
        people,
        talk,
        week,
    )

    home = Home(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        home.close()

    app = FastAPI(
        title="housemind dashboard",
        lifespan=lifespan,
        docs_url=None,  # nothing is reachable without signing in
        redoc_url=None,
        openapi_url=None,
    )
    app.state.home = home
    secret = settings.secret_key or os.environ.get(SECRET_ENV) or secrets.token_urlsafe(32)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=int(settings.session_hours * 3600),
        same_site="strict",
        https_only=settings.secure_cookies,
    )
    static = files("housemind.agent.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for module in (auth, talk, week, home_now, approvals, history, people, live):
        app.include_router(module.router)

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, exc: NotSignedIn) -> Response:
        if request.url.path.startswith("/api/") or request.method != "GET":
            return JSONResponse(
                {"error": exc.message}, status_code=401, headers={"WWW-Authenticate": "Session"}
            )
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def _bad_input(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        return JSONResponse(
            {"error": "bad input — " + "; ".join(problems), "problems": problems},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return JSONResponse(
            {"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
        )

    return app
