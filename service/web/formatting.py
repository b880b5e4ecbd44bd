"""How pages show values: dates dd/mm/yyyy in Asia/Ho_Chi_Minh, money as `1.250.000 ₫`, both languages."""

from __future__ import annotations

from datetime import date, datetime

from service.clock import LOCAL_TZ


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
