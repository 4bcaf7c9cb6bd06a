from __future__ import annotations

import json

import pytest
from memfakes import HashEmbedder, at, fixture, obj
from typer.testing import CliRunner

from housemind.memory import EmbeddingSearcher, Memory


def _fill(m: Memory) -> None:
    sp, ep, sy = m.spatial, m.episodic, m.symbolic
    sp.register_room("kitchen", [0, 0, 4, 3])
    sp.observe(
        [fixture("fridge", "kitchen", open=True), obj("milk", "kitchen", ("in", "fridge"))],
        at(0),
        "kitchen",
    )
    sp.observe([obj("milk", "kitchen", ("on", "table"))], at(3000), "kitchen")
    sp.compact(at(2000))
    ep.record("task", "cooked dinner", at(10), place="kitchen", data={"ok": True})
    ep.record("chat", "alex asked for tea", at(20))
    sy.add_item("shopping", "eggs", "6", added_by="alex", when=at(5))
    sy.tell("alex", "likes", "tea", kind="preference", told_by="alex", valid_from=at(1))


def _tables(export: dict) -> dict:
    return export["tables"]


def test_export_import_round_trip(db_url: str, tmp_path) -> None:
    m = Memory.open(db_url, semantic=False)
    m2 = None
    try:
        _fill(m)
        data = json.loads(json.dumps(m.export_json()))  # really JSON
        assert data["format"] == "housemind-memory" and data["version"] == 1
        assert len(data["tables"]["events"]) == 2
        assert len(data["tables"]["observation_days"]) == 1
        m2 = Memory.open(f"sqlite:///{tmp_path / 'copy.db'}")
        counts = m2.import_json(data)
        assert counts["events"] == 2 and counts["observations"] == 1
        assert _tables(m2.export_json()) == _tables(data)
        assert m2.spatial.last_seen("milk").place == "table"
        assert m2.symbolic.items("shopping")[0].text() == "eggs (6)"
        assert m2.symbolic.facts("alex", at=at(2))[0].value == "tea"
        assert m2.episodic.latest_matching("cook dinner").data == {"ok": True}
        with pytest.raises(ValueError, match="not empty"):
            m2.import_json(data)
        m2.import_json(data, replace=True)
        assert m2.episodic.count() == 2
    finally:
        m.close()
        if m2 is not None:
            m2.close()


def test_embeddings_travel_and_the_index_follows(tmp_path) -> None:
    emb = HashEmbedder()
    m = Memory.open(f"sqlite:///{tmp_path / 'a.db'}")
    m.episodic = type(m.episodic)(m.db, EmbeddingSearcher(emb, min_score=0.2))
    _fill(m)
    data = m.export_json()
    assert all(e["embedding"] for e in data["tables"]["events"])
    dst = Memory.open(f"sqlite:///{tmp_path / 'b.db'}")
    dst.episodic = type(dst.episodic)(dst.db, EmbeddingSearcher(emb, min_score=0.2))
    assert dst.episodic.search("tea") == []
    before = emb.texts
    dst.import_json(data)
    assert dst.episodic.search("tea")[0].event.text == "alex asked for tea"
    assert emb.texts == before  # nothing re-embedded (and the query was cached)
    m.close()
    dst.close()


@pytest.mark.parametrize(
    ("data", "msg"),
    [
        ({"format": "other"}, "not a housemind memory export"),
        ({"format": "housemind-memory", "version": 99, "tables": {}}, "version 99"),
        ({"format": "housemind-memory", "version": 1, "tables": {"bogus": []}}, "unknown tables"),
        (
            {"format": "housemind-memory", "version": 1, "tables": {"events": [{"nope": 1}]}},
            r"events\[0\]: unknown columns nope",
        ),
        (
            {
                "format": "housemind-memory",
                "version": 1,
                "tables": {"events": [{"time": "yesterday", "kind": "x", "text": "y"}]},
            },
            "bad value 'yesterday'",
        ),
    ],
)
def test_import_rejects_malformed_exports(data: dict, msg: str) -> None:
    m = Memory.open("sqlite://")
    with pytest.raises(ValueError, match=msg):
        m.import_json(data)
    assert m.episodic.count() == 0
    m.close()


def test_cli_export_and_import(tmp_path) -> None:
    from housemind.agent.cli import app

    src = tmp_path / "home.db"
    m = Memory.open(f"sqlite:///{src}")
    _fill(m)
    m.close()
    runner = CliRunner()
    out = tmp_path / "mem.json"
    r = runner.invoke(app, ["memory", "export", "--db", str(src), "--out", str(out)])
    assert r.exit_code == 0, r.output
    dst = tmp_path / "new.db"
    r = runner.invoke(app, ["memory", "import", str(out), "--db", str(dst), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["events"] == 2
    r = runner.invoke(app, ["memory", "import", str(out), "--db", str(dst)])
    assert r.exit_code != 0 and "not empty" in " ".join(r.output.split())
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    r = runner.invoke(app, ["memory", "import", str(bad), "--db", str(dst)])
    assert r.exit_code != 0 and "not a JSON memory export" in " ".join(r.output.split())
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    r = runner.invoke(app, ["memory", "export", "--db", str(junk), "--out", str(out)])
    assert r.exit_code != 0 and "not a SQLite database" in " ".join(r.output.split())
