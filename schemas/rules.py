"""The rules of a request body, exported from its msgspec types, and one checker that finds every problem at once.

`rules_of(IncidentIn)` walks the schema (msgspec.inspect) into a plain JSON tree: required fields, types,
lengths, ranges, patterns, choices, tagged unions, and the "one of these fields" rules a Struct declares in
its `one_of` class variable. The server runs `check` over a body that failed to decode, so a client gets
every field error in one answer; the record form's script (service/web/static/js/rules.js) runs the same
tree, read from the page, before it sends anything. msgspec's own decoding stays the authority.

Nodes: {"t": "struct", "fields": {name: node + "req"}, "closed": bool, "one_of": [[fields, code]]},
{"t": "tagged", "tag": field, "of": {tag: struct node}}, {"t": "str"|"int"|"float", limits...},
{"t": "list", "items": node, "min", "max"}, {"t": "enum", "values": [...]}, {"t": "datetime"|"date"|
"uuid"|"bool"|"any"}; any node may carry "null": true. Problems are (path, code, params), paths as msgspec
writes them (`goods[0].quantity`), each path once.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from functools import cache
from typing import Any, NamedTuple

import msgspec
import msgspec.inspect as mi

Node = dict[str, Any]
# The same shapes rules.js accepts (ISO 8601 as JSON carries it; a date-time needs its offset).
DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
UUID = r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
_LIMITS = {"min_length": "min", "max_length": "max", "ge": "ge", "le": "le", "gt": "gt", "lt": "lt"}


class Problem(NamedTuple):
    """One field at fault: its path, a catalogue code and the code's parameters."""

    path: str
    code: str
    params: dict[str, Any]


@cache
def rules_of(tp: Any) -> Node:
    """The rule tree of a type (a Struct, or a tagged union of Structs)."""
    return _node(mi.type_info(tp))


def _node(info: mi.Type) -> Node:
    while isinstance(info, mi.Metadata):
        info = info.type
    if isinstance(info, mi.UnionType):
        return _union(info)
    if isinstance(info, mi.StructType):
        return _struct(info)
    if isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        return {"t": "list", "items": _node(info.item_type), **_limits(info)}
    if isinstance(info, mi.EnumType):
        return {"t": "enum", "values": [member.value for member in info.cls]}
    if isinstance(info, mi.LiteralType):
        return {"t": "enum", "values": list(info.values)}
    simple = {
        mi.StrType: "str",
        mi.IntType: "int",
        mi.FloatType: "float",
        mi.BoolType: "bool",
        mi.DateTimeType: "datetime",
        mi.DateType: "date",
        mi.UUIDType: "uuid",
    }
    for kind, name in simple.items():
        if isinstance(info, kind):
            node: Node = {"t": name, **_limits(info)}
            if isinstance(info, mi.StrType) and info.pattern:
                node["pattern"] = info.pattern
            return node
    return {"t": "any"}


def _limits(info: mi.Type) -> Node:
    return {short: getattr(info, name) for name, short in _LIMITS.items() if getattr(info, name, None) is not None}


def _union(info: mi.UnionType) -> Node:
    members = [t for t in info.types if not isinstance(t, mi.NoneType)]
    structs = [t for t in members if isinstance(t, mi.StructType)]
    if len(members) == 1:
        node = dict(_node(members[0]))
    elif structs and len(structs) == len(members) and structs[0].tag_field:
        node = {"t": "tagged", "tag": structs[0].tag_field, "of": {s.tag: _struct(s) for s in structs}}
    else:
        node = {"t": "any"}
    if info.includes_none:
        node["null"] = True
    return node


def _struct(info: mi.StructType) -> Node:
    fields = {f.encode_name: _node(f.type) | ({"req": True} if f.required else {}) for f in info.fields}
    node: Node = {"t": "struct", "fields": fields}
    if info.forbid_unknown_fields:
        node["closed"] = True
    if one_of := [[list(names), code] for names, code in getattr(info.cls, "one_of", ())]:
        node["one_of"] = one_of
    return node


def check(value: Any, node: Node) -> list[Problem]:
    """Every problem of `value` against the rule tree, in field order, one per path."""
    found: dict[str, Problem] = {}
    for problem in _check(value, node, ""):
        found.setdefault(problem.path, problem)
    return list(found.values())


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _check(value: Any, node: Node, path: str) -> list[Problem]:
    if value is None:
        return [] if node.get("null") else [Problem(path, "field.required", {})]
    kind = node["t"]
    if kind == "struct":
        return _check_struct(value, node, path, skip=None)
    if kind == "tagged":
        return _check_tagged(value, node, path)
    if kind == "list":
        return _check_list(value, node, path)
    return _check_scalar(value, node, path)


