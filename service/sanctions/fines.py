"""Pure fine rules of DOMAIN.md §5: which sector an act belongs to, which ceiling applies on a date, the check."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

from service.clock import Versioned, is_in_force
from service.errors import AppError
from service.sanctions.reference import DEFAULT_SECTOR, SECTOR_OF_ACT


class CeilingLike(Versioned, Protocol):
    """A versioned maximum fine: a FineCeiling row, or any object with the same attributes."""

    @property
    def sector(self) -> str: ...

    @property
    def violator_type(self) -> str: ...

    @property
    def max_fine_vnd(self) -> int: ...


class FineOverCeiling(AppError):
    """The fine is above the maximum the law allows for these acts and this violator."""

    status = 422
    code = "sanction.fine_over_ceiling"


class NoFineCeiling(AppError):
    """No maximum fine is on record for the decision date, so the fine cannot be checked."""

    status = 422
    code = "sanction.no_ceiling"


def sector_of(act: str) -> str:
    """The sector whose fine ceiling governs one infringement act (industrial property unless listed)."""
    return SECTOR_OF_ACT.get(act, DEFAULT_SECTOR)


def sectors_of(acts: Iterable[str]) -> frozenset[str]:
    """Every sector the acts of one decision touch."""
    return frozenset(sector_of(act) for act in acts)


def is_valid_on(row: CeilingLike, on: date) -> bool:
    """Whether the row is in force on that day (both ends inclusive; an open end means still in force)."""
    return is_in_force(row, on)


def ceiling_for(
    ceilings: Sequence[CeilingLike], *, acts: Iterable[str], violator_type: str, on: date
) -> CeilingLike | None:
    """The ceiling that bounds a decision's fine, or None when no row is in force for these acts on that day."""
    # Each act is judged under its own sector (DOMAIN.md §5: industrial property ND 99/2013, copyright
    # ND 131/2013 then ND 341/2025, plant varieties ND 31/2023). A decision that mixes sectors records one
    # total fine, so it is bounded by the largest ceiling among the sectors involved: the strictest bound
    # that never refuses a fine lawful for one of its acts.
    sectors = sectors_of(acts)
    candidates = [
        row for row in ceilings if row.sector in sectors and row.violator_type == violator_type and is_valid_on(row, on)
    ]
    return max(candidates, key=lambda row: row.max_fine_vnd, default=None)


def check_fine(
    ceilings: Sequence[CeilingLike], *, fine_vnd: int, acts: Iterable[str], violator_type: str, on: date
) -> CeilingLike | None:
    """The ceiling the fine was checked against; raises when the fine is above it or cannot be checked."""
    ceiling = ceiling_for(ceilings, acts=acts, violator_type=violator_type, on=on)
    if ceiling is None:
        if fine_vnd > 0:
            raise NoFineCeiling(field="fine_vnd", on=on.isoformat())
        return None
    if fine_vnd > ceiling.max_fine_vnd:
        raise FineOverCeiling(field="fine_vnd", ceiling=ceiling.max_fine_vnd, legal_basis=ceiling.legal_basis)
    return ceiling
