"""One row of a mapped file -> the incident input it stands for, with every problem found (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import msgspec

from schemas.incidents import SeizureIn
from service import labels
from service.clock import LOCAL_TZ
from service.errors import field_error_from_message, validation_parts
from service.imports import units, values
from service.imports.mapping import Plan
from service.imports.values import CellError, Value
from service.incidents.service import MAX_VND

DEFAULT_LOT_UNIT = "lô"  # a value without a quantity is stored as one lot
# msgspec paths of the incident input -> the import field they come from.
_SCHEMA_FIELDS = {
    "record_number": "record_number",
    "goods[0].description": "goods_description",
    "goods[0].infringed_mark": "goods_mark",
    "goods[0].quantity": "goods_quantity",
    "goods[0].unit": "goods_unit",
    "goods[0].unit_price_vnd": "goods_unit_price",
    "violator.name": "violator_name",
    "violator.address": "violator_address",
    "team": "team",
    "summary": "notes",
    "subject_matter": "subject_matter",
    "infringement_acts": "infringement_acts",
}


@dataclass(frozen=True)
class Problem:
    """An error or warning about a field of a row: a catalogue code and its parameters."""

    field: str
    column: str | None
    code: str
    params: dict[str, object]
    texts: tuple[str, str] | None = None  # already worded (schema messages), else from the catalogue


@dataclass
class RowRead:
    """What a row would store (None while it has errors), how its names were read, what is wrong."""

    row: int
    data: SeizureIn | None = None
    matches: list[tuple[str, units.Found]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


class _Reader:
    """Reads one row's cells through the plan, collecting problems instead of stopping at the first."""

    def __init__(self, plan: Plan, cells: list[Value], result: RowRead) -> None:
        self.plan, self.cells, self.result = plan, cells, result

    def raw(self, name: str) -> Value:
        index = self.plan.columns.get(name)
        return None if index is None else self.cells[index]

    def fail(self, name: str, code: str, **params: object) -> None:
        self.result.errors.append(Problem(name, self.plan.header(name), code, params))

    def read(self, name: str, parse: Callable[[Value], Any], default: Any = None) -> Any:
        """The field's value (the default when its cell is empty), or None after noting the problem."""
        raw = self.raw(name)
        if values.text(raw) is None:
            return default
        try:
            return parse(raw)
        except CellError as error:
            self.fail(name, error.code, **error.params)
            return None


def read_row(plan: Plan, cells: list[Value], today: date) -> RowRead:
    """The incident input of a row of the file (`cells[0]` is its row number)."""
    result = RowRead(row=int(cells[0] or 0))
    reader = _Reader(plan, cells[1:], result)
    occurred = _dates(reader, today)
    payload: dict[str, Any] = {
        "kind": reader.read("kind", values.read_kind, plan.defaults.kind),
        "occurred_at": occurred[0],
        "detected_at": occurred[1],
        "record_number": reader.read("record_number", values.text),
        "goods": [_goods(reader)],
        "subject_matter": reader.read("subject_matter", _codes(labels.SUBJECT_MATTERS), plan.defaults.subject_matter),
        "infringement_acts": reader.read(
            "infringement_acts", _codes(labels.INFRINGEMENT_ACTS), plan.defaults.infringement_acts
        ),
        "team": reader.read("team", values.text, plan.defaults.team),
        "summary": reader.read("notes", values.text, ""),
    }
    payload["violator"] = _violator(reader)
    # Without a readable date, names are still checked, in the 2024 names first (most past files).
    payload["unit"] = _place(reader, occurred[0].date() if occurred[0] else date.min)
    if not result.errors:
        result.data = _validated(reader, {k: v for k, v in payload.items() if v is not None})
    return result


def _codes(table: dict[str, tuple[str, str]]) -> Callable[[Value], list[str]]:
    return lambda raw: values.read_codes(raw, table)


def _dates(reader: _Reader, today: date) -> tuple[datetime | None, datetime | None]:
    """(occurred, detected) in Lai Châu time; neither in the future, detected not before occurred."""
    moments: list[datetime | None] = []
    for name in ("occurred_on", "detected_on"):
        moment = reader.read(name, values.read_moment)
        if moment is not None and moment.date() > today:
            reader.fail(name, "import.value.in_future", value=values.text(reader.raw(name)), year=moment.year)
            moment = None
        moments.append(moment.replace(tzinfo=LOCAL_TZ) if moment else None)
    if values.text(reader.raw("occurred_on")) is None:
        reader.fail("occurred_on", "import.value.required")
    occurred, detected = moments
    if occurred and detected and detected < occurred:
        reader.fail("detected_on", "import.value.detected_before_occurred")
    return occurred, detected


