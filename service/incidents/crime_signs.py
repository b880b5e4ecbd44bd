"""Signs of a crime: which versioned Penal Code thresholds an incident reaches (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from schemas.incidents import CrimeSign
from service.clock import Versioned, is_in_force


class ThresholdLike(Versioned, Protocol):
    """The shape of a crime threshold row (read-only)."""

    @property
    def article(self) -> str: ...
    @property
    def acts(self) -> list[str]: ...
    @property
    def measure(self) -> str: ...
    @property
    def threshold_vnd(self) -> int: ...


@dataclass(frozen=True)
class Threshold:
    """A detached copy of a threshold row, safe to keep between requests."""

    article: str
    acts: list[str]
    measure: str
    threshold_vnd: int
    legal_basis: str
    valid_from: date
    valid_to: date | None


def crime_signs(
    thresholds: Sequence[ThresholdLike],
    *,
    acts: Sequence[str],
    on: date,
    measures: Mapping[str, int | None],
) -> list[CrimeSign]:
    """Thresholds in force on `on` for any of `acts` that a measured amount reaches (≥)."""
    signs = []
    for t in thresholds:
        value = measures.get(t.measure)
        if value is None or value < t.threshold_vnd:
            continue
        if is_in_force(t, on) and set(t.acts) & set(acts):
            signs.append(
                CrimeSign(
                    article=t.article,
                    measure=t.measure,  # type: ignore[arg-type]
                    threshold_vnd=t.threshold_vnd,
                    value_vnd=value,
                    legal_basis=t.legal_basis,
                )
            )
    return sorted(signs, key=lambda s: (s.article, s.measure))
