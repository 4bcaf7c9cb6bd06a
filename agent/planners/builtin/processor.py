"""Featurising one decision: goal words, belief and candidates -> arrays for the model.

The model sees, for each candidate subtask:

- the goal sentence (one embedding from the shipped sentence model, all-MiniLM-L6-v2);
- the words of the candidate's object and target ("plate 2", "kitchen sink"), embedded with
  the same model, so "the crockery" in a goal lands near "plate" and "bowl";
- how the goal mentions them: the exact name in the goal words, the kind ("plate" for
  ``plate_2``), or only by meaning (the best cosine between the name and any 1-3 word
  phrase of the goal); a mention of another instance ("plate 2" when this is ``plate``);
- what memory believes about them: held, dirty/clean, folded, filled/empty, dry, on a floor,
  inside a closed cupboard, open/closed, switched on/off, what kind of fixture; whether the
  object's place or room is named in the goal; household knowledge (where objects of the
  kind belong, where they are usually found); the search rank memory gives a place for the
  goal's words; what training taught about kinds (where the experts put objects of the
  kind, in which rooms they found them; a kind never seen borrows from the most similar
  one by meaning); how much of a room the robot already knows; where the household said
  each thing belongs (memory's ``belongs_on`` preferences): is this the target, is the
  object there already, is this fixture the home of a thing the goal names or of the held
  object;
- the task's history: steps done, the same step or its inverse done before, failures,
  what was handled last, fixtures this task opened or switched on and left so;
- the candidate's affordance (preconditions hold, or hold after driving there);
- the camera image (a small convolutional encoder in the model; absent images are marked).

Embeddings are cached per text for the life of the processor.
"""

from __future__ import annotations

import base64
import io
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from housemind.agent.knowledge import HOME_PLACES
from housemind.agent.planners.builtin.belief import Belief, step_key
from housemind.agent.planners.builtin.candidates import Candidate
from housemind.agent.planners.language import pets_as_pet
from housemind.memory.embeddings import TextEmbedder
from housemind.memory.spatial import KIND_PRIORS

__all__ = [
    "FEATURES",
    "DecisionFeatures",
    "EmbeddingCache",
    "GoalInfo",
    "MEANT_SIM",
    "PlannerProcessor",
    "decode_image",
    "display",
    "goal_tokens",
    "room_kind",
]

#: Numeric features per candidate, in order (the model's input; saved in its config).
FEATURES: tuple[str, ...] = (
    # what kind of candidate, how feasible
    "is_act",
    "is_explore",
    "is_done",
    "aff_holds",
    "aff_navigate",
    "aff_value",
    # the object it handles
    "o_present",
    "o_exact",
    "o_kind",
    "o_sem",
    "o_other_instance",
    "o_held",
    "o_dirty",
    "o_clean",
    "o_folded",
    "o_filled",
    "o_empty",
    "o_dry",
    "o_on_floor",
    "o_enclosed",
    "o_place_exact",
    "o_place_sem",
    "o_room_exact",
    "o_at_target",
    "o_home_rank",
    "o_prior_rank",
    "o_place_prior",
    "o_touched",
    "o_last_touched",
    "o_told_home",
    "o_at_told_home",
    "o_has_told_home",
    # the place or thing it acts on or goes to
    "t_present",
    "t_is_fixture",
    "t_is_room",
    "t_is_object",
    "t_exact",
    "t_kind",
    "t_sem",
    "t_room_exact",
    "t_open",
    "t_closed",
    "t_on",
    "t_off",
    "t_openable",
    "t_switchable",
    "t_container",
    "t_surface",
    "t_dirty",
    "t_near",
    "t_robot_room",
    "t_search_rank",
    "t_goal_objects_at",
    "t_objects_at",
    "t_touched",
    "t_last_touched",
    "t_home_of_goal_object",
    "t_visited",
    "t_room_prior",
    "t_objects_in_room",
    "t_told_home_of_goal_object",
    "t_told_home_of_held",
    # an option of the step
    "v_on",
    "v_off",
    # history of the task
    "h_same_done",
    "h_inverse_done",
    "h_same_failed",
    "h_steps",
    "h_opened_still_open",
    "h_switched_on_still_on",
    # the whole decision
    "g_holding",
    "g_unresolved",
    "g_goal_objects_known",
    "g_goal_objects_untouched",
    "g_goal_fixtures_untouched",
    "g_has_image",
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}

