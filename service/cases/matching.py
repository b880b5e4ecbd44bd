"""Do two incidents look like one case? Pure comparison of what each incident says (no database).

A pair is a *likely duplicate* when both are live (not withdrawn) and either

* they carry the same external number of the same kind (``same_reference``: the strongest sign, whatever the
  agencies, places and dates), or
* they were recorded by different agencies, occurred at most ``WINDOW_DAYS`` apart, at nearby places (both with
  GPS: at most ``DISTANCE_KM`` apart; otherwise the same 2025 unit, or the same 2024 district when a unit is
  missing), and they name the same violator (same ID number or tax code, or the same name folded without
  diacritics) or the same goods (a goods line of the same mark and quantity; the same work and number of copies;
  the same variety and quantity), with nothing contradicting it: two different violator names with no shared ID
  number, or two lists of marks with nothing in common, rule the pair out unless the ID number is the same.
  A mark alone is not enough: the same famous brand is seized from unrelated sellers in one town every week.

The coordinator decides: a flag is only a suggestion (service/cases/service.py).
"""

from __future__ import annotations

import difflib
import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from schemas.codes import WITHDRAWN
from service.incidents.anonymise import MARKER
from service.text import fold

WINDOW_DAYS = 7
DISTANCE_KM = 5.0
NAME_SIMILARITY = 0.9  # difflib ratio of two folded violator names taken as the same name ("cty abc" ~ "cty. abc")
EARTH_RADIUS_KM = 6371.0
REASONS: tuple[str, ...] = (
    "same_reference",
    "same_violator_id",
    "same_violator",
    "same_goods",
    "nearby_place",
    "close_dates",
)


@dataclass(frozen=True)
class Profile:
    """What comparing needs of one incident."""

    id: uuid.UUID
    agency_id: uuid.UUID
    occurred_at: datetime
    withdrawn: bool
    lon: float | None
    lat: float | None
    unit_2025: str | None
    district_2024: str | None
    violator_ids: frozenset[str]
    violator_name: str | None
    marks: frozenset[str]
    goods: frozenset[tuple[str, int]]


@dataclass(frozen=True)
class Match:
    """Why a pair was flagged, with how far apart the two are."""

    reasons: tuple[str, ...]
    distance_km: float | None
    days_apart: float


def _identity(value: Any) -> str:
    return "".join(ch for ch in fold(str(value or "")).upper() if ch.isalnum())


def marks_as_typed(payload: dict[str, Any]) -> list[str]:
    """The goods an incident names (infringed marks, the right holder's mark, work, variety, product), each once."""
    texts = [line.get("infringed_mark") for line in payload.get("goods") or []]
    texts.append((payload.get("right_holder") or {}).get("mark"))
    texts += [payload.get(key) for key in ("work_title", "variety_name", "product")]
    seen: dict[str, str] = {}
    for text in texts:
        if isinstance(text, str) and fold(text):
            seen.setdefault(fold(text), text.strip())
    return list(seen.values())


def _marks(payload: dict[str, Any]) -> frozenset[str]:
    return frozenset(fold(text) for text in marks_as_typed(payload))


def _goods(payload: dict[str, Any]) -> frozenset[tuple[str, int]]:
    """What was seized or copied, counted: (mark, quantity) per goods line, (work, copies), (variety, quantity)."""
    counted = [(line.get("infringed_mark"), line.get("quantity")) for line in payload.get("goods") or []]
    counted += [
        (payload.get("work_title"), payload.get("copies")),
        (payload.get("variety_name"), payload.get("quantity")),
    ]
    return frozenset(
        (fold(name), amount) for name, amount in counted if isinstance(name, str) and isinstance(amount, int)
    )


def profile(
    *,
    id: uuid.UUID,
    agency_id: uuid.UUID,
    occurred_at: datetime,
    status: str,
    lon: float | None,
    lat: float | None,
    unit_2025: str | None,
    district_2024: str | None,
    payload: dict[str, Any],
) -> Profile:
    """The comparable parts of an incident (its columns and payload)."""
    violator = payload.get("violator") or {}
    ids = frozenset(key for key in (_identity(violator.get("id_number")), _identity(violator.get("tax_code"))) if key)
    name = fold(violator.get("name") or "") or None
    if violator.get("name") == MARKER:
        name = None  # anonymised by retention: no name to compare
    return Profile(
        id=id,
        agency_id=agency_id,
        occurred_at=occurred_at,
        withdrawn=status == WITHDRAWN,
        lon=lon,
        lat=lat,
        unit_2025=unit_2025,
        district_2024=district_2024,
        violator_ids=ids,
        violator_name=name,
        marks=_marks(payload),
        goods=_goods(payload),
    )


def distance_km(a: Profile, b: Profile) -> float | None:
    """Great-circle distance between two GPS points, or None when either has none."""
    if a.lon is None or a.lat is None or b.lon is None or b.lat is None:
        return None
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlmb = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _nearby(a: Profile, b: Profile, km: float | None) -> bool:
    if km is not None:
        return km <= DISTANCE_KM
    if a.unit_2025 and b.unit_2025:
        return a.unit_2025 == b.unit_2025
    return bool(a.district_2024) and a.district_2024 == b.district_2024


def _same_name(a: str | None, b: str | None) -> bool | None:
    """True, False, or None when either name is missing."""
    if not a or not b:
        return None
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY


def compare(a: Profile, b: Profile, *, shared_refs: bool = False) -> Match | None:
    """The pair's match, or None when they do not look like one case (rules in the module docstring)."""
    if a.id == b.id or a.withdrawn or b.withdrawn:
        return None
    km = distance_km(a, b)
    days = abs((a.occurred_at - b.occurred_at).total_seconds()) / 86400
    reasons: list[str] = ["same_reference"] if shared_refs else []
    same_id = bool(a.violator_ids & b.violator_ids)
    same_name = _same_name(a.violator_name, b.violator_name)
    shared_marks = bool(a.marks & b.marks)
    same_goods = bool(a.goods & b.goods)
    if same_id:
        reasons.append("same_violator_id")
    if same_name:
        reasons.append("same_violator")
    if same_goods:
        reasons.append("same_goods")
    near = _nearby(a, b, km)
    close = days <= WINDOW_DAYS
    reasons += ["nearby_place"] * near + ["close_dates"] * close
    if shared_refs:
        return Match(tuple(reasons), km, days)
    contradicted = (same_name is False and not same_id) or (bool(a.marks and b.marks) and not shared_marks)
    alike = same_id or ((same_name or same_goods) and not contradicted)
    if a.agency_id == b.agency_id or not (near and close and alike):
        return None
    return Match(tuple(reasons), km, days)
