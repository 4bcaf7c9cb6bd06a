"""Spatial memory: rooms, fixtures, and where each object was last seen.

The robot only sees part of the home at a time, so memory is a belief: every object keeps
its last sighting, and a sighting turns into "missing" when the robot looks at the place
and the object is not there (negative evidence). :meth:`SpatialMemory.search_candidates`
turns that belief plus a small prior into a ranked list of places to look.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from memory._util import require_aware
from memory.db import Database
from memory.models import ObjectRecord, Place, Sighting

if TYPE_CHECKING:
    from skills.types import Detection

__all__ = ["FIXTURE_FLAGS", "KIND_PRIORS", "ObjectSighting", "SpatialMemory"]

logger = logging.getLogger(__name__)

#: Where objects of a kind usually are, most likely first: fixture kinds, or ``"floor"``
#: for the floor of a room. A prior only; what the robot has seen in this home ranks first.
KIND_PRIORS: dict[str, tuple[str, ...]] = {
    "milk": ("fridge",),
    "juice": ("fridge",),
    "butter": ("fridge",),
    "cheese": ("fridge",),
    "eggs": ("fridge",),
    "apple": ("fruit_bowl", "counter", "fridge", "table"),
    "bread": ("counter", "cabinet", "table"),
    "mug": ("cabinet", "sink", "table", "counter", "dishwasher"),
    "cup": ("cabinet", "sink", "table", "counter", "dishwasher"),
    "glass": ("cabinet", "sink", "table", "counter", "dishwasher"),
    "plate": ("cabinet", "sink", "table", "counter", "dishwasher"),
    "bowl": ("cabinet", "sink", "table", "counter", "dishwasher"),
    "pot": ("stove", "cabinet", "sink", "counter"),
    "pan": ("stove", "cabinet", "sink", "counter"),
    "keys": ("shelf", "table", "coffee_table", "counter", "desk"),
    "wallet": ("shelf", "table", "coffee_table", "desk"),
    "phone": ("coffee_table", "desk", "table", "nightstand", "sofa"),
    "remote": ("coffee_table", "sofa", "tv_stand"),
    "book": ("shelf", "bookshelf", "desk", "nightstand", "coffee_table"),
    "glasses": ("nightstand", "desk", "coffee_table", "table"),
    "shirt": ("laundry_basket", "bed", "sofa", "wardrobe"),
    "sock": ("laundry_basket", "floor", "bed"),
    "towel": ("laundry_basket", "rack", "bathtub"),
    "laundry": ("laundry_basket", "washing_machine"),
    "toy": ("shelf", "floor", "toy_box", "sofa"),
    "ball": ("floor", "toy_box", "shelf"),
    "plant": ("shelf", "table", "windowsill"),
    "trash": ("trash_can",),
}

#: Fixture capability flags, as in ``agent.planners.FixtureInfo``.
FIXTURE_FLAGS = ("openable", "switchable", "container", "surface")


class ObjectSighting(BaseModel):
    """Where an object was last seen.

    Attributes:
        name: Object instance name.
        kind: Object kind.
        place: Fixture it was on/in, or the room when it was on the floor.
        relation: ``"on"``, ``"in"``, or None (on the floor).
        room: Room of the sighting.
        x: World x (m) at the sighting.
        y: World y (m) at the sighting.
        time: When it was last seen.
        missing: True when the robot later looked at ``place`` and did not see it.
        missing_since: When it was first found missing.
        seen_count: How many observations included it.
        state: Observed state flags (``{"dirty": True}``).
    """

    name: str
    kind: str
    place: str | None
    relation: str | None
    room: str | None
    x: float | None = None
    y: float | None = None
    time: datetime | None
    missing: bool = False
    missing_since: datetime | None = None
    seen_count: int = 0
    state: dict[str, Any] = {}

    @classmethod
    def from_record(cls, r: ObjectRecord) -> ObjectSighting:
        """Build from an ``objects`` row."""
        return cls(
            name=r.name,
            kind=r.kind,
            place=r.place,
            relation=r.relation,
            room=r.room,
            x=r.x,
            y=r.y,
            time=r.last_seen_at,
            missing=r.missing_since is not None,
            missing_since=r.missing_since,
            seen_count=r.seen_count,
            state=dict(r.state or {}),
        )

    def describe(self) -> str:
        """Short phrase such as ``"in the fridge (kitchen)"`` or ``"on the floor of the hall"``."""
        if self.place is None:
            return "somewhere unknown"
        if self.relation is None:
            return f"on the floor of the {_words(self.place)}"
        where = f"{self.relation} the {_words(self.place)}"
        return f"{where} ({_words(self.room)})" if self.room else where


def _words(name: str | None) -> str:
    return (name or "").replace("_", " ")


def _fixture_view(p: Place) -> dict[str, Any]:
    props = p.props or {}
    out: dict[str, Any] = {"name": p.name, "kind": p.kind, "room": p.room or ""}
    for flag in FIXTURE_FLAGS:
        out[flag] = bool(props.get(flag, False))
    return out


class SpatialMemory:
    """The home's scene graph as the robot believes it: rooms, fixtures and objects.

    Args:
        db: The database (already opened/migrated).
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- writing ---------------------------------------------------------------------

    def register_fixture(
        self, info: Mapping[str, Any] | BaseModel | None = None, /, **kwargs: Any
    ) -> None:
        """Record static knowledge of a fixture (from a map or a person), e.g. that it opens.

        Accepts a ``FixtureInfo``, a dict with the same keys, or keyword arguments: ``name``,
        ``kind``, ``room`` and optionally ``openable``, ``switchable``, ``container``,
        ``surface``, ``x``, ``y``. Registered flags override what perception infers.

        Raises:
            ValueError: if ``name``, ``kind`` or ``room`` is missing.
        """
        data: dict[str, Any] = {}
        if isinstance(info, BaseModel):
            data.update(info.model_dump())
        elif info is not None:
            data.update(info)
        data.update(kwargs)
        missing = [k for k in ("name", "kind", "room") if not data.get(k)]
        if missing:
            raise ValueError(f"register_fixture needs {', '.join(missing)}; got {data!r}")
        with self.db.session() as s:
            places = _load_places(s, [data["name"], data["room"]])
            _upsert_room(s, places, data["room"])
            p = places.get(data["name"])
            if p is None:
                p = Place(name=data["name"], kind=data["kind"], room=data["room"], props={})
                s.add(p)
                places[p.name] = p
            p.kind, p.room = data["kind"], data["room"]
            if data.get("x") is not None:
                p.x, p.y = float(data["x"]), float(data["y"])
            props = dict(p.props or {})
            for flag in FIXTURE_FLAGS:
                if flag in data and data[flag] is not None:
                    props[flag] = bool(data[flag])
            props["registered"] = True
            p.props = props

    def observe(
        self, detections: Iterable[Detection], when: datetime, robot_room: str | None = None
    ) -> None:
        """Fold one observation into memory.

        Fixtures and rooms are upserted into ``places``; objects get their place, position,
        state and ``last_seen_at`` updated. An object believed to be at a fixture that is in
        view now (and open, when it is an openable container the object is *in*) but not
        detected is marked missing; its last sighting is kept. People and pets are ignored.

        Args:
            detections: What is in view (``skills.types.Detection``).
            when: Time of the observation (timezone-aware).
            robot_room: Room the robot is in; marks the room as explored.
        """
        require_aware(when, "observation time")
        detections = list(detections)
        fixtures = [d for d in detections if d.category == "fixture"]
        objects = [d for d in detections if d.category == "object"]
        rooms = {d.room for d in detections if d.room}
        if robot_room:
            rooms.add(robot_room)
        # Relations tell us capabilities perception cannot see directly.
        contains = {d.relation[1] for d in objects if d.relation and d.relation[0] == "in"}
        supports = {d.relation[1] for d in objects if d.relation and d.relation[0] == "on"}

        with self.db.session() as s:
            places = _load_places(s, [*rooms, *(d.name for d in fixtures), *contains, *supports])
            for room in rooms:
                r = _upsert_room(s, places, room)
                if room == robot_room and _newer(when, r.last_seen_at):
                    r.last_seen_at = when
            for d in fixtures:
                self._upsert_fixture(s, places, d, when, d.name in contains, d.name in supports)
            for name in contains | supports:
                p = places.get(name)
                if p is not None and p.kind != "room":
                    props = dict(p.props or {})
                    flag = "container" if name in contains else "surface"
                    props.setdefault(flag, True)
                    p.props = props

            seen = {d.name for d in objects}
            visible = {d.name: d for d in fixtures}
            q = select(ObjectRecord).where(
                (ObjectRecord.name.in_(seen)) | (ObjectRecord.place.in_(list(visible)))
            )
            records = {r.name: r for r in s.scalars(q)}
            sightings = {
                (sg.object, sg.place): sg
                for sg in s.scalars(select(Sighting).where(Sighting.object.in_(seen)))
            }
            for d in objects:
                self._upsert_object(s, records, sightings, d, when)
            for r in records.values():
                if r.name in seen or r.missing_since is not None or r.place not in visible:
                    continue
                if not _newer(when, r.last_seen_at):
                    continue
                if _can_see_inside(visible[r.place], places.get(r.place), r.relation):
                    r.missing_since = when

    def _upsert_fixture(
        self,
        s: Session,
        places: dict[str, Place],
        d: Detection,
        when: datetime,
        contains: bool,
        supports: bool,
    ) -> None:
        p = places.get(d.name)
        if p is None:
            p = Place(name=d.name, kind=d.kind, room=d.room, props={})
            s.add(p)
            places[d.name] = p
        if p.kind == "room":
            # Place names are unique across rooms and fixtures; never turn a room into one.
            logger.warning("fixture %r has the name of a room; ignoring it", d.name)
            return
        if not _newer(when, p.last_seen_at):
            return
        p.kind, p.room = d.kind, d.room
        p.x, p.y = float(d.position[0]), float(d.position[1])
        p.last_seen_at = when
        props = dict(p.props or {})
        # A fixture that reports open/closed opens; one that reports on/off switches.
        if "open" in d.state:
            props.setdefault("openable", True)
        if "on" in d.state:
            props.setdefault("switchable", True)
        if contains:
            props.setdefault("container", True)
        if supports:
            props.setdefault("surface", True)
        props["state"] = dict(d.state)
        p.props = props

    def _upsert_object(
        self,
        s: Session,
        records: dict[str, ObjectRecord],
        sightings: dict[tuple[str, str], Sighting],
        d: Detection,
        when: datetime,
    ) -> None:
        r = records.get(d.name)
        if r is None:
            r = ObjectRecord(name=d.name, kind=d.kind, state={}, seen_count=0)
            s.add(r)
            records[d.name] = r
        relation, place = d.relation if d.relation else (None, d.room)
        r.seen_count = (r.seen_count or 0) + 1
        if _newer(when, r.last_seen_at):
            r.kind, r.place, r.relation, r.room = d.kind, place, relation, d.room
            r.x, r.y = float(d.position[0]), float(d.position[1])
            r.state = dict(d.state)
            r.last_seen_at = when
            r.missing_since = None
        if place:
            sg = sightings.get((d.name, place))
            if sg is None:
                sg = Sighting(
                    object=d.name,
                    kind=d.kind,
                    place=place,
                    count=0,
                    first_seen_at=when,
                    last_seen_at=when,
                )
                s.add(sg)
                sightings[(d.name, place)] = sg
            sg.count = (sg.count or 0) + 1
            sg.relation, sg.room, sg.kind = relation, d.room, d.kind
            if when > sg.last_seen_at:
                sg.last_seen_at = when

    def forget_object(self, name: str) -> bool:
        """Delete an object and its history (e.g. it was thrown away). True if it existed."""
        with self.db.session() as s:
            r = s.scalars(select(ObjectRecord).where(ObjectRecord.name == name)).one_or_none()
            for sg in s.scalars(select(Sighting).where(Sighting.object == name)):
                s.delete(sg)
            if r is None:
                return False
            s.delete(r)
            return True

    # --- queries ---------------------------------------------------------------------

    def last_seen(self, name: str) -> ObjectSighting | None:
        """Where ``name`` was last seen.

        ``name`` is an object name; when no object has that name, the most recently seen
        object of that *kind* answers (``"keys"`` finds ``"car_keys"`` of kind ``keys``).
        """
        with self.db.session() as s:
            r = s.scalars(select(ObjectRecord).where(ObjectRecord.name == name)).one_or_none()
            if r is None:
                r = s.scalars(
                    select(ObjectRecord)
                    .where(ObjectRecord.kind == name)
                    .order_by(ObjectRecord.last_seen_at.desc())
                    .limit(1)
                ).first()
            return ObjectSighting.from_record(r) if r is not None else None

    def objects_at(self, place_or_room: str) -> list[ObjectSighting]:
        """Objects believed to be at a fixture, or on the floor of a room (missing included)."""
        return self._objects(ObjectRecord.place == place_or_room)

    def objects_in_room(self, room: str) -> list[ObjectSighting]:
        """Objects last seen anywhere in ``room``."""
        return self._objects(ObjectRecord.room == room)

    def known_objects(self) -> list[ObjectSighting]:
        """Every object memory knows, by name."""
        return self._objects(None)

    def _objects(self, where: Any) -> list[ObjectSighting]:
        q = select(ObjectRecord).order_by(ObjectRecord.name)
        if where is not None:
            q = q.where(where)
        with self.db.session() as s:
            return [ObjectSighting.from_record(r) for r in s.scalars(q)]

    def rooms(self) -> list[str]:
        """Known rooms, by name."""
        with self.db.session() as s:
            return list(
                s.scalars(select(Place.name).where(Place.kind == "room").order_by(Place.name))
            )

    def explored_rooms(self) -> list[str]:
        """Rooms the robot has been in."""
        with self.db.session() as s:
            q = select(Place.name).where(Place.kind == "room", Place.last_seen_at.is_not(None))
            return sorted(s.scalars(q))

    def fixtures(self) -> dict[str, dict[str, Any]]:
        """Known fixtures as ``FixtureInfo``-compatible dicts, by name."""
        with self.db.session() as s:
            q = select(Place).where(Place.kind != "room").order_by(Place.name)
            return {p.name: _fixture_view(p) for p in s.scalars(q)}

    def fixture_state(self, name: str) -> dict[str, Any]:
        """Last observed state flags of a fixture (``{"open": False}``), empty if unknown."""
        with self.db.session() as s:
            p = s.scalars(select(Place).where(Place.name == name)).one_or_none()
            return dict((p.props or {}).get("state", {})) if p is not None else {}

    def search_candidates(
        self, name: str, kind: str | None = None, rooms: list[str] | None = None
    ) -> list[str]:
        """Places to look for an object, most promising first.

        Order: the last-seen place unless it was found missing there; other places this
        object has been seen (most often first); fixtures where objects of its kind have
        been seen in this home, then fixtures of the kinds in :data:`KIND_PRIORS` (``"floor"``
        means the room); rooms not explored yet; last, the place it went missing from.

        Args:
            name: Object name.
            kind: Object kind, when the object is not known yet (else taken from memory).
            rooms: All rooms of the home as the caller knows them; unexplored ones are
                suggested. Defaults to the rooms memory knows.

        Returns:
            Place names (fixtures or rooms), without duplicates.
        """
        out: list[str] = []

        def add(place: str | None) -> None:
            if place and place not in out:
                out.append(place)

        with self.db.session() as s:
            r = s.scalars(select(ObjectRecord).where(ObjectRecord.name == name)).one_or_none()
            kind = kind or (r.kind if r is not None else name)
            missing_at = r.place if r is not None and r.missing_since is not None else None
            if r is not None and missing_at is None:
                add(r.place)
            own = s.scalars(
                select(Sighting)
                .where(Sighting.object == name)
                .order_by(Sighting.count.desc(), Sighting.last_seen_at.desc())
            )
            for sg in own:
                if sg.place != missing_at:
                    add(sg.place)
            learned = s.scalars(
                select(Sighting)
                .where(Sighting.kind == kind, Sighting.object != name)
                .order_by(Sighting.count.desc(), Sighting.last_seen_at.desc())
            )
            for sg in learned:
                if sg.place != missing_at:
                    add(sg.place)
            all_places = list(s.scalars(select(Place).order_by(Place.name)))
            fixtures_by_kind: dict[str, list[Place]] = {}
            for p in all_places:
                if p.kind != "room":
                    fixtures_by_kind.setdefault(p.kind, []).append(p)
            for fixture_kind in _prior(kind):
                if fixture_kind == "floor":
                    continue
                for p in fixtures_by_kind.get(fixture_kind, []):
                    if p.name != missing_at:
                        add(p.name)
            explored = {p.name for p in all_places if p.kind == "room" and p.last_seen_at}
            known_rooms = [p.name for p in all_places if p.kind == "room"]
            for room in rooms if rooms is not None else known_rooms:
                if room not in explored:
                    add(room)
            if "floor" in _prior(kind):
                for room in rooms if rooms is not None else known_rooms:
                    if room != missing_at:
                        add(room)
            add(missing_at)
        return out


def _prior(kind: str) -> tuple[str, ...]:
    k = kind.lower().strip()
    for key in (k, k.rstrip("s"), k + "s", k.rsplit("_", 1)[0]):
        if key in KIND_PRIORS:
            return KIND_PRIORS[key]
    return ()


def _load_places(s: Session, names: Iterable[str]) -> dict[str, Place]:
    names = list({n for n in names if n})
    if not names:
        return {}
    return {p.name: p for p in s.scalars(select(Place).where(Place.name.in_(names)))}


def _upsert_room(s: Session, places: dict[str, Place], room: str) -> Place:
    p = places.get(room)
    if p is None:
        p = Place(name=room, kind="room", room=None, props={})
        s.add(p)
        places[room] = p
    return p


def _newer(when: datetime, than: datetime | None) -> bool:
    # Observations can arrive late (a replayed log, a slow perception thread); an older one
    # must not overwrite a newer belief.
    return than is None or when >= than


def _can_see_inside(d: Detection, place: Place | None, relation: str | None) -> bool:
    if relation != "in":
        return True
    if "open" in d.state:
        return bool(d.state["open"])
    # An openable container whose door state is unknown may be closed: no evidence.
    return not (place is not None and (place.props or {}).get("openable"))
