"""Attachments of an incident: the multipart upload form and what the API returns about a stored file."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec
from litestar.datastructures import UploadFile

from schemas.base import Latitude, Longitude, Schema

Sha256 = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$", description="SHA-256 của nội dung / Content SHA-256")]


class AttachmentForm(msgspec.Struct, kw_only=True):
    """multipart/form-data with one part `file`.

    Not a `Schema`: a browser form also sends `_csrf_token`, so other parts are ignored rather than refused.
    """

    file: Annotated[
        UploadFile,
        msgspec.Meta(description="Ảnh JPEG/PNG/WebP hoặc PDF / A JPEG, PNG or WebP photo, or a PDF"),
    ]


class LocationSuggestion(Schema, kw_only=True):
    """A place read from a photo's EXIF GPS, offered for an incident recorded without GPS; nothing is changed."""

    lon: Longitude
    lat: Latitude


class AttachmentOut(Schema, kw_only=True):
    """A stored attachment; its bytes are at `GET …/attachments/{id}`."""

    id: uuid.UUID
    incident_id: uuid.UUID
    file_name: str
    content_type: str
    size_bytes: int
    sha256: Sha256
    exif_lon: float | None
    exif_lat: float | None
    uploaded_by_id: uuid.UUID
    created_at: datetime


class AttachmentCreatedOut(AttachmentOut, kw_only=True):
    """The stored attachment, with a location suggestion when the incident has no GPS and the photo has."""

    suggested_location: LocationSuggestion | None = None
