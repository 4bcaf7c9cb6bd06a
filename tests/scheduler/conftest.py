from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from housemind.memory.models import Base
from housemind.scheduler import ChoreScheduler, InstructionStore, SimClock, TaskQueue

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'housemind.db'}"
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def session_factory(db_url: str):
    engine = create_engine(db_url)
    yield sessionmaker(bind=engine)
    engine.dispose()


@pytest.fixture
def clock() -> SimClock:
    return SimClock(datetime(2025, 10, 20, 8, 0), tz="Europe/Berlin")  # a Monday


@pytest.fixture
def store(session_factory, clock) -> InstructionStore:
    return InstructionStore(session_factory, clock)


@pytest.fixture
def queue(session_factory) -> TaskQueue:
    return TaskQueue(session_factory)


@pytest.fixture
def chores(store, queue, clock) -> ChoreScheduler:
    return ChoreScheduler(store, queue, clock)
