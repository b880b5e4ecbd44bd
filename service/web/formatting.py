"""How pages show values: dates dd/mm/yyyy in Asia/Ho_Chi_Minh, money as `1.250.000 ₫`, both languages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import urlencode

from service import i18n
from service.clock import LOCAL_TZ

EXPORT_FORMATS = ("csv", "xlsx")


def vnd(value: float | int | None) -> str:
    """Whole đồng with dots between thousands: 1250000 -> '1.250.000 ₫'."""
    if value is None:
        return "–"
    return f"{round(value):,} ₫".replace(",", ".")


def number(value: float | int | None, decimals: int = 0) -> str:
    """Vietnamese digits: dots between thousands, a comma before decimals."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,"))


def day(value: date | datetime | str | None) -> str:
    """dd/mm/yyyy; a moment is first put in Vietnam's time zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_TZ) if value.tzinfo else value
        return value.strftime("%d/%m/%Y")
    return value.strftime("%d/%m/%Y")


def moment(value: datetime | str | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam's time zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def both(pair: tuple[str, str], lang: str = "vi") -> str:
    """'first / second' with the reader's language first."""
    first, second = pair if lang == "vi" else (pair[1], pair[0])
    return first if first == second else f"{first} / {second}"


DAY_FORMAT = "dd/mm/yyyy"  # how every date field is typed, whatever the browser's locale
DAY_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"  # the input's pattern attribute: typed, or a link's ISO


def parse_day(raw: str) -> date:
    """A day typed as dd/mm/yyyy (d/m/yyyy too), or yyyy-mm-dd as links and older bookmarks carry it."""
    text = raw.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            continue
    raise ValueError(f"not a day: {raw!r}")


def day_input(value: str | None) -> str:
    """A date field's value as it is shown: a stored ISO day (or minute) as dd/mm/yyyy (HH:MM); typing kept as is."""
    if not value:
        return ""
    try:
        if len(value) == 10:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        if len(value) in (16, 19) and value[10] == "T":
            return datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        pass
    return value


def export_links(path: str, **params: object) -> dict[str, str]:
    """The CSV and XLSX downloads of one list, with its filters."""
    query = {k: str(v) for k, v in params.items() if v is not None}
    return {fmt: f"{path}?{urlencode({**query, 'format': fmt})}" for fmt in EXPORT_FORMATS}


def code_label(lang: i18n.Language) -> Callable[[str, str | None], str]:
    """`label("ui.referrals.status", "sent")`: the catalogue text of a stable code, else the code itself."""

    def label(prefix: str, code: str | None) -> str:
        key = f"{prefix}.{code}"
        return i18n.message(key, lang) if key in i18n.MESSAGES else code or ""

    return label


WEEKDAYS = {
    "vi": ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def due_day(value: date | None, lang: str = "vi") -> str:
    """A due day with its weekday: 'Thứ Hai, 07/12/2026' / 'Monday, 07/12/2026'."""
    if value is None:
        return ""
    return f"{WEEKDAYS['en' if lang == 'en' else 'vi'][value.weekday()]}, {value.strftime('%d/%m/%Y')}"
