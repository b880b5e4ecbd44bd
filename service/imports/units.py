"""Place names of past spreadsheets -> administrative units of either generation (pure; bundled registry).

A name is matched as written (case aside), then without diacritics, in the generation of the incident's
date first; only then by a small edit distance, which the importer must confirm. A district narrows the
communes; `Xã`/`Thị trấn`/`Phường` (or `X.`, `TT`, `P.`) tells apart communes of the same name.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from maps import boundaries, crosswalk
from service.imports.values import CellError
from service.incidents.placing import REFORM_DAY, bundled_crosswalk
from service.text import fold

# Folded prefixes -> the unit kind they name (folded).
_KIND_PREFIXES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("thi", "tran"), "thi tran"),
    (("tt",), "thi tran"),
    (("tt.",), "thi tran"),
    (("phuong",), "phuong"),
    (("p.",), "phuong"),
    (("xa",), "xa"),
    (("x.",), "xa"),
    (("thanh", "pho"), "thanh pho"),
    (("tp",), "thanh pho"),
    (("tp.",), "thanh pho"),
    (("huyen",), "huyen"),
    (("h.",), "huyen"),
)
_GLUED = re.compile(r"^(tt|p|x|tp|h)\.(?=\S)", re.IGNORECASE)
SUGGESTIONS = 3
CACHED_NAMES = 4096  # names remembered with the unit they were read as (found ones; refusals are read again)
LONG_NAME = 10  # letters (folded, spaces included) from which two edits are still a misspelling


@dataclass(frozen=True)
class Unit:
    """A unit as names find it."""

    code: str
    generation: str  # 2024 | 2025
    kind: str  # folded: xa, phuong, thi tran, huyen, thanh pho
    name: str  # without its kind: "Bản Bo"
    full_name: str  # "Xã Bản Bo"
    districts: tuple[str, ...]  # the 2024 districts it lies in (itself for a district)

    @property
    def exact(self) -> str:
        return unicodedata.normalize("NFC", self.name).casefold()

    @property
    def folded(self) -> str:
        return fold(self.name)


@dataclass(frozen=True)
class Found:
    """The unit a name was read as, and how: exact, folded (diacritics aside) or fuzzy (needs confirmation)."""

    written: str
    unit: Unit
    how: str


def split_kind(written: str) -> tuple[str | None, str]:
    """('xa', 'Bản Bo') from 'Xã Bản Bo'; (None, 'Bản Bo') when no kind is written."""
    words = _GLUED.sub(r"\1. ", " ".join(unicodedata.normalize("NFC", written).split())).split()
    folded = [fold(word) for word in words]
    for prefix, kind in _KIND_PREFIXES:
        if tuple(folded[: len(prefix)]) == prefix and len(words) > len(prefix):
            return kind, " ".join(words[len(prefix) :])
    return None, " ".join(words)


def _unit(code: str, generation: str, full_name: str, districts: tuple[str, ...]) -> Unit:
    kind, name = split_kind(full_name)
    return Unit(code, generation, kind or "", name, full_name, districts)


@functools.cache
def districts_2024() -> tuple[Unit, ...]:
    """The 8 districts of 2024."""
    rows = boundaries.load_districts_2024().itertuples()
    return tuple(_unit(str(r.code), "2024", str(r.full_name), (str(r.code),)) for r in rows)


@functools.cache
def communes_2024() -> tuple[Unit, ...]:
    """The 106 communes of 2024, each in one district."""
    rows = crosswalk.communes_2024().itertuples()
    return tuple(_unit(str(r.code), "2024", str(r.name), (str(r.district_code),)) for r in rows)


@functools.cache
def units_2025() -> tuple[Unit, ...]:
    """The 38 units of 2025, with the 2024 districts each overlaps."""
    overlaps = bundled_crosswalk().unit_districts
    rows = boundaries.load_units_2025().itertuples()
    return tuple(_unit(str(r.code), "2025", str(r.full_name), overlaps.get(str(r.code), ())) for r in rows)


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, replacements and swaps of two neighbours turning a into b (optimal alignment)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i]
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            best = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, rows[i - 2][j - 2] + 1)
            row.append(best)
        rows.append(row)
    return rows[-1][-1]


def _hits(kind: str | None, matches: list[Unit]) -> list[Unit]:
    """The written kind narrows the matches when it can; a wrong kind alone does not lose a unique name."""
    narrowed = [u for u in matches if u.kind == kind]
    return narrowed if kind and narrowed else matches


def _names(units: list[Unit]) -> str:
    return ", ".join(u.full_name for u in units)


def find(written: str, pools: list[tuple[Unit, ...]]) -> Found:
    """The one unit a name stands for, trying each pool in order; CellError when none or several fit."""
    kind, name = split_kind(written)
    exact, folded = unicodedata.normalize("NFC", name).casefold(), fold(name)
    for how in ("exact", "folded"):
        for pool in pools:
            matches = [u for u in pool if (u.exact == exact if how == "exact" else u.folded == folded)]
            hits = _hits(kind, matches)
            if len(hits) == 1:
                return Found(written, hits[0], how)
            if hits:
                raise CellError("import.unit.ambiguous", value=written, candidates=_names(hits))
    return _fuzzy(written, kind, folded, pools)


def _fuzzy(written: str, kind: str | None, folded: str, pools: list[tuple[Unit, ...]]) -> Found:
    """The closest name within one edit (two from ten letters), if it is the only one that close in its pool."""
    limit = 1 if len(folded) < LONG_NAME else 2
    for pool in pools:
        scored = [(edit_distance(folded, u.folded), u) for u in pool]
        best = min((distance for distance, _ in scored), default=limit + 1)
        hits = _hits(kind, [u for distance, u in scored if distance == best and distance <= limit])
        if len(hits) == 1:
            return Found(written, hits[0], "fuzzy")
        if hits:  # several names equally close: a guess, not a match
            raise CellError("import.unit.unknown", value=written, suggestions=_names(hits[:SUGGESTIONS]))
    units = [u for pool in pools for u in pool]
    close = difflib.get_close_matches(folded, list(dict.fromkeys(u.folded for u in units)), SUGGESTIONS, 0.6)
    suggestions = [next(u for u in units if u.folded == key) for key in close]
    raise CellError("import.unit.unknown", value=written, suggestions=_names(suggestions) or "–")


def commune_pools(on: date, district: Unit | None) -> list[tuple[Unit, ...]]:
    """Communes of the incident's generation first, narrowed to the district when one is known."""
    old, new = communes_2024(), units_2025()
    if district is not None:
        old = tuple(u for u in old if district.code in u.districts)
        new = tuple(u for u in new if district.code in u.districts)
    return [old, new] if on < REFORM_DAY else [new, old]


