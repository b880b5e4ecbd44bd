"""External reference numbers: derived from the payload, stored folded, searchable, shared numbers found.

An incident's numbers are its ``external_refs`` plus the customs declaration of a customs suspension. They are
derived rows: the payload stays the record (its history is the incident's), and the rows are rewritten whenever
the incident is recorded or corrected.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.incidents.models import IncidentReference
from service.incidents.repository import references as repository
from service.text import fold

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
MAX_SHARING = 20  # other incidents one number may be shared with and still flag them


def number_key(number: str) -> str:
    """The number as compared: upper-case ASCII letters and digits only ('Số 12/QĐ-XPHC' -> 'SO12QDXPHC')."""
    return _NOT_ALNUM.sub("", fold(number).upper())


@dataclass(frozen=True)
class Ref:
    """One external number of an incident."""

    kind: str
    number: str

    @property
    def key(self) -> str:
        return number_key(self.number)


def refs_of(payload: dict[str, Any]) -> list[Ref]:
    """The incident's external numbers, each (kind, folded number) once, in the order given."""
    found: list[Ref] = [Ref(r["kind"], r["number"]) for r in payload.get("external_refs") or []]
    if payload.get("kind") == "customs_suspension" and payload.get("declaration_number"):
        found.append(Ref("customs_declaration", payload["declaration_number"]))
    seen: set[tuple[str, str]] = set()
    unique: list[Ref] = []
    for ref in found:
        if ref.key and (ref.kind, ref.key) not in seen:
            seen.add((ref.kind, ref.key))
            unique.append(ref)
    return unique


async def store_refs(
    session: AsyncSession, incident_id: uuid.UUID, payload: dict[str, Any], *, replace: bool = True
) -> list[Ref]:
    """Replace the incident's reference rows with those of its payload (in the caller's transaction); with
    `replace=False` (an incident inserted in this transaction, which has none yet) only add them."""
    if replace:
        await repository.delete_refs(session, incident_id)
    refs = refs_of(payload)
    session.add_all(
        IncidentReference(incident_id=incident_id, kind=r.kind, number=r.number, number_key=r.key) for r in refs
    )
    return refs


async def sharing_numbers(
    session: AsyncSession, incident_id: uuid.UUID, refs: Iterable[Ref]
) -> dict[uuid.UUID, list[str]]:
    """Other incidents carrying one of these numbers (same kind, same folded number) -> the kinds shared.

    A number carried by more than MAX_SHARING incidents identifies nothing ("01", a typo, a template copied
    around) and flags nothing: linking hundreds of records by it would be noise, and quadratic.
    """
    shared: dict[uuid.UUID, list[str]] = {}
    for ref in refs:
        others = await repository.carrying(session, incident_id, ref.kind, ref.key, MAX_SHARING + 1)
        if len(others) <= MAX_SHARING:
            for other in others:
                shared.setdefault(other, []).append(ref.kind)
    return shared
