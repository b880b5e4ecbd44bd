"""Incident figures per 2025 unit or per 2024 former district (pure: frames in, frames out).

Input is an *incident frame*: one row per incident with the columns

``id, kind, agency, occurred_at (tz-aware), lon, lat, unit_2025, district_2024, district_2024_split (bool),
subject_matter (list[str]), infringement_acts (list[str]), goods_value_vnd (Int64, may be NA),
fine_vnd (Int64, the incident's total fines, may be NA), status``.

``filter_incidents`` narrows the frame; ``figures_by_unit`` and ``figures_by_district`` count the
incidents and add up their seized goods value and fines, each in one generation of units.

Moving an incident to the other generation (DOMAIN.md §7) goes through the unit x district pieces:

* a known ``district_2024`` (from a GPS point, or a picked 2024 commune or district) counts whole in
  that district; a known ``unit_2025`` (from a point, a pick or the commune crosswalk) counts whole in
  that unit;
* an incident with only a 2025 unit that lies in one former district counts whole there (exact);
* an incident with only a 2025 unit that straddles two former districts (Đoàn Kết, Tân Phong,
  Sin Suối Hồ, Hua Bum, Lê Lợi, Pa Tần) is split between them by the pieces' ``share_of_unit``;
* symmetrically, an incident with only a 2024 district (no commune, no point) is split between the
  2025 units overlapping it by the pieces' ``share_of_district``.

Shares are normalised per unit (per district), so every incident adds exactly 1 to the count and its
full values to the sums of either table: both tables have the same totals. Split parts are reported
in ``split_count`` so that a page can say the figures were split by area (``any_split``).

Only the codes decide: the ``district_2024_split`` flag is not read (it mirrors "no district, straddling
unit"), and ``lon``/``lat`` were already turned into codes when the incident was stored.

Counts and sums are not rounded here (rounding each row would break the totals); ``rounded`` gives a
display copy. Incidents with neither a unit nor a district are left out of both tables
(``unplaced_count``).
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from maps.boundaries import load_districts_2024, load_units_2025
from maps.crosswalk import pieces_table

LOCAL_TZ = "Asia/Ho_Chi_Minh"
WITHDRAWN = "withdrawn"

INCIDENT_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "agency",
    "occurred_at",
    "lon",
    "lat",
    "unit_2025",
    "district_2024",
    "district_2024_split",
    "subject_matter",
    "infringement_acts",
    "goods_value_vnd",
    "fine_vnd",
    "status",
)
FIGURE_COLUMNS: tuple[str, ...] = ("count", "goods_value_vnd", "fine_vnd", "split_count")

_PLACE_COLUMNS = ("unit_2025", "district_2024", "goods_value_vnd", "fine_vnd")
_VALUE_COLUMNS = ("goods_value_vnd", "fine_vnd")


# --- reference tables ---------------------------------------------------------------------------


@functools.cache
def _pieces() -> pd.DataFrame:
    """Pieces with shares normalised to sum exactly to 1 per unit and per district."""
    pieces = pieces_table()[["unit_code", "district_code", "share_of_unit", "share_of_district"]].copy()
    pieces["unit_code"] = pieces["unit_code"].astype(object)
    pieces["district_code"] = pieces["district_code"].astype(object)
    for share, key in (("share_of_unit", "unit_code"), ("share_of_district", "district_code")):
        pieces[share] = pieces[share] / pieces.groupby(key)[share].transform("sum")
    return pieces


@functools.cache
def _unit_names() -> pd.DataFrame:
    """name and full_name of the 38 units, indexed by code (ascending)."""
    units = load_units_2025()
    return pd.DataFrame(
        {"name": units["name"].astype(object).to_numpy(), "full_name": units["full_name"].astype(object).to_numpy()},
        index=pd.Index(units["code"].astype(object).to_numpy(), name="code"),
    ).sort_index()


@functools.cache
def _district_names() -> pd.DataFrame:
    """name and full_name of the 8 former districts, indexed by code (ascending)."""
    districts = load_districts_2024()
    return pd.DataFrame(
        {
            "name": districts["name"].astype(object).to_numpy(),
            "full_name": districts["full_name"].astype(object).to_numpy(),
        },
        index=pd.Index(districts["code"].astype(object).to_numpy(), name="code"),
    ).sort_index()


def unit_codes() -> tuple[str, ...]:
    """The 38 2025 unit codes, ascending."""
    return tuple(str(code) for code in _unit_names().index)


def district_codes() -> tuple[str, ...]:
    """The 8 2024 district codes, ascending."""
    return tuple(str(code) for code in _district_names().index)


def straddling_units() -> dict[str, tuple[str, ...]]:
    """2025 units that straddle more than one former district -> those district codes (ascending)."""
    groups = _pieces().groupby("unit_code")["district_code"]
    return {str(unit): tuple(sorted(map(str, codes))) for unit, codes in groups if len(codes) > 1}


# --- filtering ----------------------------------------------------------------------------------


def _as_set(values: str | Collection[object]) -> set[object]:
    """A lone string is one value, not a collection of characters."""
    return {values} if isinstance(values, str) else set(values)


def _require(frame: pd.DataFrame, columns: Collection[str]) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"incident frame lacks column(s): {', '.join(missing)}")


def _local_day_start(day: date) -> pd.Timestamp:
    if isinstance(day, datetime):
        raise TypeError("start and end are calendar dates (datetime.date), not datetimes")
    return pd.Timestamp(day.year, day.month, day.day)


def _contains_any(lists: pd.Series, wanted: set[object]) -> pd.Series:
    """Per row: does the list in this cell share an element with ``wanted``? (NA or empty: no)."""
    flags = [isinstance(cell, list | tuple | np.ndarray) and not wanted.isdisjoint(cell) for cell in lists]
    return pd.Series(flags, index=lists.index, dtype=bool)


def filter_incidents(
    frame: pd.DataFrame,
    *,
    start: date | None = None,
    end: date | None = None,
    kinds: str | Collection[str] | None = None,
    agencies: str | Collection[object] | None = None,
    subject_matter: str | Collection[str] | None = None,
    act: str | Collection[str] | None = None,
    include_withdrawn: bool = False,
) -> pd.DataFrame:
    """Return the incidents matching every given filter (a new frame; rows keep their index).

    ``start`` and ``end`` are inclusive calendar days in local time (Asia/Ho_Chi_Minh) compared with
    ``occurred_at``, which must be timezone-aware. ``kinds`` and ``agencies`` keep incidents whose value
    is among those given; ``subject_matter`` and ``act`` keep incidents whose list
    (``subject_matter``, ``infringement_acts``) holds at least one of those given. A single string
    counts as one value. ``None`` means "no filter"; an empty collection matches nothing. Withdrawn
    incidents are left out unless ``include_withdrawn``.
    """
    keep = pd.Series(True, index=frame.index, dtype=bool)
    if start is not None or end is not None:
        _require(frame, ["occurred_at"])
        occurred = pd.to_datetime(frame["occurred_at"])
        if occurred.dt.tz is None:
            if len(occurred):
                raise ValueError("occurred_at must be timezone-aware")
            local = occurred  # an empty column has no timezone to check
        else:
            local = occurred.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None)
        if start is not None:
            keep &= local >= _local_day_start(start)
        if end is not None:
            keep &= local < _local_day_start(end) + timedelta(days=1)
    if kinds is not None:
        _require(frame, ["kind"])
        keep &= frame["kind"].isin(list(_as_set(kinds)))
    if agencies is not None:
        _require(frame, ["agency"])
        keep &= frame["agency"].isin(list(_as_set(agencies)))
    if subject_matter is not None:
        _require(frame, ["subject_matter"])
        keep &= _contains_any(frame["subject_matter"], _as_set(subject_matter))
    if act is not None:
        _require(frame, ["infringement_acts"])
        keep &= _contains_any(frame["infringement_acts"], _as_set(act))
    if not include_withdrawn:
        _require(frame, ["status"])
        keep &= frame["status"].ne(WITHDRAWN).fillna(True).astype(bool)
    return frame.loc[keep].copy()


# --- allocation ---------------------------------------------------------------------------------


def _codes(series: pd.Series, known: tuple[str, ...], what: str) -> pd.Series:
    """Codes as object strings with None for missing; unknown codes are an error."""
    values = pd.Series(
        [None if pd.isna(value) or value == "" else str(value) for value in series], index=series.index, dtype=object
    )
    unknown = sorted({value for value in values.dropna()} - set(known))
    if unknown:
        raise ValueError(f"unknown {what} code(s): {', '.join(unknown)}")
    return values


def _values(series: pd.Series) -> pd.Series:
    """VND amounts as float, NA counted as 0."""
    return pd.to_numeric(series).astype("Float64").fillna(0).astype(np.float64)


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Row per incident: unit, district, goods, fine (float VND), in a fresh positional index."""
    _require(frame, _PLACE_COLUMNS)
    return pd.DataFrame(
        {
            "unit": _codes(frame["unit_2025"], unit_codes(), "2025 unit").to_numpy(),
            "district": _codes(frame["district_2024"], district_codes(), "2024 district").to_numpy(),
            "goods_value_vnd": _values(frame["goods_value_vnd"]).to_numpy(),
            "fine_vnd": _values(frame["fine_vnd"]).to_numpy(),
        }
    )


