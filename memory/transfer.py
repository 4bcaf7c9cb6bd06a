"""Export and import a home's memory as JSON (moving a robot, backups, bug reports).

The export holds memory's own tables (places, objects, sightings, facts, checklists,
events, observations and their compacted days), not the scheduler's, the safety audit or
LangGraph checkpoints. Row ids are not exported: an import appends rows in their original
order and the database assigns new ids, which keeps PostgreSQL sequences right. Times are
ISO 8601 strings with their UTC offset; event embeddings are base64 so that an import
does not need the sentence model.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, LargeBinary, Table, delete, func, insert, select

from housemind.memory.db import Database
from housemind.memory.models import (
    ChecklistItem,
    Event,
    Fact,
    ObjectRecord,
    ObservationDay,
    ObservationRecord,
    Place,
    Sighting,
)

__all__ = ["EXPORT_FORMAT", "EXPORT_VERSION", "export_memory", "import_memory"]

#: ``format`` field of an export.
EXPORT_FORMAT = "housemind-memory"
#: ``version`` of the export layout this housemind writes and reads.
EXPORT_VERSION = 1

_MODELS = (
    Place,
    ObjectRecord,
    Sighting,
    Fact,
    ChecklistItem,
    Event,
    ObservationRecord,
    ObservationDay,
)
_TABLES: dict[str, Table] = {m.__tablename__: m.__table__ for m in _MODELS}  # type: ignore[misc]


def _columns(table: Table) -> list[Any]:
    return [c for c in table.columns if c.name != "id"]


def _is(col: Any, kind: type) -> bool:
    t = col.type
    return isinstance(t, kind) or isinstance(getattr(t, "impl", None), kind)


def _dump(value: Any, col: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _load(value: Any, col: Any, where: str) -> Any:
    if value is None:
        return None
    try:
        if _is(col, DateTime):
            t = datetime.fromisoformat(value)
            return t if t.tzinfo is not None else t.replace(tzinfo=UTC)
        if _is(col, LargeBinary):
            return base64.b64decode(value, validate=True)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{where}: bad value {value!r} for column {col.name!r}: {e}") from None
    return value


def export_memory(db: Database) -> dict[str, Any]:
    """Memory's tables as a JSON-serialisable dict.

    Args:
        db: An opened database.

    Returns:
        ``{"format", "version", "schema", "exported_at", "tables": {name: [row, ...]}}``.
    """
    tables: dict[str, list[dict[str, Any]]] = {}
    with db.engine.connect() as conn:
        for name, table in _TABLES.items():
            cols = _columns(table)
            rows = conn.execute(select(*cols).order_by(table.c.id))
            tables[name] = [
                {c.name: _dump(v, c) for c, v in zip(cols, r, strict=True)} for r in rows
            ]
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "schema": db.revision(),
        "exported_at": datetime.now(UTC).isoformat(),
        "tables": tables,
    }


def import_memory(db: Database, data: dict[str, Any], *, replace: bool = False) -> dict[str, int]:
    """Load an export made by :func:`export_memory` in one transaction.

    Args:
        db: An opened database.
        data: The export.
        replace: Delete memory's rows first; without it memory must be empty.

    Returns:
        Rows imported per table.

    Raises:
        ValueError: if ``data`` is not such an export (saying what is wrong), or memory
            is not empty and ``replace`` is False. Nothing is changed then.
    """
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ValueError(f"not a housemind memory export (its 'format' is not {EXPORT_FORMAT!r})")
    if data.get("version") != EXPORT_VERSION:
        raise ValueError(
            f"memory export version {data.get('version')!r} is not supported (this housemind "
            f"reads version {EXPORT_VERSION}); export it again with a matching housemind"
        )
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise ValueError("memory export has no 'tables' object")
    unknown = sorted(set(tables) - set(_TABLES))
    if unknown:
        raise ValueError(f"memory export has unknown tables: {', '.join(unknown)}")
    rows_by_table: dict[str, list[dict[str, Any]]] = {}
    for name, rows in tables.items():
        table = _TABLES[name]
        cols = {c.name: c for c in _columns(table)}
        if not isinstance(rows, list):
            raise ValueError(f"memory export: table {name!r} is not a list of rows")
        out = []
        for i, row in enumerate(rows):
            where = f"memory export, {name}[{i}]"
            if not isinstance(row, dict):
                raise ValueError(f"{where}: a row must be an object")
            extra = set(row) - set(cols)
            if extra:
                raise ValueError(f"{where}: unknown columns {', '.join(sorted(extra))}")
            out.append({k: _load(v, cols[k], where) for k, v in row.items()})
        rows_by_table[name] = out
    counts: dict[str, int] = {}
    with db.session() as s:
        if replace:
            for table in reversed(list(_TABLES.values())):
                s.execute(delete(table))
        else:
            held = {
                name: s.scalar(select(func.count()).select_from(table)) or 0
                for name, table in _TABLES.items()
            }
            busy = {k: v for k, v in held.items() if v}
            if busy:
                raise ValueError(
                    "memory is not empty ("
                    + ", ".join(f"{v} {k}" for k, v in busy.items())
                    + "); import into a new database, or pass replace=True (--replace) to "
                    "overwrite it"
                )
        for name, rows in rows_by_table.items():
            if rows:
                s.execute(insert(_TABLES[name]), rows)
            counts[name] = len(rows)
    return counts
