"""Alembic environment for housemind.

Programmatic use (``memory.db.Database.upgrade``) passes an open connection in
``config.attributes["connection"]``. From the command line::

    HOUSEMIND_DB=sqlite:///housemind.db alembic -c memory/alembic.ini upgrade head
    alembic -c memory/alembic.ini revision --autogenerate -m "what changed"
"""

from __future__ import annotations

import logging.config
import os

from alembic import context
from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from housemind.memory.db import DEFAULT_URL, housemind_tables_only
from housemind.memory.models import Base, UTCDateTime

config = context.config
if config.config_file_name is not None and config.get_main_option("configure_logging") == "true":
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _url() -> str:
    return os.environ.get("HOUSEMIND_DB") or config.get_main_option("sqlalchemy.url") or DEFAULT_URL


def _render_item(type_: str, obj, autogen_context):
    # Revisions must not import model code that may change later: write the column type
    # that UTCDateTime stores (its tz handling lives in Python, not in the schema).
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        include_name=housemind_tables_only,
        render_item=_render_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    url = _url()
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    _configure(url=url, literal_binds=True, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url(), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
