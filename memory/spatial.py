"""Spatial memory: rooms, fixtures, and where each object was last seen.

The robot only sees part of the home at a time, so memory is a belief: every object keeps
its last sighting, and a sighting turns into "missing" when the robot looks at the place
and the object is not there (negative evidence). :meth:`SpatialMemory.search_candidates`
turns that belief plus a small prior into a ranked list of places to look.

Object permanence is a probability: :meth:`SpatialMemory.belief` says how likely an
object still is where it was last seen (halving every :data:`MOBILITY_HALF_LIFE_H` hours
for its kind) and spreads the rest over its habitual places, the places objects of its
kind are seen in this home, and the kind's prior. Every sighting is also appended to a
raw log (``observations``); :meth:`SpatialMemory.compact` folds old rows into per-day
counts so months of operation stay small.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from housemind.memory._util import require_aware
from housemind.memory.db import Database
from housemind.memory.models import ObjectRecord, ObservationDay, ObservationRecord, Place, Sighting

if TYPE_CHECKING:
    from housemind.skills.types import Detection

__all__ = [
    "FIXTURE_FLAGS",
    "KIND_PRIORS",
    "MOBILITY_HALF_LIFE_H",
    "CompactionReport",
    "ObjectSighting",
    "PlaceBelief",
    "SpatialMemory",
    "ViewCone",
]

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

#: Hours after which an unseen object of a kind is as likely moved as not. Things people
#: carry about (keys, phones, mugs) move within hours; furniture-like things (plants,
#: books on a shelf) stay for weeks. Unknown kinds use ``"*"``.
MOBILITY_HALF_LIFE_H: dict[str, float] = {
    "keys": 6.0,
    "wallet": 8.0,
    "phone": 3.0,
    "glasses": 8.0,
    "remote": 12.0,
    "mug": 6.0,
    "cup": 6.0,
    "glass": 6.0,
    "plate": 8.0,
    "bowl": 8.0,
    "pot": 24.0,
    "pan": 24.0,
    "milk": 48.0,
    "juice": 72.0,
    "butter": 96.0,
    "cheese": 96.0,
    "eggs": 96.0,
    "apple": 48.0,
    "bread": 48.0,
    "toy": 12.0,
    "ball": 12.0,
    "book": 24.0 * 7,
    "shirt": 24.0,
    "sock": 24.0,
    "towel": 48.0,
    "laundry": 24.0,
    "plant": 24.0 * 60,
    "trash": 48.0,
    "*": 24.0,
}

# Probability that an object is still at a place where the robot looked and did not see it.
_P_MISSING = 0.02
#: Seconds after a sighting during which not seeing an object is no evidence it moved.
MISSING_DEBOUNCE_S = 30.0

# Of the belief that an object moved, the part left for places memory cannot name.
_P_ELSEWHERE = 0.2

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
        """Build from an ``objects`` row (ORM or Core; its columns are already typed)."""
        # No validation: the row's types are the columns' (the planner and the safety gate
        # read every object after every subtask; validating them was most of the cost).
        return cls.model_construct(
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


class ViewCone(BaseModel):
    """The camera's field of view: a cone from ``(x, y)`` along ``heading``.

    Attributes:
        x: Camera x (m).
        y: Camera y (m).
        heading: Viewing direction (rad, world frame).
        half_fov: Half the horizontal field of view (rad).
        range: How far objects are detected (m).
    """

    x: float
    y: float
    heading: float
    half_fov: float
    range: float

    def contains(self, px: float | None, py: float | None) -> bool:
        """Whether point ``(px, py)`` is inside the cone (unknown points count as inside)."""
        if px is None or py is None:
            return True
        dx, dy = px - self.x, py - self.y
        d = math.hypot(dx, dy)
        if d > self.range:
            return False
        if d < 1e-9:
            return True
        off = math.atan2(dy, dx) - self.heading
        off = (off + math.pi) % (2 * math.pi) - math.pi
        return abs(off) <= self.half_fov


class PlaceBelief(BaseModel):
    """How likely an object is at one place now.

    Attributes:
        place: Fixture or room.
        probability: Belief in ``[0, 1]``; the beliefs of one object sum to at most 1.
        reason: ``last_seen``, ``habit`` (seen there before), ``kind`` (objects of its
            kind are seen there in this home) or ``prior`` (where such things usually are).
        room: Room of the place, when known.
    """

    place: str
    probability: float
    reason: str
    room: str | None = None


class CompactionReport(BaseModel):
    """What :meth:`SpatialMemory.compact` did.

    Attributes:
        observations_compacted: Raw observation rows folded into per-day counts and deleted.
        days_written: Per-day rows created or updated.
        observations_kept: Raw rows left (newer than the cut-off).
    """

    observations_compacted: int
    days_written: int
    observations_kept: int


def half_life_h(kind: str) -> float:
    """Mobility half-life (hours) for objects of ``kind``; see :data:`MOBILITY_HALF_LIFE_H`."""
    k = kind.lower().strip()
    for key in (k, k.rstrip("s"), k + "s", k.rsplit("_", 1)[0]):
        if key in MOBILITY_HALF_LIFE_H:
            return MOBILITY_HALF_LIFE_H[key]
    return MOBILITY_HALF_LIFE_H["*"]


def p_still_there(o: ObjectSighting, now: datetime) -> float:
    """Probability that ``o`` is still where it was last seen at ``now``."""
    if o.time is None or o.place is None:
        return 0.0
    if o.missing:
        return _P_MISSING
    hours = max(0.0, (now - o.time).total_seconds() / 3600.0)
    return math.pow(0.5, hours / half_life_h(o.kind))


def _words(name: str | None) -> str:
    return (name or "").replace("_", " ")


def _fixture_view(p: Any) -> dict[str, Any]:
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
        self,
        detections: Iterable[Detection],
        when: datetime,
        robot_room: str | None = None,
        *,
        view: ViewCone | None = None,
    ) -> None:
        """Fold one observation into memory.

        Fixtures and rooms are upserted into ``places``; objects get their place, position,
        state and ``last_seen_at`` updated. An object believed to be at a fixture that is in
        view now (and open, when it is an openable container the object is *in*) but not
        detected is marked missing; its last sighting is kept. People and pets are ignored.

        Seeing part of a long counter does not show all of it, so negative evidence is
        weighed: never within :data:`MISSING_DEBOUNCE_S` of a sighting (the camera turned,
        the object did not move), and, given ``view``, only for objects whose last position
        lies inside the camera's cone.

        Args:
            detections: What is in view (``skills.types.Detection``).
            when: Time of the observation (timezone-aware).
            robot_room: Room the robot is in; marks the room as explored.
            view: The camera's field of view at ``when``, when known.
        """
        self.observe_many([(detections, when, robot_room, view)])

    def observe_many(
        self,
        observations: Iterable[
            tuple[Iterable[Detection], datetime, str | None]
            | tuple[Iterable[Detection], datetime, str | None, ViewCone | None]
        ],
    ) -> int:
        """Fold many observations into memory in one transaction; see :meth:`observe`.

        Rows loaded for one observation are reused by the next, and the raw sightings are
        written with one multi-row insert, so a batch costs far less than one call each.

        Args:
            observations: ``(detections, when, robot_room)`` or ``(detections, when,
                robot_room, view)`` tuples, oldest first.

        Returns:
            How many object sightings were logged.
        """
        batch = [
            (
                list(o[0]),
                require_aware(o[1], "observation time"),
                o[2],
                o[3] if len(o) > 3 else None,
            )
            for o in observations
        ]
        log: list[dict[str, Any]] = []
        with self.db.session() as s, s.no_autoflush:
            cache = _BatchCache()
            for detections, when, robot_room, view in batch:
                self._fold(s, cache, detections, when, robot_room, log, view)
            if log:
                s.execute(insert(ObservationRecord), log)
        return len(log)

    def _fold(
        self,
        s: Session,
        cache: _BatchCache,
        detections: list[Detection],
        when: datetime,
        robot_room: str | None,
        log: list[dict[str, Any]],
        view: ViewCone | None = None,
    ) -> None:
        fixtures = [d for d in detections if d.category == "fixture"]
        objects = [d for d in detections if d.category == "object"]
        rooms = {d.room for d in detections if d.room}
        if robot_room:
            rooms.add(robot_room)
        # Relations tell us capabilities perception cannot see directly.
        contains = {d.relation[1] for d in objects if d.relation and d.relation[0] == "in"}
        supports = {d.relation[1] for d in objects if d.relation and d.relation[0] == "on"}

        places = cache.places
        wanted = {*rooms, *(d.name for d in fixtures), *contains, *supports} - places.keys()
        places.update(_load_places(s, wanted))
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
                if flag not in props:
                    props[flag] = True
                    p.props = props

        seen = {d.name for d in objects}
        visible = {d.name: d for d in fixtures}
        records = cache.records
        new_names = seen - records.keys()
        # Objects believed at a fixture loaded earlier in the batch are all in the cache
        # (it is authoritative for the batch), so only new fixtures need a query.
        new_places = [name for name in visible if name not in cache.loaded_places]
        cond = None
        if new_places:
            cond = ObjectRecord.place.in_(new_places)
        if new_names:
            by_name = ObjectRecord.name.in_(new_names)
            cond = by_name if cond is None else cond | by_name
        if cond is not None:
            for r in s.scalars(select(ObjectRecord).where(cond)):
                records.setdefault(r.name, r)
            cache.loaded_places.update(new_places)
        sightings = cache.sightings
        names = {d.name for d in objects} - cache.sighted
        if names:
            for sg in s.scalars(select(Sighting).where(Sighting.object.in_(names))):
                sightings.setdefault((sg.object, sg.place), sg)
            cache.sighted.update(names)
        for d in objects:
            self._upsert_object(s, records, sightings, d, when)
            log.append(_log_row(d, when))
        for r in records.values():
            if r.place not in visible or r.name in seen or r.missing_since is not None:
                continue
            # Seen moments ago: the view changed, not the object (and seen and not seen at
            # the same instant, the sighting wins).
            if (
                r.last_seen_at is not None
                and (when - r.last_seen_at).total_seconds() < MISSING_DEBOUNCE_S
            ):
                continue
            if view is not None and not view.contains(r.x, r.y):
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
        _assign(p, kind=d.kind, room=d.room)
        p.x, p.y = float(d.position[0]), float(d.position[1])
        p.last_seen_at = when
        old = p.props or {}
        props = dict(old)
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
        if props != old:  # a JSON write per sighting is most of what observing costs
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
            _assign(r, kind=d.kind, place=place, relation=relation, room=d.room)
            r.x, r.y = float(d.position[0]), float(d.position[1])
            if r.state != d.state:
                r.state = dict(d.state)
            r.last_seen_at = when
            if r.missing_since is not None:
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
            _assign(sg, relation=relation, room=d.room, kind=d.kind)
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
        # The planner asks this for every object it considers: Core rows on a pooled
        # connection cost a fraction of an ORM session.
        t = ObjectRecord.__table__
        with self.db.engine.connect() as conn:
            r = conn.execute(select(t).where(t.c.name == name)).first()
            if r is None:
                r = conn.execute(
                    select(t).where(t.c.kind == name).order_by(t.c.last_seen_at.desc()).limit(1)
                ).first()
        return ObjectSighting.from_record(r) if r is not None else None  # type: ignore[arg-type]

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
        t = ObjectRecord.__table__
        q = select(t).order_by(t.c.name)
        if where is not None:
            q = q.where(where)
        # Core rows on a pooled connection: a fraction of an ORM session's cost.
        with self.db.engine.connect() as conn:
            return [ObjectSighting.from_record(r) for r in conn.execute(q)]  # type: ignore[arg-type]

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
        t = Place.__table__
        q = select(t.c.name, t.c.kind, t.c.room, t.c.props).where(t.c.kind != "room")
        with self.db.engine.connect() as conn:
            return {r.name: _fixture_view(r) for r in conn.execute(q.order_by(t.c.name))}

    def fixture_states(self) -> dict[str, dict[str, Any]]:
        """Last observed state flags of every known fixture, by name (one query)."""
        t = Place.__table__
        q = select(t.c.name, t.c.props).where(t.c.kind != "room")
        with self.db.engine.connect() as conn:
            return {name: dict((props or {}).get("state", {})) for name, props in conn.execute(q)}

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
        return self.search_candidates_many({name: kind}, rooms)[name]

    def search_candidates_many(
        self, wanted: Mapping[str, str | None], rooms: list[str] | None = None
    ) -> dict[str, list[str]]:
        """:meth:`search_candidates` for many objects at once, in three queries.

        Args:
            wanted: Object name -> its kind when the object is not known yet (else None).
            rooms: As for :meth:`search_candidates`.

        Returns:
            Object name -> place names, most promising first.
        """
        if not wanted:
            return {}
        names = list(wanted)
        with self.db.session() as s:
            records = {
                r.name: r
                for r in s.scalars(select(ObjectRecord).where(ObjectRecord.name.in_(names)))
            }
            kinds = {n: wanted[n] or (records[n].kind if n in records else n) for n in names}
            sightings = list(
                s.scalars(
                    select(Sighting)
                    .where(or_(Sighting.object.in_(names), Sighting.kind.in_(set(kinds.values()))))
                    .order_by(Sighting.count.desc(), Sighting.last_seen_at.desc(), Sighting.id)
                )
            )
            all_places = list(s.scalars(select(Place).order_by(Place.name)))
            s.expunge_all()
        fixtures_by_kind: dict[str, list[Place]] = {}
        for p in all_places:
            if p.kind != "room":
                fixtures_by_kind.setdefault(p.kind, []).append(p)
        explored = {p.name for p in all_places if p.kind == "room" and p.last_seen_at}
        known_rooms = [p.name for p in all_places if p.kind == "room"]
        all_rooms = rooms if rooms is not None else known_rooms
        # The sightings read once (ORM attributes are slow), by object and by kind, in
        # their order (most often seen first).
        by_object: dict[str, list[str]] = {}
        by_kind: dict[str, list[tuple[str, str]]] = {}
        for sg in sightings:
            obj, place = sg.object, sg.place
            by_object.setdefault(obj, []).append(place)
            by_kind.setdefault(sg.kind, []).append((obj, place))
        result: dict[str, list[str]] = {}
        for name in names:
            out: dict[str, None] = {}  # insertion-ordered set

            def add(place: str | None, out: dict[str, None] = out) -> None:
                if place:
                    out.setdefault(place)

            r = records.get(name)
            kind = kinds[name]
            missing_at = r.place if r is not None and r.missing_since is not None else None
            if r is not None and missing_at is None:
                add(r.place)
            for place in by_object.get(name, ()):
                if place != missing_at:
                    add(place)
            for obj, place in by_kind.get(kind, ()):
                if obj != name and place != missing_at:
                    add(place)
            prior = _prior(kind)
            for fixture_kind in prior:
                if fixture_kind == "floor":
                    continue
                for p in fixtures_by_kind.get(fixture_kind, []):
                    if p.name != missing_at:
                        add(p.name)
            for room in all_rooms:
                if room not in explored:
                    add(room)
            if "floor" in prior:
                for room in all_rooms:
                    if room != missing_at:
                        add(room)
            add(missing_at)
            result[name] = list(out)
        return result

    # --- object permanence -----------------------------------------------------------

    def belief(
        self, name: str, now: datetime, kind: str | None = None, limit: int = 8
    ) -> list[PlaceBelief]:
        """Where ``name`` probably is now, most likely first.

        The last-seen place gets :func:`p_still_there` (decaying with the time since the
        sighting at the kind's mobility half-life; ~0 once the robot looked and it was
        gone). Of the rest, 80% is shared among the object's habitual places (by how often
        it was seen there, the last place included), places objects of its kind are seen
        in this home (half weight), and fixtures of the kind's prior (small, falling with
        rank); 20% stays unassigned (somewhere memory has no reason to expect).

        Args:
            name: Object name (or a kind, when no object has that name).
            now: Current time (timezone-aware).
            kind: The object's kind when it is not known yet.
            limit: How many places at most.
        """
        require_aware(now, "now")
        o = self.last_seen(name)
        kind = kind or (o.kind if o is not None else name)
        p0 = p_still_there(o, now) if o is not None else 0.0
        weights: dict[str, tuple[float, str, str | None]] = {}

        def add(place: str | None, w: float, reason: str, room: str | None) -> None:
            if not place or w <= 0:
                return
            old = weights.get(place)
            weights[place] = (w + (old[0] if old else 0.0), old[1] if old else reason, room)

        missing_at = o.place if o is not None and o.missing else None
        with self.db.session() as s:
            obj_name = o.name if o is not None else name
            for sg in s.scalars(select(Sighting).where(Sighting.object == obj_name)):
                add(sg.place, float(sg.count), "habit", sg.room)
            learned = s.scalars(
                select(Sighting).where(Sighting.kind == kind, Sighting.object != obj_name)
            )
            for sg in learned:
                add(sg.place, 0.5 * sg.count, "kind", sg.room)
            total = sum(w for w, _, _ in weights.values())
            fixtures = list(s.scalars(select(Place).where(Place.kind != "room")))
            by_kind: dict[str, list[Place]] = {}
            for p in fixtures:
                by_kind.setdefault(p.kind, []).append(p)
            prior_mass = max(total, 1.0) * 0.25
            for rank, fixture_kind in enumerate(_prior(kind)):
                for p in by_kind.get(fixture_kind, []):
                    add(p.name, prior_mass / (rank + 1), "prior", p.room)
        if missing_at in weights:
            del weights[missing_at]
        rest = sum(w for w, _, _ in weights.values())
        # A moved object usually went back to one of its usual places (the last one
        # included), but some of the time somewhere memory has no reason to expect.
        share = (1.0 - p0) * (1.0 - _P_ELSEWHERE)
        probs: dict[str, PlaceBelief] = {}
        if o is not None and o.place:
            probs[o.place] = PlaceBelief(
                place=o.place, probability=p0, reason="last_seen", room=o.room
            )
        if rest > 0:
            for place, (w, reason, room) in weights.items():
                p = share * w / rest
                if place in probs:
                    probs[place].probability += p
                else:
                    probs[place] = PlaceBelief(place=place, probability=p, reason=reason, room=room)
        out = sorted(probs.values(), key=lambda b: b.probability, reverse=True)
        return out[:limit]

    def ranked_search(
        self, name: str, now: datetime, kind: str | None = None, rooms: list[str] | None = None
    ) -> list[str]:
        """:meth:`search_candidates`, re-ranked by :meth:`belief` at ``now``.

        Places with a belief come first, most likely first; the rest keep the order of
        :meth:`search_candidates` (unexplored rooms, floors, the place it went missing).
        """
        probs = {b.place: b.probability for b in self.belief(name, now, kind=kind, limit=64)}
        base = self.search_candidates(name, kind=kind, rooms=rooms)
        ranked = sorted([p for p in base if p in probs], key=lambda p: probs[p], reverse=True) + [
            p for p in probs if p not in base
        ]
        return ranked + [p for p in base if p not in probs]

    # --- the raw log and compaction --------------------------------------------------

    def history(
        self, name: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[tuple[datetime, str | None, str | None]]:
        """Raw sightings of ``name`` (time, relation, place), oldest first.

        Compacted days are not included; see :meth:`days_seen`.
        """
        q = select(ObservationRecord.time, ObservationRecord.relation, ObservationRecord.place)
        q = q.where(ObservationRecord.object == name)
        if start is not None:
            q = q.where(ObservationRecord.time >= require_aware(start, "start"))
        if end is not None:
            q = q.where(ObservationRecord.time < require_aware(end, "end"))
        with self.db.session() as s:
            return [tuple(r) for r in s.execute(q.order_by(ObservationRecord.time))]  # type: ignore[misc]

    def days_seen(self, name: str) -> list[dict[str, Any]]:
        """Compacted history of ``name``: one dict per (day, place), oldest first."""
        q = (
            select(ObservationDay)
            .where(ObservationDay.object == name)
            .order_by(ObservationDay.day, ObservationDay.place)
        )
        with self.db.session() as s:
            return [
                {
                    "day": d.day,
                    "place": d.place,
                    "relation": d.relation,
                    "room": d.room,
                    "count": d.count,
                    "first_seen_at": d.first_seen_at,
                    "last_seen_at": d.last_seen_at,
                }
                for d in s.scalars(q)
            ]

    def observation_count(self) -> int:
        """Raw observation rows not compacted yet."""
        with self.db.session() as s:
            return s.scalar(select(func.count(ObservationRecord.id))) or 0

    def compact(self, before: datetime, *, chunk: int = 20000) -> CompactionReport:
        """Fold raw observations older than ``before`` into per-day counts and delete them.

        Last-seen state (``objects``) and place histories (``sightings``) are kept up to
        date by :meth:`observe` already, so nothing a query needs is lost; what goes is the
        exact time of each old sighting. Safe to run repeatedly and concurrently with
        :meth:`observe` (each chunk is one transaction).

        Args:
            before: Cut-off (timezone-aware); newer observations stay raw.
            chunk: Rows per transaction.
        """
        require_aware(before, "before")
        compacted = written = 0
        while True:
            with self.db.session() as s:
                rows = s.execute(
                    select(ObservationRecord)
                    .where(ObservationRecord.time < before)
                    .order_by(ObservationRecord.id)
                    .limit(chunk)
                ).scalars()
                rows = list(rows)
                if not rows:
                    break
                agg: dict[tuple[str, str, str], list[Any]] = {}
                for r in rows:
                    place = r.place or r.room or "unknown"
                    key = (r.object, place, _utc_day(r.time))
                    a = agg.get(key)
                    if a is None:
                        agg[key] = [r.kind, r.relation, r.room, 1, r.time, r.time]
                    else:
                        a[3] += 1
                        a[4] = min(a[4], r.time)
                        a[5] = max(a[5], r.time)
                existing = {
                    (d.object, d.place, d.day): d
                    for d in s.scalars(
                        select(ObservationDay).where(
                            ObservationDay.object.in_({k[0] for k in agg}),
                            ObservationDay.day.in_({k[2] for k in agg}),
                        )
                    )
                }
                for key, (kind, rel, room, n, first, last) in agg.items():
                    d = existing.get(key)
                    if d is None:
                        s.add(
                            ObservationDay(
                                object=key[0],
                                place=key[1],
                                day=key[2],
                                kind=kind,
                                relation=rel,
                                room=room,
                                count=n,
                                first_seen_at=first,
                                last_seen_at=last,
                            )
                        )
                    else:
                        d.count += n
                        d.first_seen_at = min(d.first_seen_at, first)
                        d.last_seen_at = max(d.last_seen_at, last)
                written += len(agg)
                ids = [r.id for r in rows]
                s.execute(delete(ObservationRecord).where(ObservationRecord.id.in_(ids)))
                compacted += len(ids)
        return CompactionReport(
            observations_compacted=compacted,
            days_written=written,
            observations_kept=self.observation_count(),
        )

    # --- geometry and the map --------------------------------------------------------

    def register_room(self, name: str, rect: list[float] | tuple[float, ...]) -> None:
        """Record a room's rectangle ``[x0, y0, x1, y1]`` (metres) from the home's map.

        Raises:
            ValueError: if ``rect`` is not four numbers with ``x0 < x1`` and ``y0 < y1``.
        """
        r = [float(v) for v in rect]
        if len(r) != 4 or not (r[0] < r[2] and r[1] < r[3]):
            raise ValueError(f"room {name!r}: rect must be [x0, y0, x1, y1]; got {rect!r}")
        with self.db.session() as s:
            places = _load_places(s, [name])
            p = _upsert_room(s, places, name)
            if p.kind != "room":
                raise ValueError(f"{name!r} is a fixture, not a room")
            p.props = {**(p.props or {}), "rect": r}

    def room_rects(self) -> dict[str, list[float]]:
        """Registered room rectangles, by name."""
        with self.db.session() as s:
            q = select(Place).where(Place.kind == "room")
            return {
                p.name: list(p.props["rect"]) for p in s.scalars(q) if "rect" in (p.props or {})
            }

    def fixture_positions(self) -> dict[str, dict[str, Any]]:
        """Fixtures with ``kind``, ``room``, ``x`` and ``y`` (None when never placed)."""
        with self.db.session() as s:
            q = select(Place).where(Place.kind != "room").order_by(Place.name)
            return {
                p.name: {"kind": p.kind, "room": p.room, "x": p.x, "y": p.y} for p in s.scalars(q)
            }

    def render_belief_map(
        self,
        path: Any,
        now: datetime | None = None,
        *,
        rooms: dict[str, list[float]] | None = None,
    ) -> Any:
        """Draw a top-down PNG of the beliefs; see :func:`memory.render.render_belief_map`."""
        from housemind.memory.render import render_belief_map

        return render_belief_map(self, path, now, rooms=rooms)

    # --- the scene graph -------------------------------------------------------------

    def relations(self, now: datetime | None = None, near_m: float = 1.0) -> list[dict[str, Any]]:
        """The scene graph as edges: home -> rooms -> fixtures -> objects.

        Edges are ``{"subject", "relation", "object"}`` with relation ``in`` (room in home,
        fixture in room, object in a container), ``on`` (object on a surface) or ``near``
        (an object on a room's floor within ``near_m`` metres of a fixture). Object edges
        carry ``p`` (belief that it is still so, when ``now`` is given) and ``missing``.
        """
        edges: list[dict[str, Any]] = []
        with self.db.session() as s:
            places = list(s.scalars(select(Place).order_by(Place.name)))
            objects = list(s.scalars(select(ObjectRecord).order_by(ObjectRecord.name)))
        fixtures = [p for p in places if p.kind != "room"]
        for p in places:
            if p.kind == "room":
                edges.append({"subject": p.name, "relation": "in", "object": "home"})
        for p in fixtures:
            edges.append({"subject": p.name, "relation": "in", "object": p.room or "home"})
        for r in objects:
            o = ObjectSighting.from_record(r)
            extra: dict[str, Any] = {"missing": o.missing}
            if now is not None:
                extra["p"] = round(p_still_there(o, now), 4)
            if o.relation in ("on", "in") and o.place:
                edges.append(
                    {"subject": o.name, "relation": o.relation, "object": o.place, **extra}
                )
                continue
            edges.append({"subject": o.name, "relation": "in", "object": o.room or "home", **extra})
            if o.x is None or o.y is None:
                continue
            close = [
                (math.hypot(p.x - o.x, p.y - o.y), p.name)
                for p in fixtures
                if p.x is not None and p.y is not None and p.room == o.room
            ]
            close = [c for c in close if c[0] <= near_m]
            if close:
                edges.append(
                    {"subject": o.name, "relation": "near", "object": min(close)[1], **extra}
                )
        return edges

    def scene_graph(self, now: datetime | None = None) -> dict[str, Any]:
        """The scene graph as a tree: ``{"name": "home", "rooms": [...]}``.

        Each room has ``fixtures`` (each with its ``objects`` on/in it) and ``objects`` (on
        its floor, with ``near`` when close to a fixture). Objects carry ``relation``,
        ``last_seen``, ``missing`` and, given ``now``, ``p`` (still there).
        """
        with self.db.session() as s:
            places = list(s.scalars(select(Place).order_by(Place.name)))
            objects = [ObjectSighting.from_record(r) for r in s.scalars(select(ObjectRecord))]
        near = {e["subject"]: e["object"] for e in self.relations(now) if e["relation"] == "near"}
        rooms: dict[str, dict[str, Any]] = {
            p.name: {"name": p.name, "fixtures": [], "objects": []}
            for p in places
            if p.kind == "room"
        }
        fixture_nodes: dict[str, dict[str, Any]] = {}
        for p in places:
            if p.kind == "room":
                continue
            node = {"name": p.name, "kind": p.kind, "objects": []}
            fixture_nodes[p.name] = node
            rooms.setdefault(p.room or "unknown", {"name": p.room, "fixtures": [], "objects": []})
            rooms[p.room or "unknown"]["fixtures"].append(node)
        for o in sorted(objects, key=lambda o: o.name):
            leaf: dict[str, Any] = {
                "name": o.name,
                "kind": o.kind,
                "relation": o.relation or "floor",
                "last_seen": o.time.isoformat() if o.time else None,
                "missing": o.missing,
            }
            if now is not None:
                leaf["p"] = round(p_still_there(o, now), 4)
            if o.relation and o.place:
                if o.place not in fixture_nodes:  # seen only as what the object is on/in
                    node = {"name": o.place, "kind": None, "objects": []}
                    fixture_nodes[o.place] = node
                    rooms.setdefault(
                        o.room or "unknown", {"name": o.room, "fixtures": [], "objects": []}
                    )["fixtures"].append(node)
                fixture_nodes[o.place]["objects"].append(leaf)
            else:
                if o.name in near:
                    leaf["near"] = near[o.name]
                room = rooms.setdefault(
                    o.room or "unknown", {"name": o.room, "fixtures": [], "objects": []}
                )
                room["objects"].append(leaf)
        return {"name": "home", "rooms": list(rooms.values())}


def _assign(row: Any, **values: Any) -> None:
    # Setting an ORM attribute costs ~4 us even when nothing changes; most don't.
    for k, v in values.items():
        if getattr(row, k) != v:
            setattr(row, k, v)


class _BatchCache:
    """Rows one :meth:`SpatialMemory.observe_many` batch has loaded or created, by name."""

    def __init__(self) -> None:
        self.places: dict[str, Place] = {}
        self.records: dict[str, ObjectRecord] = {}
        self.sightings: dict[tuple[str, str], Sighting] = {}
        self.loaded_places: set[str] = set()  # fixtures whose objects are all in records
        self.sighted: set[str] = set()  # objects whose sightings are all in sightings


def _log_row(d: Detection, when: datetime) -> dict[str, Any]:
    relation, place = d.relation if d.relation else (None, d.room)
    return {
        "time": when,
        "object": d.name,
        "kind": d.kind,
        "place": place,
        "relation": relation,
        "room": d.room,
        "x": float(d.position[0]),
        "y": float(d.position[1]),
    }


def _utc_day(t: datetime) -> str:
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).date().isoformat()


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