def _allocate(rows: pd.DataFrame, target: str, source: str, share: str) -> pd.DataFrame:
    """Long table (target code, weight, split flag, values): each placed incident's weights sum to 1.

    ``target`` is the column of the wanted generation ("unit" or "district"); rows without it but with
    ``source`` are spread over the pieces of their source code by ``share``.
    """
    key = {"unit": "unit_code", "district": "district_code"}
    direct = rows.loc[rows[target].notna(), [target, *_VALUE_COLUMNS]].assign(weight=1.0, split=False)
    moved = rows.loc[rows[target].isna() & rows[source].notna(), [source, *_VALUE_COLUMNS]]
    pieces = _pieces()[[key[source], key[target], share]].rename(
        columns={key[source]: source, key[target]: target, share: "weight"}
    )
    spread = moved.merge(pieces, on=source, how="inner").drop(columns=source)
    spread["split"] = spread["weight"] < 1.0
    return pd.concat([direct, spread], ignore_index=True)


def _table(allocated: pd.DataFrame, target: str, names: pd.DataFrame) -> pd.DataFrame:
    """Weighted sums per code, reindexed to every code of the generation, with names."""
    weighted = pd.DataFrame(
        {
            "code": allocated[target].astype(object),
            "count": allocated["weight"].astype(np.float64),
            "goods_value_vnd": allocated["weight"] * allocated["goods_value_vnd"],
            "fine_vnd": allocated["weight"] * allocated["fine_vnd"],
            "split_count": allocated["weight"].where(allocated["split"].astype(bool), 0.0).astype(np.float64),
        }
    )
    sums = weighted.groupby("code", sort=True)[list(FIGURE_COLUMNS)].sum()
    sums = sums.reindex(names.index, fill_value=0.0).astype(np.float64)
    result = names.join(sums)
    result.index.name = "code"
    return result


