"""Cells of past spreadsheets read as ipcoord values: dates, whole numbers, kinds and codes (pure).

Each reader returns the value or raises `CellError` with a catalogue code; the row reader names the field.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from schemas.codes import INCIDENT_KINDS
from service import labels
from service.text import fold

EXCEL_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001 - wall-clock day 0 of the 1900 date system
FIRST_SERIAL = 36526  # 1 January 2000: smaller numbers are not dates of past incidents
LAST_SERIAL = 2958465  # 31 December 9999
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$")
_CURRENCY = re.compile(r"\s*(?:vnđ|vnd|đồng|đ|₫)\.?$", re.IGNORECASE)
_THOUSANDS = re.compile(r"^\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*$")
_ZERO_DECIMALS_VI = re.compile(r"^(\d{1,3}(?:\.\d{3})*|\d+),0+$")  # 1.250.000,00
_ZERO_DECIMALS_EN = re.compile(r"^(\d{1,3}(?:,\d{3})*|\d+)\.0+$")  # 1,250,000.00
_SEIZURE_WORDS = frozenset({"thu giu", "kiem tra, thu giu", "kiem tra thu giu", "tich thu", "tam giu"})
VIOLATOR_TYPES = {
    "individual": "individual",
    "ca nhan": "individual",
    "organisation": "organisation",
    "organization": "organisation",
    "to chuc": "organisation",
    "doanh nghiep": "organisation",
    "household_business": "household_business",
    "ho kinh doanh": "household_business",
}

Value = str | int | float | None


class CellError(Exception):
    """A cell that cannot be read as the field wants; `code` is a catalogue code, `params` fill it."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def text(value: Value) -> str | None:
    """The cell as text (a whole number without '.0'), or None when empty."""
    if value is None:
        return None
    return str(value).strip() or None


def read_moment(value: Value) -> datetime:
    """A naive local date-time from dd/mm/yyyy, d/m/yy, yyyy-mm-dd[ hh:mm] or an Excel serial day."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value, str(value))
    raw = text(value) or ""
    if raw.isdigit():
        return _serial(int(raw), raw)
    if match := _DMY.match(raw):
        day, month, year = (int(part) for part in match.groups())
        return _real(raw, year + 2000 if len(match.group(3)) == 2 else year, month, day)
    if match := _ISO.match(raw):
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
        return _real(raw, year, month, day) + timedelta(hours=hour, minutes=minute, seconds=second)
    raise CellError("import.value.date_format", value=raw)


def _serial(number: float, raw: str) -> datetime:
    if not FIRST_SERIAL <= number <= LAST_SERIAL:
        raise CellError("import.value.date_format", value=raw)
    moment = EXCEL_EPOCH + timedelta(days=number)
    return moment.replace(second=0, microsecond=0)


def _real(raw: str, year: int, month: int, day: int) -> datetime:
    try:
        return datetime(year, month, day)  # noqa: DTZ001 - a local wall-clock time; the caller adds the zone
    except ValueError:
        raise CellError("import.value.not_a_date", value=raw) from None


def read_whole(value: Value) -> int:
    """A whole, non-negative number: 1250000, "1.250.000", "1,250,000", "1 250 000 đ", "1.250.000,00"."""
    if isinstance(value, bool):
        raise CellError("import.value.whole_number", value=str(value))
    if isinstance(value, int):
        if value < 0:
            raise CellError("import.value.whole_number", value=str(value))
        return value
    if isinstance(value, float):
        if value < 0 or not value.is_integer():
            raise CellError("import.value.whole_number", value=str(value))
        return int(value)
    raw = text(value) or ""
    digits = _CURRENCY.sub("", raw).replace(" ", "").replace("\u00a0", "")
    if digits.isdigit():
        return int(digits)
    if _THOUSANDS.match(digits):
        return int(re.sub(r"[.,]", "", digits))
    for pattern in (_ZERO_DECIMALS_VI, _ZERO_DECIMALS_EN):
        if match := pattern.match(digits):
            return int(re.sub(r"[.,]", "", match.group(1)))
    raise CellError("import.value.whole_number", value=raw)


def read_kind(value: Value) -> str:
    """The incident kind from its code or its label in either language; only seizures can be imported."""
    raw = text(value) or ""
    key = fold(raw)
    known = {code: code for code in INCIDENT_KINDS}
    for code, (vi, en) in labels.KINDS.items():
        known[fold(vi)] = known[fold(en)] = code
    kind = "seizure" if key in _SEIZURE_WORDS else known.get(key) or known.get(raw)
    if kind is None:
        raise CellError("import.value.kind", value=raw)
    if kind != "seizure":
        raise CellError("import.value.kind_unsupported", value=raw)
    return kind


def read_codes(value: Value, table: dict[str, tuple[str, str]]) -> list[str]:
    """Codes separated by ';' or new lines, each written as its code or its label in either language."""
    known: dict[str, str] = {}
    for code, (vi, en) in table.items():
        known[fold(code)] = known[fold(vi)] = known[fold(en)] = code
    codes: list[str] = []
    for item in re.split(r"[;\n]", text(value) or ""):
        if not item.strip():
            continue
        found = known.get(fold(item))
        if found is None:
            raise CellError("import.value.unknown_code", value=item.strip())
        if found not in codes:
            codes.append(found)
    return codes


def read_violator_type(value: Value) -> str:
    """individual, organisation or household_business, from the code or the Vietnamese words."""
    raw = text(value) or ""
    found = VIOLATOR_TYPES.get(fold(raw))
    if found is None:
        raise CellError("import.value.violator_type", value=raw)
    return found
