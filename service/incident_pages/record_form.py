"""The record form as data: its fields per kind, what a browser posts turned into an IncidentIn, and every
error placed beside the input it concerns. Input names are the API's field paths (`goods.0.quantity`), so an
error from the schema or the service names its input directly."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

import msgspec

from schemas.codes import EXTERNAL_REF_KINDS, INFRINGEMENT_ACTS, SUBJECT_MATTERS
from schemas.incidents import INCIDENT_INPUTS, GoodsLine, IncidentIn
from service import i18n
from service.clock import LOCAL_TZ
from service.errors import AppError, field_invalid

FieldType = Literal["text", "textarea", "int", "vnd", "date", "datetime", "choice", "choices", "bool", "coord", "unit"]
Pair = tuple[str, str]


@dataclass(frozen=True)
class FormField:
    """One input: its name is the API path; `required` holds within its group (the part before the first dot)."""

    name: str
    type: FieldType = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str = ""

    @property
    def visible(self) -> bool:
        """Coordinates are filled by the phone's GPS, not typed."""
        return self.type != "coord"


def _f(name: str, type_: FieldType = "text", required: bool = False, **kw: Any) -> FormField:
    return FormField(name, type_, required, **kw)


# Sections of fields every kind has, in the order an inspector fills them in on site.
PLACE_FIELDS = (_f("location.lon", "coord"), _f("location.lat", "coord"), _f("unit.code", "unit"))
COMMON_SECTIONS: dict[str, tuple[FormField, ...]] = {
    "when": (_f("occurred_at", "datetime", True), _f("detected_at", "datetime"), _f("team")),
    "place": (*PLACE_FIELDS, _f("location.address")),
    "what": (
        _f("subject_matter", "choices", True, choices=SUBJECT_MATTERS),
        _f("infringement_acts", "choices", True, choices=INFRINGEMENT_ACTS),
        _f("is_counterfeit", "bool"),
        _f("is_ip_infringement", "bool", default="on"),
    ),
    "who": (
        _f("right_holder.name", required=True),
        _f("right_holder.mark"),
        _f("violator.type", "choice", True, choices=("individual", "household_business", "organisation")),
        _f("violator.name", required=True),
        _f("violator.id_number"),
        _f("violator.tax_code"),
        _f("violator.address"),
    ),
    # One external number (QLTT's INS case, a customs declaration...); the API takes up to ten.
    "refs": (
        _f("external_ref.kind", "choice", True, choices=EXTERNAL_REF_KINDS),
        _f("external_ref.number", required=True),
    ),
    "amounts": (_f("illegal_profit_vnd", "vnd"), _f("damage_vnd", "vnd"), _f("summary", "textarea")),
}
# Kinds an inspector records on a phone; disputes and mediation outcomes come through the API.
KIND_FIELDS: dict[str, tuple[FormField, ...]] = {
    "seizure": (
        _f("record_number", required=True),
        _f("temporary_seizure_decision.number", required=True),
        _f("temporary_seizure_decision.date", "date", True),
        _f("storage_place"),
    ),
    "customs_suspension": (
        _f("declaration_number", required=True),
        _f("border_gate", default="Ma Lù Thàng"),
        _f("requester", "choice", True, choices=("right_holder", "ex_officio")),
        _f("requester_name"),
        _f("security_deposit_vnd", "vnd", True),
        _f("suspension_start", "date", True),
        _f("suspension_end", "date"),
    ),
    "advertising_violation": (
        _f("medium", "choice", True, choices=("billboard", "print", "online", "broadcast")),
        _f("advertiser", required=True),
        _f("product", required=True),
        _f("content", "textarea"),
        _f("url"),
    ),
    "online_infringement": (
        _f("platform", required=True),
        _f("url", required=True),
        _f("seller_account", required=True),
        _f("captured_at", "datetime", True),
    ),
    "copyright_infringement": (
        _f("work_title", required=True),
        _f("copy_type", required=True),
        _f("copies", "int", True),
    ),
    "plant_variety_infringement": (
        _f("variety_name", required=True),
        _f("certificate_number", required=True),
        _f("quantity", "int", True),
        _f("quantity_unit", default="kg"),
    ),
}
FORM_KINDS = tuple(KIND_FIELDS)
GOODS_FIELDS = (
    _f("description", required=True),
    _f("infringed_mark", required=True),
    _f("quantity", "int", True),
    _f("unit", required=True),
    _f("unit_price_vnd", "vnd", True),
)
# Blocks that are not one input: errors about them are shown at the block.
BLOCKS = {"form", "place", "goods", "photos"}
ALIASES = {
    "location": "place",
    "unit": "place",
    "file": "photos",
    "kind": "form",
    "external_refs": "external_ref.number",
}
_GOODS_KEY = re.compile(r"^goods\.(\d+)\.(\w+)$")
_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+|\d+)$")
_INDEX = re.compile(r"\[(\d+)\]")


