"""Synthetic incidents for bench_maps.py: clustered and background GPS points inside Lai Châu.

One seeded generator feeds both halves of the bench: an incident frame as ``maps.figures`` expects it
(columns ``maps.figures.INCIDENT_COLUMNS``) for the pure computation, and rows for ``COPY incidents`` for
the HTTP half. Every point lies in a 2025 unit and a 2024 district (``maps.geotag``), so every incident
is placed and has a position. Not a bench itself (no ``main``).
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:  # imported by a script in tests/benchmarks: make `maps` importable
    sys.path.insert(0, str(_ROOT))

from maps.boundaries import load_units_2025  # noqa: E402
from maps.figures import INCIDENT_COLUMNS  # noqa: E402
from maps.geotag import Geotagger  # noqa: E402

SEED = 20250701
CLUSTER_SHARE = 0.4  # the rest is background, uniform over the province
CLUSTER_UNITS = 12  # clusters centred in every len(units) // CLUSTER_UNITS-th unit
CLUSTER_SIGMA_DEG = (0.03, 0.06)  # spread of a cluster, about 3 to 6 km
START, END = datetime(2021, 1, 1, tzinfo=UTC), datetime(2025, 11, 1, tzinfo=UTC)
AGENCIES = {"QLTT": 50, "HQ": 20, "SVHTTDL": 15, "CA": 15}  # recording agency -> weight
KINDS = {"seizure": 60, "advertising_violation": 15, "customs_suspension": 10, "online_infringement": 15}
STATUSES = {"recorded": 40, "under_verification": 15, "sanctioned": 25, "referred": 5, "closed": 13, "withdrawn": 2}
SUBJECTS = (["NHAN_HIEU"], ["NHAN_HIEU", "KIEU_DANG_CN"], ["QUYEN_TAC_GIA"], ["CHI_DAN_DIA_LY"])
ACTS = (["HANG_GIA_MAO_NHAN_HIEU"], ["XAM_PHAM_NHAN_HIEU"], ["XAM_PHAM_QTG_KHAC"], ["HANG_GIA_MAO_CDDL"])
COPY_COLUMNS = [
    "id", "kind", "status", "version", "agency_id", "recorded_by_id", "recorded_at", "occurred_at", "detected_at",
    "lon", "lat", "location_source", "unit_2025", "district_2024", "district_2024_split", "subject_matter",
    "infringement_acts", "is_counterfeit", "is_ip_infringement", "goods_value_vnd", "crime_signs", "search_text",
    "payload", "created_at", "updated_at",
]  # fmt: skip

ObjectArray = npt.NDArray[np.object_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Points:
    """Positions and the codes ``maps.geotag`` gives them; every point is in a unit and a district."""

    lon: FloatArray
    lat: FloatArray
    unit_2025: ObjectArray
    district_2024: ObjectArray


def _centres() -> FloatArray:
    """Cluster centres: a point on the surface of every few 2025 units (in code order), as (lon, lat) rows."""
    units = load_units_2025().sort_values("code")
    chosen = units.geometry.iloc[:: max(1, len(units) // CLUSTER_UNITS)].iloc[:CLUSTER_UNITS]
    anchors = chosen.representative_point()
    return np.column_stack([anchors.x.to_numpy(), anchors.y.to_numpy()])


def _draw(rng: np.random.Generator, n: int, bounds: tuple[float, ...]) -> tuple[FloatArray, FloatArray]:
    """n candidate points: CLUSTER_SHARE around the centres (normal), the rest uniform in the bounding box."""
    centres = _centres()
    clustered = rng.random(n) < CLUSTER_SHARE
    which = rng.integers(0, len(centres), n)
    sigma = rng.uniform(*CLUSTER_SIGMA_DEG, len(centres))[which]
    xmin, ymin, xmax, ymax = bounds
    lon = np.where(clustered, centres[which, 0] + rng.normal(0, 1, n) * sigma, rng.uniform(xmin, xmax, n))
    lat = np.where(clustered, centres[which, 1] + rng.normal(0, 1, n) * sigma, rng.uniform(ymin, ymax, n))
    return lon, lat


def synthetic_points(n: int, seed: int = SEED) -> Points:
    """n points inside the province (clusters and background), drawn again until n fall in a unit and district."""
    tagger = Geotagger.from_bundled()
    units = load_units_2025()
    bounds = tuple(float(v) for v in units.total_bounds)
    rng = np.random.default_rng(seed)
    parts: list[tuple[FloatArray, FloatArray, ObjectArray, ObjectArray]] = []
    found = 0
    while found < n:
        lon, lat = _draw(rng, max(1_000, 2 * (n - found)), bounds)
        tags = tagger.tag(lon, lat)
        keep = (tags.unit_2025 != None) & (tags.district_2024 != None)  # noqa: E711 (element-wise)
        parts.append((lon[keep], lat[keep], tags.unit_2025[keep], tags.district_2024[keep]))
        found += int(keep.sum())
    lon, lat, unit, district = (np.concatenate([p[i] for p in parts])[:n] for i in range(4))
    return Points(np.round(lon, 6), np.round(lat, 6), unit, district)


def _pick(rng: np.random.Generator, weights: dict[str, int], n: int) -> ObjectArray:
    keys = np.array(list(weights), dtype=object)
    p = np.array(list(weights.values()), dtype=np.float64)
    return keys[rng.choice(len(keys), n, p=p / p.sum())]


def _lists(rng: np.random.Generator, options: tuple[list[str], ...], n: int) -> ObjectArray:
    choices = np.empty(len(options), dtype=object)
    choices[:] = options
    return choices[rng.integers(0, len(options), n)]


def incident_frame(n: int, seed: int = SEED) -> pd.DataFrame:
    """n incidents at synthetic points, with the columns and dtypes the service hands to ``maps.figures``."""
    points = synthetic_points(n, seed)
    rng = np.random.default_rng(seed + 1)
    kind = _pick(rng, KINDS, n)
    span = (END - START).total_seconds()
    occurred = pd.Timestamp(START) + pd.to_timedelta(rng.uniform(0, span, n), unit="s")
    goods = np.where(kind == "seizure", rng.integers(1, 500, n) * 1_000_000, 0)
    fines = rng.integers(0, 40, n) * 500_000
    frame = pd.DataFrame(
        {
            "id": [uuid.UUID(int=int(i)) for i in rng.integers(1, 2**62, n)],
            "kind": kind,
            "agency": _pick(rng, AGENCIES, n),
            "occurred_at": occurred.floor("s"),
            "lon": points.lon,
            "lat": points.lat,
            "unit_2025": points.unit_2025,
            "district_2024": points.district_2024,
            "district_2024_split": np.zeros(n, dtype=bool),
            "subject_matter": _lists(rng, SUBJECTS, n),
            "infringement_acts": _lists(rng, ACTS, n),
            "goods_value_vnd": pd.array(np.where(goods > 0, goods, None), dtype="Int64"),
            "fine_vnd": pd.array(np.where(fines > 0, fines, None), dtype="Int64"),
            "status": _pick(rng, STATUSES, n),
        },
        columns=list(INCIDENT_COLUMNS),
    )
    return frame


def copy_records(frame: pd.DataFrame, recorders: dict[str, tuple[uuid.UUID, uuid.UUID]]) -> Iterator[tuple[Any, ...]]:
    """Rows for ``COPY incidents (COPY_COLUMNS)`` from an incident frame; recorders: agency -> (agency, user id).

    Payloads are minimal (the maps do not read them); fines are not stored (no sanction decisions).
    """
    columns = ("kind", "agency", "occurred_at", "lon", "lat", "unit_2025", "district_2024", "subject_matter")
    columns += ("infringement_acts", "goods_value_vnd", "status")
    for kind, agency, occurred, lon, lat, unit, district, subjects, acts, goods, status in zip(
        *(frame[c].tolist() for c in columns), strict=True
    ):
        when: datetime = occurred.to_pydatetime()
        recorded = when + timedelta(hours=2)
        agency_id, user_id = recorders[agency]
        payload = f'{{"kind": "{kind}", "summary": "bench", "occurred_at": "{when.isoformat()}"}}'
        yield (
            uuid.uuid4(), kind, status, 1, agency_id, user_id, recorded, when, when, lon, lat, "gps", unit,
            district, False, subjects, acts, True, True, None if pd.isna(goods) else int(goods), "[]", "bench",
            payload, recorded, recorded,
        )  # fmt: skip