_TOKEN = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"^\d+$")
_INVERSE = {"open": "close", "close": "open", "pick": "place", "place": "pick"}


def goal_tokens(text: str) -> list[str]:
    """Lower-case words and numbers of ``text`` (``"Plate 2, fork"`` -> plate, 2, fork)."""
    return _TOKEN.findall(text.lower())


def display(name: str) -> str:
    """A name as words: ``kitchen_sink`` -> ``kitchen sink``."""
    return name.replace("_", " ").strip()


#: A clause that sets the scene by saying how a thing is: "The sink's piling up again",
#: "the counter is a mess". Its subject is what the person sees, not where things go.
_SCENE_SUBJECT = re.compile(
    r"^the\s+(?P<subject>[a-z0-9 ]+?)(?:'s|\s+is|\s+are|\s+was|\s+were|\s+has|\s+have"
    r"|\s+looks?|\s+keeps?)\b",
    re.IGNORECASE,
)
#: A clause with any of these asks for something: it is the request, not the scene.
_ASKS = re.compile(
    r"\b(?:could|can|would|will)\s+(?:you|u)\b|\b(?:please|pls|plz)\b", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"[.!?;:,]+|\s-\s")
#: Words that point back at something said: a clause with one is not mere scenery ("the
#: bin is the place for it"), and a request with one may mean the scene's subject.
_POINTS_BACK = frozenset({"it", "them", "there", "this", "that", "these", "those", "its"})
#: A clause that says a place will do ("the coffee table is fine", "the shelf is free") says
#: where things go.
_WILL_DO = frozenset(
    {"fine", "ok", "okay", "good", "great", "perfect", "best", "place", "spot", "free", "empty"}
    | {"clear", "where"}
)
#: A clause with any of these words is no scenery.
_NOT_SCENERY = _POINTS_BACK | _WILL_DO


def scene_clauses(text: str) -> list[tuple[int, int]]:
    """Token ranges (of :func:`goal_tokens`) of what scene-setting clauses are about.

    People say a request with its setting around it: "The counter's cluttered. Could you
    put away the clean plate?", "The sink's piling up again. Could you load the bowl into
    the dishwasher?". A clause (between punctuation) that asks nothing and opens by saying
    how something is ("the X is ...", "the X's ...") sets the scene; its subject X is what
    the person sees, not where things go. Where the person is ("I'm on the sofa, could you
    bring me the remote") is not scenery: it says where to bring things. Nor is a clause
    that points back at something ("the bin is the place for it") or says a place will do
    ("the coffee table is fine"), and nothing is when the request points back ("the
    coffee table is sticky, wipe it down").
    """
    out: list[tuple[int, int]] = []
    pos = 0
    rest: list[str] = []
    for piece in _CLAUSE_END.split(text.replace("\u2019", "'")):
        tokens = goal_tokens(piece)
        m = _SCENE_SUBJECT.match(piece.strip())
        if tokens and m and not _ASKS.search(piece) and not _NOT_SCENERY & set(tokens):
            out.append((pos + 1, pos + 1 + len(goal_tokens(m.group("subject")))))
        else:
            rest += tokens
        pos += len(tokens)
    # "the coffee table is sticky, wipe it": the request points back at the scene
    return [] if _POINTS_BACK & set(rest) else out


