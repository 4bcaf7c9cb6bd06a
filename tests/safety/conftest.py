from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from housemind.memory.models import Base
from housemind.safety import AuditLog, SafetyMonitor, load_rulebook
from housemind.scheduler.clock import SimClock


@pytest.fixture(scope="session")
def rulebook():
    return load_rulebook()


@pytest.fixture
def monitor(rulebook):
    return SafetyMonitor(rulebook)


@pytest.fixture(scope="module")
def words_monitor():
    """A monitor whose judges read words only (no sentence model): fast and exact.

    Module-scoped: the setting is undone after the module, so later modules keep theirs.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOUSEMIND_SAFETY_EMBEDDINGS", "0")
        yield SafetyMonitor()


@pytest.fixture
def clock():
    return SimClock(datetime(2025, 3, 4, 18, 0), tz="Europe/Berlin")


@pytest.fixture
def sessions(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    Base.metadata.create_all(engine)
    yield sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def audit(sessions, clock):
    return AuditLog(sessions, clock)