def fields_of(kind: str) -> list[FormField]:
    """Every field of the form for this kind, goods lines excepted."""
    common = [f for section in COMMON_SECTIONS.values() for f in section]
    return [*common, *KIND_FIELDS.get(kind, ())]


def defaults(kind: str = "seizure") -> dict[str, str | list[str]]:
    """The values of a blank form."""
    return {f.name: f.default for f in fields_of(kind) if f.default}


def normalize(path: str) -> str:
    """`goods[0].quantity` (msgspec) and `goods.0.quantity` (inputs) name the same thing."""
    return _INDEX.sub(r".\1", path)


def target(path: str, inputs: Iterable[str]) -> str:
    """The input (or block) an error about `path` is shown beside."""
    names = set(inputs) | BLOCKS
    current = normalize(path)
    while current:
        if current in names:
            return current
        if current in ALIASES:
            return ALIASES[current]
        current = current.rpartition(".")[0]
    return "form"


def label_key(path: str) -> str:
    """The catalogue key of a path's label: line numbers dropped (`goods.0.quantity` -> `goods.quantity`)."""
    return "ui.incidents.field." + ".".join(p for p in normalize(path).split(".") if not p.isdigit())


@dataclass
class FormErrors:
    """Errors by API path, in both languages; shown in the reader's language beside their input."""

    items: dict[str, Pair] = field(default_factory=dict)

    def add(self, path: str, code: str, **params: object) -> None:
        """One catalogue error for a path (the first error of a path wins)."""
        self.items.setdefault(path, i18n.both(code, field=path, **params))

    def add_app_error(self, exc: AppError) -> None:
        """Every field an AppError (or a schema failure) names."""
        for error in exc.field_errors():
            self.items.setdefault(error.field or "form", (error.message_vi, error.message_en))

    def localized(self, lang: i18n.Language, inputs: Iterable[str], label: Callable[[str], str]) -> dict[str, str]:
        """{input or block: message}, each field path in the message replaced by the field's label."""
        shown: dict[str, str] = {}
        names = list(inputs)
        for path, (vi, en) in self.items.items():
            text = (vi if lang == "vi" else en).replace(f"`{path}`", f"“{label(path)}”")
            shown.setdefault(target(path, names), text)
        return shown

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass
class Parsed:
    """What was typed (kept for the page), the input built from it, and the errors found."""

    kind: str
    values: dict[str, str | list[str]]
    goods: list[dict[str, str]]
    errors: FormErrors
    data: IncidentIn | None = None


def parse_number(raw: str) -> int | None:
    """Whole numbers as Vietnamese write them: `1.250.000`, `1250000`, `1 250 000 ₫`; None otherwise."""
    text = raw.replace("₫", "").replace(" ", "").replace("\u00a0", "")
    return int(text.replace(".", "")) if _NUMBER.match(text) else None


def parse_datetime(raw: str) -> datetime | None:
    """`2026-03-02T09:30` (a phone's date-time input) or `02/03/2026 09:30`, in Lai Châu's time."""
    for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"):
        try:
            return datetime.strptime(raw.strip(), pattern).replace(tzinfo=LOCAL_TZ)
        except ValueError:
            continue
    return None