def _without_scenery(
    spans: dict[str, list[tuple[int, int]]],
    scene: Sequence[tuple[int, int]],
    places: Collection[str],
) -> dict[str, list[tuple[int, int]]]:
    """``spans`` less the ``places`` said only in scene clauses, if the request names any."""

    def in_scene(hit: tuple[int, int]) -> bool:
        return any(a <= hit[0] and hit[1] <= b for a, b in scene)

    if not any(not in_scene(h) for hits in spans.values() for h in hits):
        return spans  # "The front door's open. Could you shut it?": the scene says what
    return {
        name: hits
        for name, hits in spans.items()
        if name not in places or not all(in_scene(h) for h in hits)
    }


def decode_image(data: str | bytes) -> np.ndarray:
    """A base64 PNG (as :class:`PlanContext.images` holds them) -> ``uint8[H, W, 3]``.

    Raises:
        ValueError: if the data is not a readable image.
    """
    from PIL import Image

    try:
        raw = base64.b64decode(data) if isinstance(data, str) else data
        with Image.open(io.BytesIO(raw)) as im:
            return np.asarray(im.convert("RGB"), dtype=np.uint8)
    except Exception as e:  # noqa: BLE001 - PIL raises many kinds; one message for people
        raise ValueError(f"camera image in the plan context is not a readable PNG: {e}") from e


class EmbeddingCache:
    """Sentence embeddings of short texts, computed in batches and kept per text.

    Args:
        embedder: The sentence model (``memory.embeddings.get_embedder()`` by default).
    """

    def __init__(self, embedder: TextEmbedder | None = None) -> None:
        self._embedder = embedder
        self._cache: dict[str, np.ndarray] = {}

    @property
    def embedder(self) -> TextEmbedder:
        """The sentence model (loaded on first use)."""
        if self._embedder is None:
            from housemind.memory.embeddings import get_embedder

            self._embedder = get_embedder()
        return self._embedder

    @property
    def shipped_model(self) -> bool:
        """True when texts are embedded by the process-wide default sentence model."""
        if self._embedder is None:
            return True
        from housemind.memory.embeddings import get_embedder

        return self._embedder is get_embedder()

    @property
    def dim(self) -> int:
        """Embedding size."""
        return int(self.embedder.dim)

    def ensure(self, texts: Iterable[str]) -> None:
        """Embed every text not cached yet (one batch)."""
        todo = sorted({t for t in texts if t not in self._cache})
        if todo:
            vecs = self.embedder.encode(todo)
            for t, v in zip(todo, vecs, strict=True):
                self._cache[t] = np.asarray(v, dtype=np.float32)

    def get(self, text: str) -> np.ndarray:
        """The embedding of one text."""
        if text not in self._cache:
            self.ensure([text])
        return self._cache[text]

    def matrix(self, texts: Sequence[str]) -> np.ndarray:
        """``float32[len(texts), dim]``."""
        self.ensure(texts)
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self._cache[t] for t in texts])

    def __len__(self) -> int:
        return len(self._cache)


@dataclass
class GoalInfo:
    """A goal, read once: its words, phrases and their embeddings."""

    text: str
    tokens: list[str]
    phrases: list[str]
    vector: np.ndarray
    phrase_vectors: np.ndarray
    scene: list[tuple[int, int]] = field(default_factory=list)

    def sem(self, vec: np.ndarray) -> float:
        """Best cosine between ``vec`` and any 1-3 word phrase of the goal."""
        if len(self.phrase_vectors) == 0:
            return 0.0
        return float(np.max(self.phrase_vectors @ vec))


@dataclass
class DecisionFeatures:
    """One decision, ready for the model.

    Attributes:
        goal: The goal text (its embedding is looked up by text).
        skills: Skill vocabulary index of each candidate.
        obj_text: Words of each candidate's object ("" for none).
        target_text: Words of each candidate's target ("" for none).
        feats: ``float32[C, len(FEATURES)]``.
        image: The camera image ``uint8[H, W, 3]``, or None.
    """

    goal: str
    skills: np.ndarray
    obj_text: list[str]
    target_text: list[str]
    feats: np.ndarray
    image: np.ndarray | None


