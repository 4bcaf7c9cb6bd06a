import pytest
from pydantic import computed_field

from housemind.skills import REGISTRY, SkillParams, SkillRegistry, skill
from housemind.skills.spec import SkillSpec, UnknownSkillError


def test_builtin_skills_registered_with_templates():
    assert {"navigate", "pick", "place", "open", "close", "toggle"} <= set(REGISTRY.names())
    sk = REGISTRY.bind("place", {"object": "mug", "target": "sink", "relation": "in"})
    assert sk.text == "put the mug in the sink"
    # What the thing must *be* (a container, not closed) is part of the preconditions: the
    # planner plans over them.
    assert sk.preconditions() == [
        "holding(mug)",
        "near(sink)",
        "accepts_in(sink)",
        "not closed(sink)",
    ]
    assert "in(mug,sink)" in sk.add_effects()
    assert "holding(mug)" in sk.del_effects()


def test_toggle_effects_use_opposite_state():
    sk = REGISTRY.bind("toggle", {"target": "stove", "state": "off"})
    assert sk.add_effects() == ["switched_off(stove)"]
    assert sk.del_effects() == ["switched_on(stove)"]
    assert sk.args == {"target": "stove", "state": "off"}


def test_unknown_skill_suggests_close_match():
    with pytest.raises(UnknownSkillError, match="did you mean 'pick'"):
        REGISTRY.get("pik")


def test_bad_arguments_name_the_skill():
    with pytest.raises(ValueError, match="bad arguments for skill 'place'"):
        REGISTRY.bind("place", {"object": "mug", "target": "sink", "relation": "under"})


def test_inconsistent_spec_fails_at_definition():
    reg = SkillRegistry()
    with pytest.raises(ValueError, match="not fields"):

        @skill(name="wipe", template="wipe the {surface}", registry=reg)
        class Wipe(SkillParams):
            target: str

    with pytest.raises(ValueError, match="timeout_s"):
        SkillSpec(name="x", template="do x", params=SkillParams, timeout_s=0)
    with pytest.raises(ValueError, match="template"):
        SkillSpec(name="x", template="", params=SkillParams)


def test_decorator_registers_into_given_registry():
    reg = SkillRegistry()

    @skill(
        name="iron",
        template="iron the {object}",
        preconditions=["holding({object})"],
        effects=["ironed({object})"],
        timeout_s=40,
        registry=reg,
    )
    class Iron(SkillParams):
        """Iron a piece of laundry."""

        object: str

        @computed_field  # type: ignore[prop-decorator]
        @property
        def upper(self) -> str:
            return self.object.upper()

    assert reg.names() == ["iron"]
    assert reg.get("iron").description == "Iron a piece of laundry."
    assert reg.bind("iron", {"object": "shirt"}).args == {"object": "shirt"}
    assert "iron" not in REGISTRY
