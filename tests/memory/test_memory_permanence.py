from __future__ import annotations

from datetime import timedelta

import pytest
from memfakes import at, fixture, obj
from PIL import Image

from housemind.memory import Memory
from housemind.memory.spatial import half_life_h, p_still_there


@pytest.fixture
def home(mem: Memory) -> Memory:
    sp = mem.spatial
    sp.register_room("kitchen", [0, 0, 4, 3])
    sp.register_room("living_room", [4, 0, 9, 5])
    sp.observe(
        [
            fixture("table", "kitchen"),
            fixture("counter", "kitchen"),
            obj("mug", "kitchen", ("on", "table"), x=1.0, y=1.0),
            obj("plant", "living_room", ("on", "shelf"), x=5.0, y=1.0),
        ],
        at(0),
        "kitchen",
    )
    sp.observe([obj("mug", "kitchen", ("on", "counter"))], at(60), "kitchen")
    sp.observe([obj("mug", "kitchen", ("on", "table"))], at(120), "kitchen")
    sp.observe([obj("toy", "living_room", x=3.2, y=4.1)], at(130), "living_room")
    return mem


def test_still_there_decays_with_kind_mobility(home: Memory) -> None:
    mug = home.spatial.last_seen("mug")
    plant = home.spatial.last_seen("plant")
    assert half_life_h("mug") < half_life_h("plant")
    assert p_still_there(mug, mug.time) == pytest.approx(1.0)
    later = mug.time + timedelta(hours=half_life_h("mug"))
    assert p_still_there(mug, later) == pytest.approx(0.5)
    assert p_still_there(plant, later) > 0.99
    assert p_still_there(mug, later + timedelta(days=2)) < 0.01


def test_belief_spreads_over_habits_and_drops_missing_place(home: Memory) -> None:
    sp = home.spatial
    now = at(130)
    b = sp.belief("mug", now)
    assert b[0].place == "table" and b[0].reason == "last_seen" and b[0].probability > 0.9
    assert "counter" in [x.place for x in b]
    assert sum(x.probability for x in b) <= 1.0 + 1e-9
    # Two days later the sighting says little; habits decide (table 2x, counter 1x).
    far = {x.place: x.probability for x in sp.belief("mug", at(2 * 1440))}
    assert 0.4 < far["table"] < 0.7 and 0.2 < far["counter"] < 0.4
    assert sum(far.values()) < 0.85
    # Looked at the table and the mug was not there: the counter ranks first.
    sp.observe([fixture("table", "kitchen")], at(200), "kitchen")
    b = sp.belief("mug", at(201))
    assert b[0].place == "counter"
    assert [x for x in b if x.place == "table"][0].probability < 0.05
    assert sp.ranked_search("mug", at(201))[0] == "counter"


def test_ranked_search_prefers_fresh_last_place(home: Memory) -> None:
    r = home.spatial.ranked_search("mug", at(121))
    assert r[:2] == ["table", "counter"]
    assert set(home.spatial.search_candidates("mug")) <= set(r)


def test_scene_graph_and_relations(home: Memory) -> None:
    sp = home.spatial
    sp.register_fixture(name="sofa", kind="sofa", room="living_room", x=3.5, y=4.0)
    edges = sp.relations(at(130))
    triples = {(e["subject"], e["relation"], e["object"]) for e in edges}
    assert ("kitchen", "in", "home") in triples
    assert ("table", "in", "kitchen") in triples
    assert ("mug", "on", "table") in triples
    assert ("toy", "in", "living_room") in triples
    assert ("toy", "near", "sofa") in triples
    mug = next(e for e in edges if e["subject"] == "mug")
    assert 0.0 < mug["p"] <= 1.0 and mug["missing"] is False
    g = sp.scene_graph(at(130))
    assert g["name"] == "home"
    kitchen = next(r for r in g["rooms"] if r["name"] == "kitchen")
    table = next(f for f in kitchen["fixtures"] if f["name"] == "table")
    assert [o["name"] for o in table["objects"]] == ["mug"]
    living = next(r for r in g["rooms"] if r["name"] == "living_room")
    assert [(o["name"], o.get("near")) for o in living["objects"]] == [("toy", "sofa")]


def test_render_belief_map_writes_a_png(home: Memory, tmp_path) -> None:
    home.spatial.observe([fixture("table", "kitchen")], at(200), "kitchen")  # mug missing
    out = home.spatial.render_belief_map(tmp_path / "map.png", at(210))
    img = Image.open(out)
    assert img.format == "PNG" and img.size[0] > 300 and img.size[1] > 200
    assert len(img.convert("RGB").getcolors(1 << 20)) > 5  # rooms, fixtures, dots, text


def test_register_room_validates(mem: Memory) -> None:
    with pytest.raises(ValueError, match="x0, y0, x1, y1"):
        mem.spatial.register_room("kitchen", [3, 0, 1, 2])
    with pytest.raises(ValueError, match="nothing to draw"):
        Memory.open("sqlite://").spatial.render_belief_map("/tmp/never.png")


def test_not_seeing_an_object_moments_after_seeing_it_is_no_evidence(mem: Memory) -> None:
    sp = mem.spatial
    sp.observe([fixture("counter", "kitchen"), obj("sponge", "kitchen", ("on", "counter"))], at(0))
    sp.observe([fixture("counter", "kitchen")], at(0.2))  # the camera turned away
    assert not sp.last_seen("sponge").missing
    sp.observe([fixture("counter", "kitchen")], at(5))
    assert sp.last_seen("sponge").missing


def test_view_cone_limits_negative_evidence(mem: Memory) -> None:
    from housemind.memory import ViewCone

    sp = mem.spatial
    sp.observe(
        [fixture("counter", "kitchen"), obj("sponge", "kitchen", ("on", "counter"), x=1, y=0)],
        at(0),
    )
    away = ViewCone(x=0, y=0, heading=3.14, half_fov=0.6, range=6)  # looking the other way
    sp.observe([fixture("counter", "kitchen")], at(5), view=away)
    assert not sp.last_seen("sponge").missing
    toward = ViewCone(x=0, y=0, heading=0.0, half_fov=0.6, range=6)
    sp.observe([fixture("counter", "kitchen")], at(6), view=toward)
    assert sp.last_seen("sponge").missing
    assert toward.contains(5.9, 0.1) and not toward.contains(7, 0) and toward.contains(None, 1)