def _goods(reader: _Reader) -> dict[str, Any]:
    """One goods line: the unit price, or the total value divided by the quantity (one lot without one)."""
    quantity = reader.read("goods_quantity", values.read_whole)
    price = reader.read("goods_unit_price", values.read_whole)
    total = reader.read("goods_total_value", values.read_whole)
    unit = reader.read("goods_unit", values.text, reader.plan.defaults.goods_unit)
    if quantity is None and values.text(reader.raw("goods_quantity")) is None:
        quantity, unit = 1, unit or DEFAULT_LOT_UNIT
    if price is None and total is not None and quantity:
        if total % quantity:
            reader.fail("goods_total_value", "import.value.total_not_divisible", total=total, quantity=quantity)
        price = total // quantity
    elif price is not None and total is not None and quantity and price * quantity != total:
        reader.fail("goods_total_value", "import.value.total_mismatch", total=total, quantity=quantity, price=price)
    if price is None and not _has(reader, "goods_unit_price", "goods_total_value"):
        reader.fail("goods_unit_price", "import.value.price_missing")
    if price is not None and quantity and price * quantity > MAX_VND:
        reader.fail("goods_total_value", "incident.goods_total_too_large")
    line = {
        "description": reader.read("goods_description", values.text),
        "infringed_mark": reader.read("goods_mark", values.text),
        "quantity": quantity,
        "unit": unit,
        "unit_price_vnd": price,
    }
    return {k: v for k, v in line.items() if v is not None}


def _has(reader: _Reader, *names: str) -> bool:
    return any(values.text(reader.raw(name)) is not None for name in names)


def _violator(reader: _Reader) -> dict[str, Any] | None:
    name = reader.read("violator_name", values.text)
    kind = reader.read("violator_type", values.read_violator_type, reader.plan.defaults.violator_type)
    address = reader.read("violator_address", values.text)
    if name is None:
        return None
    return {"type": kind, "name": name, **({"address": address} if address else {})}


def _place(reader: _Reader, on: date) -> dict[str, str] | None:
    """The unit to pick: the commune (either generation, through the district), else the 2024 district."""
    district = _find(reader, "district", units.find_district)
    if district is None and values.text(reader.raw("district")) is not None:
        return None
    if values.text(reader.raw("commune")) is None:
        if district is None:
            reader.fail("commune", "import.unit.missing")
            return None
        return {"generation": "2024", "code": district.unit.code}
    commune = _find(reader, "commune", lambda written: units.find_commune(written, on, district))
    return None if commune is None else {"generation": commune.unit.generation, "code": commune.unit.code}


def _find(reader: _Reader, name: str, find: Callable[[str], units.Found]) -> units.Found | None:
    """The unit a place cell names; a fuzzy match is kept with a warning the importer must confirm."""
    written = values.text(reader.raw(name))
    if written is None:
        return None
    try:
        found = find(written)
    except CellError as error:
        reader.fail(name, error.code, **error.params)
        return None
    reader.result.matches.append((name, found))
    if found.how == "fuzzy":
        params: dict[str, object] = {"value": written, "unit": found.unit.full_name}
        reader.result.warnings.append(Problem(name, reader.plan.header(name), "import.unit.fuzzy", params))
    return found


_MISSING = re.compile(r"Object missing required field `(?P<name>[^`]+)`")


def _validated(reader: _Reader, payload: dict[str, Any]) -> SeizureIn | None:
    """The payload through the incident schema; its complaint is named by the import field it came from."""
    try:
        return msgspec.convert(payload, SeizureIn)
    except msgspec.ValidationError as error:
        message, path = validation_parts(error)
        missing = _MISSING.search(message)
        if missing:
            path = ".".join(part for part in (path, missing.group("name")) if part)
        name = _SCHEMA_FIELDS.get(path, path or "row")
        if missing:
            reader.fail(name, "import.value.required")
        else:
            named = field_error_from_message(name, message)
            texts = (named.message_vi, named.message_en)
            reader.result.errors.append(Problem(name, reader.plan.header(name), named.code, {}, texts))
        return None
