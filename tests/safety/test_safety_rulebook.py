from __future__ import annotations

import textwrap

import pytest

from housemind.safety import InstructionRule, PlanRule, RuleBookError, load_rulebook

V1_PLAN_RULES = {
    "heat-on-nobody-home",
    "hob-on-empty",
    "no-sharp-near-people",
    "no-picking-sharp-near-people",
    "no-placing-metal-in-microwave",
    "liquid-onto-running-appliance",
    "high-risk-near-child",
}


def write(tmp_path, text: str):
    p = tmp_path / "rules.yaml"
    p.write_text(textwrap.dedent(text))
    return p


def test_shipped_rulebook_loads(rulebook):
    ids = [r.id for r in rulebook.rules]
    assert len(ids) == len(set(ids))
    assert {r.id for r in rulebook.plan_rules()} >= V1_PLAN_RULES
    assert rulebook.instruction_rules()
    assert all(isinstance(r, InstructionRule | PlanRule) for r in rulebook.rules)
    assert rulebook.action.max_speed_near_people_mps < rulebook.action.max_speed_mps
    for r in rulebook.rules:
        assert r.explain.strip() and r.hazard


def test_groups_are_expanded(rulebook):
    rule = rulebook.rule("no-placing-metal-in-microwave")
    assert "fork" in rule.when.object_kind
    # `state: "on"` and a bare YAML `on` both mean the word "on".
    assert rulebook.rule("heat-on-nobody-home").when.args == {"state": ["on"]}


def test_bare_yaml_on_is_the_word_on(tmp_path):
    book = load_rulebook(
        write(
            tmp_path,
            """
        rules:
          - id: r1
            level: plan
            hazard: fire
            when: {skill: toggle, args: {state: on}}
            verdict: confirm
            explain: x
    """,
        )
    )
    assert book.rule("r1").when.args == {"state": ["on"]}


def test_unknown_field_names_rule_and_field(tmp_path):
    p = write(
        tmp_path,
        """
        rules:
          - id: stove-rule
            level: plan
            hazard: fire
            when: {skil: toggle}
            verdict: deny
            explain: not allowed
    """,
    )
    with pytest.raises(RuleBookError) as e:
        load_rulebook(p)
    msg = str(e.value)
    assert "stove-rule" in msg and "when.skil" in msg and "did you mean 'skill'" in msg


def test_bad_verdict_names_rule(tmp_path):
    p = write(
        tmp_path,
        """
        rules:
          - id: ok-rule
            level: instruction
            hazard: fire
            when: {mentions_any: [fire]}
            verdict: deny
            explain: not allowed
          - id: bad-verdict
            level: instruction
            hazard: fire
            when: {mentions_any: [fire]}
            verdict: forbid
            explain: not allowed
    """,
    )
    with pytest.raises(RuleBookError, match=r"bad-verdict.*rules\[1\].*verdict"):
        load_rulebook(p)


def test_yaml_boolean_trap_is_explained(tmp_path):
    p = write(
        tmp_path,
        """
        rules:
          - {id: r1, level: instruction, hazard: x, when: {mentions_any: [x]},
             verdict: deny, explain: no}
    """,
    )
    with pytest.raises(RuleBookError, match=r"r1.*explain.*put it in quotes"):
        load_rulebook(p)


def test_bad_level_and_missing_level(tmp_path):
    with pytest.raises(RuleBookError, match=r"r1.*level must be"):
        load_rulebook(
            write(
                tmp_path,
                """
            rules:
              - {id: r1, level: tick, hazard: x, when: {}, verdict: deny, explain: y}
        """,
            )
        )
    with pytest.raises(RuleBookError, match=r"r2.*missing 'level'"):
        load_rulebook(
            write(
                tmp_path,
                """
            rules:
              - {id: r2, hazard: x, when: {}, verdict: deny, explain: y}
        """,
            )
        )


def test_unknown_group_is_reported(tmp_path):
    p = write(
        tmp_path,
        """
        groups:
          metal: [fork]
        rules:
          - id: r1
            level: plan
            hazard: microwave
            when: {skill: place, object_kind: $metl}
            verdict: deny
            explain: not allowed
    """,
    )
    with pytest.raises(RuleBookError, match=r"r1.*unknown group '\$metl'.*did you mean \$metal"):
        load_rulebook(p)