def parse_date(raw: str) -> date | None:
    """`2026-03-02` (a date input) or `02/03/2026`."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw.strip(), pattern).date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            continue
    return None


def _convert(f: FormField, raw: str, path: str, errors: FormErrors) -> Any:
    """The typed value of one non-empty input, or None after noting why it is not one."""
    if f.type in ("int", "vnd"):
        value: Any = parse_number(raw)
        code = "ui.incidents.error.number"
    elif f.type == "datetime":
        value, code = parse_datetime(raw), "ui.incidents.error.datetime"
    elif f.type == "date":
        value, code = parse_date(raw), "ui.incidents.error.date"
    elif f.type == "coord":
        try:
            value = float(raw)
        except ValueError:
            value = None
        code = "ui.incidents.error.number"
    else:
        return raw.strip()
    if value is None:
        errors.add(path, code)
    return value


def _put(payload: dict[str, Any], path: str, value: Any) -> None:
    head, _, rest = path.partition(".")
    if rest:
        _put(payload.setdefault(head, {}), rest, value)
    else:
        payload[head] = value


def _text(values: Mapping[str, str | list[str]], name: str) -> str:
    value = values.get(name, "")
    return value if isinstance(value, str) else ""


def _fill(fields: Iterable[FormField], values: Mapping[str, str | list[str]], errors: FormErrors) -> dict[str, Any]:
    """The nested payload of these fields; a dotted group is sent only when one of its inputs has a value."""
    fields = list(fields)
    groups = {f.name.partition(".")[0] for f in fields if "." in f.name and values.get(f.name)}
    payload: dict[str, Any] = {}
    for f in fields:
        raw = values.get(f.name)
        group = f.name.partition(".")[0] if "." in f.name else None
        if f.type == "bool":
            payload[f.name] = raw == "on"
        elif not raw or (f.type == "text" and not _text(values, f.name).strip()):
            if f.required and (group is None or group in groups):
                errors.add(f.name, "field.required")
        elif f.type == "choices":
            payload[f.name] = list(raw)
        elif f.type == "unit":
            payload["unit"] = {"generation": "2025", "code": _text(values, f.name)}
        elif (value := _convert(f, _text(values, f.name), f.name, errors)) is not None:
            _put(payload, f.name, value)
    return payload


def _goods(values: Mapping[str, str | list[str]]) -> list[dict[str, str]]:
    """Goods lines as typed, in order, blank lines left out (so line numbers match what is shown again)."""
    lines: dict[int, dict[str, str]] = {}
    for name, value in values.items():
        match = _GOODS_KEY.match(name)
        if match and isinstance(value, str):
            lines.setdefault(int(match.group(1)), {})[match.group(2)] = value
    return [line for _, line in sorted(lines.items()) if any(v.strip() for v in line.values())]


def _goods_payload(lines: list[dict[str, str]], errors: FormErrors) -> list[dict[str, Any]]:
    """Each line converted and checked against the schema on its own, so every bad line is named at once."""
    if not lines:
        errors.add("goods", "field.too_few", limit=1)
    payload = []
    for index, line in enumerate(lines):
        prefixed = {f"goods.{index}.{k}": v for k, v in line.items()}
        before = len(errors.items)
        item = _fill([FormField(f"goods.{index}.{f.name}", f.type, f.required) for f in GOODS_FIELDS], prefixed, errors)
        converted = item.get("goods", {}).get(str(index), {})
        if len(errors.items) == before:
            try:
                msgspec.convert(converted, GoodsLine)
            except msgspec.ValidationError as exc:
                errors.add_app_error(field_invalid(exc, prefix=f"goods.{index}"))
        payload.append(converted)
    return payload


def typed_values(form: Mapping[str, Any], getall: Callable[[str], list[Any]]) -> dict[str, str | list[str]]:
    """The text of every input as posted (files and unknown parts left out); multi-selects as lists."""
    values: dict[str, str | list[str]] = {}
    for name in form:
        if name in ("subject_matter", "infringement_acts"):
            values[name] = [v for v in getall(name) if isinstance(v, str)]
        elif isinstance(form[name], str):
            values[name] = form[name]
    return values


def parse(values: dict[str, str | list[str]]) -> Parsed:
    """The posted form as an IncidentIn, or the errors that stop it (each named by its API path)."""
    kind = _text(values, "kind") or "seizure"
    errors = FormErrors()
    if kind not in KIND_FIELDS:
        errors.add("kind", "field.invalid_choice")
        kind = "seizure"
    lines = _goods(values)  # kept whatever the kind, so switching kinds back and forth loses nothing
    parsed = Parsed(kind, values, lines, errors)
    payload: dict[str, Any] = {"kind": kind, **_fill(fields_of(kind), values, errors)}
    if "external_ref" in payload:
        payload["external_refs"] = [payload.pop("external_ref")]
    if kind == "seizure":
        payload["goods"] = _goods_payload(lines, errors)
    if errors:
        return parsed
    try:
        parsed.data = msgspec.convert(payload, INCIDENT_INPUTS[kind])  # type: ignore[assignment]
    except msgspec.ValidationError as exc:
        errors.add_app_error(field_invalid(exc))
    return parsed


def goods_total(lines: Iterable[Mapping[str, str]]) -> int:
    """Quantity × unit price summed over the lines typed so far (unreadable numbers count as 0)."""
    return sum(
        (parse_number(line.get("quantity", "")) or 0) * (parse_number(line.get("unit_price_vnd", "")) or 0)
        for line in lines
    )
