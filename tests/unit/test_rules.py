"""The exported rules find every problem msgspec finds (the first of them, at least), and nothing on a good body."""

from __future__ import annotations

import copy
import json
from typing import Any

import msgspec
import pytest

from schemas.incidents import INCIDENT_INPUTS, IncidentIn
from schemas.rules import check, required_in_group, rules_of
from service.errors import validation_parts
from tests.incident_bodies import KIND_FIELDS, body

RULES = rules_of(IncidentIn)


def _broken(kind: str) -> list[dict[str, Any]]:
    good = body(kind)
    cases = []
    for name in good:
        if name == "kind":
            continue
        without = copy.deepcopy(good)
        del without[name]
        cases.append(without)
        wrong = copy.deepcopy(good)
        wrong[name] = {"unexpected": [1]} if not isinstance(good[name], dict) else "text"
        cases.append(wrong)
    return cases


@pytest.mark.parametrize("kind", sorted(KIND_FIELDS))
def test_a_good_body_has_no_problem(kind: str):
    assert check(body(kind), RULES) == []


@pytest.mark.parametrize("kind", sorted(KIND_FIELDS))
def test_msgspec_first_error_is_among_the_rules_problems(kind: str):
    for case in _broken(kind):
        try:
            msgspec.json.decode(json.dumps(case), type=IncidentIn, strict=True)
        except msgspec.ValidationError as exc:
            _, path = validation_parts(exc)
            found = [p.path for p in check(case, RULES)]
            assert any(path == f or path.startswith(f + ".") or f.startswith(path) for f in found), (path, found)


def test_each_path_is_named_once_and_the_place_rule_is_data():
    problems = check({"kind": "seizure", "location": None, "unit": None}, RULES)
    paths = [p.path for p in problems]
    assert len(paths) == len(set(paths))
    assert ("location", "incident.place_required") in [(p.path, p.code) for p in problems]
    assert RULES["of"]["seizure"]["one_of"] == [[["location", "unit"], "incident.place_required"]]


def test_required_within_a_group_follows_the_schema():
    seizure = rules_of(INCIDENT_INPUTS["seizure"])
    assert required_in_group(seizure, "right_holder.name")
    assert not required_in_group(seizure, "right_holder.mark")
    assert required_in_group(seizure, "goods.quantity")
    assert not required_in_group(seizure, "storage_place")