def _check_tagged(value: Any, node: Node, path: str) -> list[Problem]:
    tag = node["tag"]
    if not isinstance(value, dict):
        return [Problem(path, "field.type", {"expected": "object"})]
    if tag not in value:
        return [Problem(_join(path, tag), "field.required", {})]
    if value[tag] not in node["of"]:
        return [Problem(_join(path, tag), "field.invalid_choice", {})]
    return _check_struct(value, node["of"][value[tag]], path, skip=tag)


def _check_struct(value: Any, node: Node, path: str, skip: str | None) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem(path, "field.type", {"expected": "object"})]
    problems: list[Problem] = []
    for name, field in node["fields"].items():
        if name in value:
            problems += _check(value[name], field, _join(path, name))
        elif field.get("req"):
            problems.append(Problem(_join(path, name), "field.required", {}))
    for names, code in node.get("one_of", ()):
        if all(value.get(name) in (None, "") for name in names):
            problems.append(Problem(_join(path, names[0]), code, {}))
    if node.get("closed"):
        problems += [
            Problem(_join(path, str(k)), "field.unknown", {}) for k in value if k not in node["fields"] and k != skip
        ]
    return problems


def _check_list(value: Any, node: Node, path: str) -> list[Problem]:
    if not isinstance(value, list):
        return [Problem(path, "field.type", {"expected": "array"})]
    if "min" in node and len(value) < node["min"]:
        return [Problem(path, "field.too_few", {"limit": node["min"]})]
    if "max" in node and len(value) > node["max"]:
        return [Problem(path, "field.too_many", {"limit": node["max"]})]
    return [p for index, item in enumerate(value) for p in _check(item, node["items"], f"{path}[{index}]")]


def _check_scalar(value: Any, node: Node, path: str) -> list[Problem]:
    code, params = _scalar_problem(value, node)
    return [Problem(path, code, params)] if code else []


def _scalar_problem(value: Any, node: Node) -> tuple[str | None, dict[str, Any]]:
    kind = node["t"]
    if kind == "str":
        return _text_problem(value, node)
    if kind in ("int", "float"):
        return _number_problem(value, node)
    if kind == "enum":
        return _choice_problem(value, node["values"])
    if kind == "bool":
        return (None, {}) if isinstance(value, bool) else ("field.type", {"expected": "bool"})
    if kind in ("datetime", "date", "uuid"):
        return (None, {}) if _well_formed(value, kind) else ("field.format", {})
    return None, {}


def _choice_problem(value: Any, values: list[Any]) -> tuple[str | None, dict[str, Any]]:
    kinds = {type(v) for v in values}
    if type(value) not in kinds:
        return "field.type", {"expected": "str" if str in kinds else "int"}
    return (None, {}) if value in values else ("field.invalid_choice", {})


def _text_problem(value: Any, node: Node) -> tuple[str | None, dict[str, Any]]:
    if not isinstance(value, str):
        return "field.type", {"expected": "str"}
    if "min" in node and len(value) < node["min"]:
        return ("field.required" if not value else "field.too_short"), {"limit": node["min"]}
    if "max" in node and len(value) > node["max"]:
        return "field.too_long", {"limit": node["max"]}
    if "pattern" in node and not re.search(node["pattern"], value):
        return "field.format", {}
    return None, {}


def _number_problem(value: Any, node: Node) -> tuple[str | None, dict[str, Any]]:
    integral = node["t"] == "int"
    if isinstance(value, bool) or not isinstance(value, int | float) or (integral and not isinstance(value, int)):
        return "field.type", {"expected": "int" if integral else "float"}
    if ("ge" in node and value < node["ge"]) or ("gt" in node and value <= node["gt"]):
        return "field.too_small", {"limit": node.get("ge", node.get("gt"))}
    if ("le" in node and value > node["le"]) or ("lt" in node and value >= node["lt"]):
        return "field.too_large", {"limit": node.get("le", node.get("lt"))}
    return None, {}


def _well_formed(value: Any, kind: str) -> bool:
    """A date-time with its offset, a calendar day or a UUID, as a string (or already that type)."""
    if isinstance(value, datetime):
        return kind == "datetime" and value.tzinfo is not None
    if isinstance(value, date):
        return kind == "date"
    if isinstance(value, uuid.UUID):
        return kind == "uuid"
    pattern = {"datetime": DATETIME, "date": DATE, "uuid": UUID}[kind]
    if not isinstance(value, str) or not re.match(pattern, value):
        return False
    try:
        msgspec.convert(value, {"datetime": datetime, "date": date, "uuid": uuid.UUID}[kind])
    except msgspec.ValidationError:
        return False
    return True


def required_in_group(node: Node, dotted: str) -> bool:
    """Whether the last field of a dotted path is required once its group is sent (`right_holder.name`)."""
    *groups, name = dotted.split(".")
    for group in groups:
        node = node["fields"][group]
        if node["t"] == "list":
            node = node["items"]
    return bool(node["fields"][name].get("req"))
