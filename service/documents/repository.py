"""Reads and writes of the outgoing-document register: every SQL statement of service/documents/ lives here."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from service.auth.models import Agency, User
from service.documents.models import DocumentFile, OutgoingDocument


@dataclass(frozen=True)
class Issuer:
    """The issuing agency as the heading names it, with its superior (Decree 30, Annex I, area 2)."""

    id: uuid.UUID
    code: str
    name: str
    superior: str | None


async def issuer(session: AsyncSession, agency_id: uuid.UUID) -> Issuer:
    """The agency and its parent's name (None for a top-level agency)."""
    parent = aliased(Agency)
    stmt = (
        select(Agency.id, Agency.code, Agency.name_vi, parent.name_vi)
        .outerjoin(parent, parent.id == Agency.parent_id)
        .where(Agency.id == agency_id)
    )
    found, code, name, superior = (await session.execute(stmt)).one()
    return Issuer(found, code, name, superior)


async def full_name(session: AsyncSession, user_id: uuid.UUID) -> str:
    """A user's full name (their user name when none is recorded)."""
    name, username = (await session.execute(select(User.full_name, User.username).where(User.id == user_id))).one()
    return str(name or username)


async def find(session: AsyncSession, agency_id: uuid.UUID, subject: str) -> OutgoingDocument | None:
    """The agency's registered document of ``subject``, if any."""
    stmt = select(OutgoingDocument).where(OutgoingDocument.agency_id == agency_id, OutgoingDocument.subject == subject)
    return (await session.scalars(stmt)).one_or_none()


async def register(
    session: AsyncSession,
    *,
    agency_id: uuid.UUID,
    subject: str,
    symbol: str,
    title: str,
    issued_on: date,
    user_id: uuid.UUID,
    number: int | None = None,
) -> OutgoingDocument:
    """The document of ``subject``: the one registered before, else ``number`` when the caller's own book gave
    one (a takedown request is numbered when sent), else the next number of the agency's year for ``symbol``.

    A transaction-scoped advisory lock per agency serialises numbering, so two requests never take one number.
    """
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended('outgoing_documents:' || :agency, 0))"),
        {"agency": str(agency_id)},
    )
    existing = await find(session, agency_id, subject)
    if existing is not None:
        return existing
    last = select(func.coalesce(func.max(OutgoingDocument.number), 0)).where(
        OutgoingDocument.agency_id == agency_id,
        OutgoingDocument.year == issued_on.year,
        OutgoingDocument.symbol == symbol,
    )
    document = OutgoingDocument(
        agency_id=agency_id,
        year=issued_on.year,
        number=number if number is not None else int(await session.scalar(last) or 0) + 1,
        symbol=symbol,
        subject=subject,
        title=title,
        issued_on=issued_on,
        registered_by=user_id,
    )
    session.add(document)
    await session.flush()
    return document


async def add_file(session: AsyncSession, file: DocumentFile) -> None:
    """Record a produced file (append-only)."""
    session.add(file)
    await session.flush()


@dataclass(frozen=True)
class RegisterRow:
    """A registered document with its latest file."""

    document: OutgoingDocument
    agency_code: str
    latest: DocumentFile | None


async def listed(session: AsyncSession, agency_id: uuid.UUID | None, year: int | None) -> list[RegisterRow]:
    """The register (one agency's, or every agency's for None), newest first, each with its latest file."""
    latest = (
        select(DocumentFile)
        .where(DocumentFile.document_id == OutgoingDocument.id)
        .order_by(DocumentFile.produced_at.desc(), DocumentFile.id.desc())
        .limit(1)
        .correlate(OutgoingDocument)
        .lateral()
    )
    file = aliased(DocumentFile, latest)
    stmt = (
        select(OutgoingDocument, Agency.code, file)
        .join(Agency, Agency.id == OutgoingDocument.agency_id)
        .outerjoin(latest, text("true"))
        .order_by(OutgoingDocument.issued_on.desc(), OutgoingDocument.number.desc())
    )
    if agency_id is not None:
        stmt = stmt.where(OutgoingDocument.agency_id == agency_id)
    if year is not None:
        stmt = stmt.where(OutgoingDocument.year == year)
    return [RegisterRow(doc, code, f) for doc, code, f in (await session.execute(stmt)).all()]