def find_commune(written: str, on: date, district: Found | None) -> Found:
    """The commune of a row; a name found only outside the row's district says where it is."""
    return _commune(written, on < REFORM_DAY, district.unit if district else None)


@functools.lru_cache(maxsize=CACHED_NAMES)
def _commune(written: str, before_reform: bool, district: Unit | None) -> Found:
    """find_commune, once per name, generation and district (a register repeats a few dozen names)."""
    on = date.min if before_reform else REFORM_DAY
    try:
        return find(written, commune_pools(on, district))
    except CellError as error:
        if district is None or error.code != "import.unit.unknown":
            raise
        try:
            elsewhere = find(written, commune_pools(on, None))
        except CellError:
            raise error from None
        if elsewhere.how == "fuzzy":  # a guess elsewhere says nothing about the district
            raise error from None
        names = {u.code: u.full_name for u in districts_2024()}
        actual = ", ".join(names.get(code, code) for code in elsewhere.unit.districts)
        raise CellError(
            "import.unit.not_in_district", value=written, district=district.full_name, actual=actual
        ) from None


@functools.lru_cache(maxsize=CACHED_NAMES)
def find_district(written: str) -> Found:
    """One of the 8 districts of 2024."""
    return find(written, [districts_2024()])


@functools.cache
def full_names() -> dict[tuple[str, str], str]:
    """(generation, code) -> full name, for every unit of both generations."""
    return {(u.generation, u.code): u.full_name for u in (*districts_2024(), *communes_2024(), *units_2025())}
