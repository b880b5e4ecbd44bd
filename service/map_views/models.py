"""The map results cache, shared by every app instance, and the data version it is keyed on.

``map_data_changes``: one row for each statement that wrote incidents, sanction decisions or agencies (a
statement trigger inserts it in the writer's transaction, whatever the code path: record, correct, withdraw,
link a case, import, anonymise, delete). The data version is the sum of ``weight`` the reader can see, so it
grows with every committed write and never otherwise; rows are folded into one now and then (the sum kept).
Inserting never waits on another writer, as a shared counter row would.

``map_results``: a map's answer (msgspec JSON) under a key naming the map, its settings, filters and scope,
and the data version it was computed at; read only at that version, kept a day at most, a few hundred at most.
"""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.base import CommonTableAttributes, orm_registry
from sqlalchemy import BigInteger, DateTime, Identity, LargeBinary, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class _Base(CommonTableAttributes, DeclarativeBase):
    """Plain tables in the shared metadata (no UUID or audit columns)."""

    __abstract__ = True
    registry = orm_registry


class MapDataChange(_Base):
    """A write that may change what a map counts (see the module docstring)."""

    __tablename__ = "map_data_changes"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    weight: Mapped[int] = mapped_column(BigInteger, default=1, server_default="1")


class MapResult(_Base):
    """One cached map answer."""

    __tablename__ = "map_results"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of what the answer depends on
    data_version: Mapped[int] = mapped_column(BigInteger)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