def figures_by_unit(frame: pd.DataFrame) -> pd.DataFrame:
    """Figures per 2025 unit: all 38 codes (ascending) as index; name, full_name and FIGURE_COLUMNS.

    ``count`` is the number of incidents; ``goods_value_vnd`` and ``fine_vnd`` are VND sums (NA as 0).
    All figure columns are float: they are whole numbers unless an incident placed only by a 2024
    district was split between units by area (then ``split_count`` > 0 in those units).
    """
    rows = _prepare(frame)
    return _table(_allocate(rows, "unit", "district", "share_of_district"), "unit", _unit_names())


def figures_by_district(frame: pd.DataFrame) -> pd.DataFrame:
    """Figures per 2024 former district: all 8 codes (ascending) as index; name, full_name, FIGURE_COLUMNS.

    Same columns as ``figures_by_unit``. An incident known only by a 2025 unit that straddles two
    districts is split between them by area share; ``split_count`` is the part of ``count`` so obtained.
    """
    rows = _prepare(frame)
    return _table(_allocate(rows, "district", "unit", "share_of_unit"), "district", _district_names())


def figures_by(frame: pd.DataFrame, generation: str) -> pd.DataFrame:
    """``figures_by_unit`` for generation "2025", ``figures_by_district`` for "2024"."""
    if generation == "2025":
        return figures_by_unit(frame)
    if generation == "2024":
        return figures_by_district(frame)
    raise ValueError(f"generation must be '2024' or '2025', not {generation!r}")


def any_split(table: pd.DataFrame) -> bool:
    """True when some figure in a ``figures_by_*`` table came from an area-share split."""
    return bool((table["split_count"] > 0).any())


def unplaced_count(frame: pd.DataFrame) -> int:
    """Number of incidents with neither a 2025 unit nor a 2024 district (left out of both tables)."""
    rows = _prepare(frame)
    return int((rows["unit"].isna() & rows["district"].isna()).sum())


def rounded(table: pd.DataFrame, *, count_decimals: int = 2) -> pd.DataFrame:
    """Display copy: counts to ``count_decimals`` places, VND sums to whole đồng (totals may then differ)."""
    result = table.copy()
    result[["count", "split_count"]] = result[["count", "split_count"]].round(count_decimals)
    for column in _VALUE_COLUMNS:
        result[column] = result[column].round(0).astype("int64")
    return result
