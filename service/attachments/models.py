"""Attachments: a photo or PDF of an incident (the table keeps its name, `incident_attachments`)."""

from __future__ import annotations

import uuid

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import BigInteger, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column


class Attachment(UUIDv7AuditBase):
    """A photo or PDF of an incident, stored by content hash under the configured folder."""

    __tablename__ = "incident_attachments"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storage_key: Mapped[str] = mapped_column(String(200))
    exif_lon: Mapped[float | None] = mapped_column(Float, default=None)
    exif_lat: Mapped[float | None] = mapped_column(Float, default=None)
    uploaded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