def _find(seq: list[str], sub: list[str]) -> list[int]:
    n = len(sub)
    if n == 0:
        return []
    return [i for i in range(len(seq) - n + 1) if seq[i : i + n] == sub]


def _phrases(tokens: list[str], max_n: int = 3) -> list[str]:
    out = []
    for n in range(1, max_n + 1):
        for i in range(len(tokens) - n + 1):
            out.append(" ".join(tokens[i : i + n]))
    return list(dict.fromkeys(out))


_BACKOFF_SIM = 0.5
#: A goal phrase this close to a fixture's name (sentence embeddings) names it: "the
#: cupboard" names the cabinet (0.74), "the kitchen" does not (0.58).
MEANT_SIM = 0.62
_ROOM_NUMBER = re.compile(r"_\d+$")


def room_kind(room: str) -> str:
    """``bedroom_2`` -> ``bedroom``: rooms of a kind share what was learned about them."""
    return _ROOM_NUMBER.sub("", room)


def _rank_score(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / (1.0 + rank)


class PlannerProcessor:
    """Turns (goal, belief, candidates, image) into :class:`DecisionFeatures`.

    Args:
        skills: The model's skill vocabulary (index 0 is "unknown").
        object_vocab: Object kinds the robot knows by name, like a detector's labels (for
            "the goal names an object the robot has not found yet"); household knowledge's
            kinds if empty.
        cache: Embedding cache (a new one on the default sentence model if None).
        place_prior: Learned in training: object kind -> {fixture kind: share of the
            expert's placements}.
        room_prior: Learned in training: object kind -> {room kind: share of the rooms the
            expert found it in}.
    """

    def __init__(
        self,
        skills: Sequence[str],
        object_vocab: Iterable[str] = (),
        cache: EmbeddingCache | None = None,
        *,
        place_prior: dict[str, dict[str, float]] | None = None,
        room_prior: dict[str, dict[str, float]] | None = None,
    ) -> None:
        self.skills = list(skills)
        self._skill_index = {s: i for i, s in enumerate(self.skills)}
        vocab = set(object_vocab) or set(KIND_PRIORS) | set(HOME_PLACES)
        self.object_vocab = sorted(vocab)
        self._vocab_tokens = {k: display(k).split() for k in self.object_vocab}
        self.cache = cache if cache is not None else EmbeddingCache()  # an empty one is falsy
        self.place_prior = dict(place_prior or {})
        self.room_prior = dict(room_prior or {})
        self._goals: dict[str, GoalInfo] = {}
        self._priors: dict[tuple[int, str], dict[str, float]] = {}

    def skill_index(self, label: str) -> int:
        """Index of a skill, ``done`` or ``explore`` in the vocabulary (0 if unknown)."""
        return self._skill_index.get(label, 0)

    # -- the goal ------------------------------------------------------------------------

    def goal(self, text: str) -> GoalInfo:
        """Read a goal (cached per text)."""
        info = self._goals.get(text)
        if info is None:
            tokens = goal_tokens(text)
            phrases = _phrases(tokens)
            self.cache.ensure([text, *phrases])
            info = GoalInfo(
                text=text,
                tokens=tokens,
                phrases=phrases,
                vector=self.cache.get(text),
                phrase_vectors=self.cache.matrix(phrases),
                scene=scene_clauses(text),
            )
            self._goals[text] = info
        return info

    # -- mentions ------------------------------------------------------------------------

    def _mentions(
        self, g: GoalInfo, names: Iterable[str], places: Collection[str] = ()
    ) -> tuple[set[str], set[str], list[tuple[int, int]]]:
        """Names the goal says exactly (longest match wins), names said at all, and where.

        Of ``places`` (the fixtures), one said only in a clause that sets the scene ("The
        sink's piling up again. Could you load the bowl into the dishwasher?") is not said,
        when the rest of the goal names something itself (see :func:`scene_clauses`).
        """
        spans: dict[str, list[tuple[int, int]]] = {}
        for name in names:
            words = display(name).split()
            hits = []
            for i in _find(g.tokens, words):
                j = i + len(words)
                # "plate" is not said when the goal says "plate 2"
                if (
                    not _NUMBER.match(words[-1])
                    and j < len(g.tokens)
                    and _NUMBER.match(g.tokens[j])
                ):
                    continue
                hits.append((i, j))
            if not hits and len(words) >= 1:  # plural: "books", "dishes"
                plural = [*words[:-1], words[-1] + "s"]
                plural_es = [*words[:-1], words[-1] + "es"]
                hits = [(i, i + len(words)) for i in _find(g.tokens, plural)] or [
                    (i, i + len(words)) for i in _find(g.tokens, plural_es)
                ]
            if hits:
                spans[name] = hits
        if g.scene and places:
            spans = _without_scenery(spans, g.scene, places)
        exact = set()
        for name, hits in spans.items():
            covered = all(
                any(
                    (a <= i and j <= b and (a, b) != (i, j))
                    for other, ohits in spans.items()
                    if other != name
                    for a, b in ohits
                )
                for i, j in hits
            )
            if not covered:
                exact.add(name)
        return exact, set(spans), [h for hits in spans.values() for h in hits]

    def exact_names(self, goal: str, b: Belief) -> set[str]:
        """The known things, fixtures, rooms and people ``goal`` names exactly."""
        g = self.goal(pets_as_pet(goal, b.pets))
        objects = sorted(set(b.places) | ({b.held} if b.held else set()))
        names = objects + sorted(b.fixtures) + list(b.rooms) + list(b.people)
        exact, _, _ = self._mentions(g, names, b.fixtures)
        return exact

    def fixtures_meant(
        self,
        goal: str,
        b: Belief,
        threshold: float = MEANT_SIM,
        exact: Collection[str] | None = None,
    ) -> set[str]:
        """Fixtures the goal names, exactly or by a phrase that means one ("the cupboard").

        A goal phrase whose sentence embedding is at least ``threshold`` from a fixture's
        name names it. Rooms the goal names exactly are included. ``exact``: the goal's
        :meth:`exact_names`, when the caller has them already.
        """
        g = self.goal(pets_as_pet(goal, b.pets))
        names = sorted(b.fixtures)
        said = self.exact_names(goal, b) if exact is None else exact
        out = {n for n in said if n in b.fixtures or n in b.rooms}
        if names and len(g.phrase_vectors):
            sims = self.cache.matrix([display(n) for n in names]) @ g.phrase_vectors.T
            out |= {n for n, s in zip(names, sims.max(axis=1), strict=True) if s >= threshold}
        return out

    def _kind_said(self, g: GoalInfo, kind: str) -> bool:
        words = display(kind).split()
        if not words:
            return False
        return bool(
            _find(g.tokens, words)
            or _find(g.tokens, [*words[:-1], words[-1] + "s"])
            or _find(g.tokens, [*words[:-1], words[-1] + "es"])
        )

    def unresolved(
        self, g: GoalInfo, b: Belief, known_spans: Sequence[tuple[int, int]] = ()
    ) -> list[str]:
        """Kinds of the objects the goal names that the robot has not found yet.

        A word inside the name of something known ("laundry" in "laundry basket") is not an
        object mention.
        """
        known = set(b.places) | ({b.held} if b.held else set())
        known_kinds = {b.kind_of(o) for o in known}
        out = []
        for kind, words in self._vocab_tokens.items():
            starts = _find(g.tokens, words) or _find(g.tokens, [*words[:-1], words[-1] + "s"])
            for i in starts:
                j = i + len(words)
                if any(a <= i and j <= z and (z - a) > (j - i) for a, z in known_spans):
                    continue
                if j < len(g.tokens) and _NUMBER.match(g.tokens[j]):
                    if f"{kind}_{g.tokens[j]}" not in known:
                        out.append(kind)
                elif kind not in known and kind not in known_kinds:
                    out.append(kind)
        return out

    def unfound(self, goal: str, b: Belief) -> list[str]:
        """Kinds of the objects ``goal`` names that the robot has not found yet."""
        g = self.goal(goal)
        things = sorted(set(b.places) | ({b.held} if b.held else set()))
        things += sorted(b.fixtures) + list(b.rooms)
        _, _, spans = self._mentions(g, things)
        return self.unresolved(g, b, spans)

    def prior(self, table: dict[str, dict[str, float]], kind: str) -> dict[str, float]:
        """A learned distribution for an object kind.

        For a kind never seen in training: the most similar known kind's (by the sentence
        model), scaled by the similarity; nothing below a similarity of 0.5.
        """
        key = (id(table), kind)
        hit = self._priors.get(key)
        if hit is not None:
            return hit
        if kind in table:
            out = table[kind]
        elif table:
            names = sorted(table)
            sims = self.cache.matrix([display(n) for n in names]) @ self.cache.get(display(kind))
            best = int(np.argmax(sims))
            sim = float(sims[best])
            out = {k: v * sim for k, v in table[names[best]].items()} if sim >= _BACKOFF_SIM else {}
        else:
            out = {}
        self._priors[key] = out
        return out

    # -- features ------------------------------------------------------------------------

    def featurize(
        self,
        goal: str,
        b: Belief,
        candidates: Sequence[Candidate],
        image: np.ndarray | None = None,
    ) -> DecisionFeatures:
        """Features of every candidate of one decision.

        The household's pets are read as "the pet" ("feed rex" as "feed the pet"), in training
        and in use alike.
        """
        goal = pets_as_pet(goal, b.pets)
        g = self.goal(goal)
        objects = sorted(set(b.places) | ({b.held} if b.held else set()))
        things = objects + sorted(b.fixtures) + list(b.rooms)
        exact, said, spans = self._mentions(g, things, b.fixtures)
        if things and len(g.phrase_vectors):
            sims = self.cache.matrix([display(n) for n in things]) @ g.phrase_vectors.T
            sem = dict(zip(things, sims.max(axis=1).tolist(), strict=True))
        else:
            sem = {}

        done = [s for s in b.done if s.skill != "navigate"]
        done_keys = [step_key(s.skill, s.args) for s in done]
        touched: dict[str, int] = {}
        for i, s in enumerate(done):
            for v in s.args.values():
                touched[str(v)] = i
        last = done[-1] if done else None
        last_args = {str(v) for v in last.args.values()} if last else set()
        opened = {str(s.args.get("target")) for s in done if s.skill == "open"}
        switched = {
            str(s.args.get("target"))
            for s in done
            if s.skill == "toggle" and s.args.get("state") == "on"
        }
        facts = b.derived()
        goal_objects = [o for o in objects if o in exact]
        unresolved = self.unresolved(g, b, spans)
        room_prior: dict[str, float] = {}
        for kind in unresolved:
            for room, p in self.prior(self.room_prior, kind).items():
                room_prior[room] = max(room_prior.get(room, 0.0), p)
        in_room = Counter(b.room_of(o) for o in b.places)
        goal_fixtures = [f for f in b.fixtures if f in exact]
        goal_told_homes = {h for o in goal_objects if (h := b.told_home(o)) is not None}
        held_home = b.told_home(b.held) if b.held else None
        g_feats = {
            "g_holding": float(b.held is not None),
            "g_unresolved": min(len(unresolved), 4) / 4.0,
            "g_goal_objects_known": min(len(goal_objects), 4) / 4.0,
            "g_goal_objects_untouched": min(sum(o not in touched for o in goal_objects), 4) / 4.0,
            "g_goal_fixtures_untouched": min(sum(f not in touched for f in goal_fixtures), 4) / 4.0,
            "g_has_image": float(image is not None),
            "h_steps": min(len(done), 20) / 20.0,
            "h_opened_still_open": min(sum(b.is_open(f) is True for f in opened), 3) / 3.0,
            "h_switched_on_still_on": min(sum(f"switched_on({f})" in facts for f in switched), 3)
            / 3.0,
        }
        search_rank = self._search_ranks(g, b)
        goal_homes = self._goal_homes(goal_objects, b)
        done_count = Counter(done_keys)
        at_place = Counter(b.places.values())
        goal_at_place = Counter(b.places[o] for o in exact if o in b.places)

        rows = np.zeros((len(candidates), len(FEATURES)), np.float32)
        skills = np.zeros(len(candidates), np.int64)
        obj_text: list[str] = []
        tgt_text: list[str] = []
        for r, c in enumerate(candidates):
            f = dict(g_feats)
            f["is_" + c.kind] = 1.0
            f["aff_value"] = c.affordance
            if c.kind == "act":
                f["aff_holds"] = float(not c.needs_navigation)
                f["aff_navigate"] = float(c.needs_navigation)
                key = c.key
                f["h_same_done"] = min(done_count[key], 2) / 2.0
                inv = _INVERSE.get(c.skill)
                if c.skill == "toggle":
                    other = "off" if c.value == "on" else "on"
                    inv_key = step_key("toggle", {**dict(c.args), "state": other})
                    f["h_inverse_done"] = float(inv_key in done_count)
                elif inv is not None:
                    f["h_inverse_done"] = float(
                        any(
                            s.skill == inv
                            and (
                                s.args.get("object") == c.obj
                                if c.skill in ("pick", "place")
                                else s.args.get("target") == c.target
                            )
                            for s in done
                        )
                    )
                f["h_same_failed"] = min(b.failed.get(key, 0), 2) / 2.0
            if c.value is not None:
                f["v_on"] = float(c.value == "on")
                f["v_off"] = float(c.value == "off")
            if c.obj is not None:
                self._object_features(f, c.obj, c.target, b, exact, said, sem, facts)
                f["o_touched"] = float(c.obj in touched)
                f["o_last_touched"] = float(c.obj in last_args)
            if c.target is not None:
                self._target_features(f, c.target, b, exact, said, sem, facts)
                f["t_touched"] = float(c.target in touched)
                f["t_last_touched"] = float(c.target in last_args)
                f["t_search_rank"] = search_rank.get(c.target, 0.0)
                f["t_goal_objects_at"] = min(goal_at_place[c.target], 3) / 3.0
                f["t_objects_at"] = min(at_place[c.target], 10) / 10.0
                f["t_home_of_goal_object"] = goal_homes.get(c.target, 0.0)
                f["t_visited"] = float(c.target in b.visited)
                f["t_told_home_of_goal_object"] = float(c.target in goal_told_homes)
                f["t_told_home_of_held"] = float(c.target == held_home)
                if c.target in b.rooms:
                    f["t_room_prior"] = room_prior.get(room_kind(c.target), 0.0)
                    f["t_objects_in_room"] = min(in_room[c.target], 10) / 10.0
                if c.obj is not None and c.target in b.fixtures:
                    place = self.prior(self.place_prior, b.kind_of(c.obj))
                    f["o_place_prior"] = place.get(b.fixtures[c.target].kind, 0.0)
            row = rows[r]
            for name, v in f.items():
                row[_INDEX[name]] = v
            skills[r] = self.skill_index(c.label)
            obj_text.append(display(c.obj) if c.obj else "")
            tgt_text.append(display(c.target) if c.target else "")
        return DecisionFeatures(
            goal=goal,
            skills=skills,
            obj_text=obj_text,
            target_text=tgt_text,
            feats=rows,
            image=image,
        )

    def _object_features(
        self,
        f: dict[str, float],
        o: str,
        target: str | None,
        b: Belief,
        exact: set[str],
        said: set[str],
        sem: dict[str, float],
        facts: set[str],
    ) -> None:
        kind = b.kind_of(o)
        f["o_present"] = 1.0
        f["o_exact"] = float(o in exact)
        f["o_kind"] = float(o in said or kind in said or o in exact)
        f["o_sem"] = sem.get(o, 0.0)
        same_kind_said = any(x != o and b.is_object(x) and b.kind_of(x) == kind for x in exact)
        f["o_other_instance"] = float(o not in exact and same_kind_said)
        f["o_held"] = float(b.held == o)
        home = b.told_home(o)
        f["o_has_told_home"] = float(home is not None)
        f["o_told_home"] = float(home is not None and home == target)
        f["o_at_told_home"] = float(home is not None and b.places.get(o) == home)
        for pred in ("dirty", "clean", "folded", "filled", "empty", "dry"):
            f["o_" + pred] = float(f"{pred}({o})" in facts)
        place = b.places.get(o)
        if place is not None:
            f["o_on_floor"] = float(place in b.rooms)
            f["o_enclosed"] = float(b.enclosed(o))
            f["o_place_exact"] = float(place in exact)
            f["o_place_sem"] = sem.get(place, 0.0)
            room = b.room_of(place)
            f["o_room_exact"] = float(room is not None and room in exact)
            f["o_at_target"] = float(place == target)
        if target is not None:
            tkind = b.kind_of(target)
            homes = [k for k, _ in HOME_PLACES.get(kind, [])]
            f["o_home_rank"] = _rank_score(homes.index(tkind) if tkind in homes else None)
            priors = list(KIND_PRIORS.get(kind, ()))
            f["o_prior_rank"] = _rank_score(priors.index(tkind) if tkind in priors else None)

    def _target_features(
        self,
        f: dict[str, float],
        t: str,
        b: Belief,
        exact: set[str],
        said: set[str],
        sem: dict[str, float],
        facts: set[str],
    ) -> None:
        f["t_present"] = 1.0
        fx = b.fixtures.get(t)
        f["t_is_fixture"] = float(fx is not None)
        f["t_is_room"] = float(t in b.rooms)
        f["t_is_object"] = float(b.is_object(t))
        f["t_exact"] = float(t in exact)
        f["t_kind"] = float(t in said or (fx is not None and fx.kind in said))
        f["t_sem"] = sem.get(t, 0.0)
        room = b.room_of(t)
        f["t_room_exact"] = float(room is not None and room in exact)
        f["t_open"] = float(f"open({t})" in facts)
        f["t_closed"] = float(f"closed({t})" in facts)
        f["t_on"] = float(f"switched_on({t})" in facts)
        f["t_off"] = float(f"switched_off({t})" in facts)
        if fx is not None:
            f["t_openable"] = float(fx.openable)
            f["t_switchable"] = float(fx.switchable)
            f["t_container"] = float(fx.container)
            f["t_surface"] = float(fx.surface)
        f["t_dirty"] = float(f"dirty({t})" in facts)
        f["t_near"] = float(f"near({t})" in facts)
        f["t_robot_room"] = float(room is not None and room == b.robot_room)

    def _search_ranks(self, g: GoalInfo, b: Belief) -> dict[str, float]:
        """Best search rank memory gives each place for the goal's words."""
        out: dict[str, float] = {}
        words = set(g.tokens)
        for key, places in b.search.items():
            if key in b.fixtures or key in b.rooms:
                continue
            if key not in words and display(key) not in g.text.lower():
                continue
            for rank, place in enumerate(places):
                out[place] = max(out.get(place, 0.0), _rank_score(rank))
        return out

    def _goal_homes(self, goal_objects: list[str], b: Belief) -> dict[str, float]:
        """Fixtures where objects the goal names belong, by household knowledge."""
        out: dict[str, float] = {}
        for o in goal_objects:
            homes = [k for k, _ in HOME_PLACES.get(b.kind_of(o), [])]
            for name, fx in b.fixtures.items():
                if fx.kind in homes:
                    out[name] = max(out.get(name, 0.0), _rank_score(homes.index(fx.kind)))
        return out