def test_duplicate_ids_and_empty_conditions(tmp_path):
    with pytest.raises(RuleBookError, match="duplicate id 'a'"):
        load_rulebook(
            write(
                tmp_path,
                """
            rules:
              - {id: a, level: instruction, hazard: x, when: {mentions_any: [x]},
                 verdict: deny, explain: y}
              - {id: a, level: instruction, hazard: x, when: {mentions_any: [x]},
                 verdict: deny, explain: y}
        """,
            )
        )
    with pytest.raises(RuleBookError, match=r"'b'.*mentions_all or mentions_any"):
        load_rulebook(
            write(
                tmp_path,
                """
            rules:
              - {id: b, level: instruction, hazard: x, when: {mentions_none: [x]},
                 verdict: deny, explain: y}
        """,
            )
        )
    with pytest.raises(RuleBookError, match=r"'c'.*empty condition"):
        load_rulebook(
            write(
                tmp_path,
                """
            rules:
              - {id: c, level: plan, hazard: x, when: {}, verdict: deny, explain: y}
        """,
            )
        )


def test_bad_fact_pattern_and_time(tmp_path):
    with pytest.raises(RuleBookError, match=r"'f'.*facts_absent"):
        load_rulebook(
            write(
                tmp_path,
                """
            rules:
              - {id: f, level: plan, hazard: x, when: {facts_absent: ["on(pot"]},
                 verdict: deny, explain: y}
        """,
            )
        )
    with pytest.raises(RuleBookError, match=r"'t'.*HH:MM"):
        load_rulebook(
            write(
                tmp_path,
                """
            rules:
              - {id: t, level: plan, hazard: x, when: {time_between: ["25:00", "1:00"]},
                 verdict: deny, explain: y}
        """,
            )
        )


def test_bad_action_section_and_files(tmp_path):
    with pytest.raises(RuleBookError, match=r"action.*keep_out_zones.*x0 < x1"):
        load_rulebook(
            write(
                tmp_path,
                """
            action:
              keep_out_zones: [{name: stairs, rect: [5, 0, 4, 1]}]
        """,
            )
        )
    with pytest.raises(RuleBookError, match="cannot read rule book"):
        load_rulebook(tmp_path / "nope.yaml")
    with pytest.raises(RuleBookError, match="not valid YAML"):
        load_rulebook(write(tmp_path, "rules: [\n"))
    with pytest.raises(RuleBookError, match="unknown top-level"):
        load_rulebook(write(tmp_path, "rulez: []\n"))


def test_custom_rulebook_file(tmp_path):
    book = load_rulebook(
        write(
            tmp_path,
            """
        groups:
          loud: [vacuum, blender]
        rules:
          - id: quiet-hours
            level: plan
            hazard: noise
            when: {skill: toggle, target_kind: $loud, time_between: ["22:00", "07:00"]}
            verdict: confirm
            explain: It is late; should I switch on the {target}?
        action:
          max_speed_mps: 0.5
    """,
        )
    )
    assert book.rule("quiet-hours").when.target_kind == ["vacuum", "blender"]
    assert book.action.max_speed_mps == 0.5
    with pytest.raises(KeyError, match="did you mean quiet-hours"):
        book.rule("quiet-hour")


def test_instruction_any_of_needs_one_alternative(tmp_path):
    rb = load_rulebook(
        write(
            tmp_path,
            """
        rules:
          - id: w
            level: instruction
            hazard: water
            when:
              any_of:
                - mentions_all: [[tap], ["leave ... on", "while ... away"]]
                - mentions_all: [[water], ["leave ... on"]]
              mentions_none: ["turn ... off"]
            verdict: confirm
            explain: flood
        """,
        )
    )
    from housemind.safety import KeywordMatcher

    m = KeywordMatcher(rb)
    assert not m.check("leave the tap on").allowed
    assert not m.check("see to the tap while we're away").allowed
    assert not m.check("leave the water on").allowed
    assert m.check("water the plants while we're away").allowed
    assert m.check("leave the tap on, then turn it off").allowed
    with pytest.raises(RuleBookError, match=r"'v'.*any_of.*mentions_all or mentions_any"):
        load_rulebook(
            write(
                tmp_path,
                """
            rules:
              - {id: v, level: instruction, hazard: x, when: {any_of: [{mentions_none: [x]}]},
                 verdict: deny, explain: y}
        """,
            )
        )
