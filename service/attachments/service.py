"""Photos and PDFs of an incident: checked by their content, stored by hash, recorded in the incident's history."""

from __future__ import annotations

import asyncio
import hashlib
import io
import math
import unicodedata
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from PIL import ExifTags, Image
from sqlalchemy.ext.asyncio import AsyncSession

from service.attachments import repository as attachments
from service.attachments.models import Attachment
from service.attachments.storage import FileStore, LocalFileStore
from service.auth.principal import Principal
from service.errors import AppError, NotFound
from service.incidents import repository
from service.incidents.models import Incident
from service.incidents.service import IncidentNotFound
from service.settings import Settings

UPLOAD_FIELD = "file"
MAX_FILE_NAME = 255
PDF_TRAILER_WINDOW = 1024

# Pillow format name -> (content type, extension). HEIC is left out: Pillow cannot open it without a plugin.
IMAGE_TYPES: dict[str, tuple[str, str]] = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
PDF_TYPE = ("application/pdf", "pdf")
_EXTENSION_ALIASES: dict[str, frozenset[str]] = {"jpg": frozenset({"jpg", "jpeg", "jpe"})}


class UnsupportedType(AppError):
    status = 415
    code = "attachment.unsupported_type"


class TooLarge(AppError):
    status = 413
    code = "attachment.too_large"


class AttachmentNotFound(NotFound):
    code = "attachment.not_found"


@dataclass(frozen=True)
class AttachmentConfig:
    """Where attachments are stored and how large one may be."""

    store: FileStore
    max_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings) -> AttachmentConfig:
        """The local folder store and size limit the settings name."""
        return cls(store=LocalFileStore(settings.attachments_dir), max_bytes=settings.upload_max_bytes)


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the client sent it: its claimed name and its bytes (its claimed type is ignored)."""

    file_name: str
    content: bytes


@dataclass(frozen=True)
class Examined:
    """What the content of an upload turned out to be."""

    content_type: str
    extension: str
    sha256: str
    gps: tuple[float, float] | None


@dataclass(frozen=True)
class AddedAttachment:
    """A stored attachment and, for an incident without GPS, the photo's location as (lon, lat)."""

    attachment: Attachment
    suggested_location: tuple[float, float] | None


def too_large(max_bytes: int) -> TooLarge:
    """The 413 for the `file` field, naming the limit in MB."""
    return TooLarge(field=UPLOAD_FIELD, limit_mb=f"{max_bytes / 1024**2:.3g}")


@contextmanager
def _open_image(content: bytes, formats: list[str] | None = None) -> Iterator[Image.Image]:
    # A decompression bomb is refused, not merely warned about.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(content), formats=formats) as image:
            yield image


def _image_format(content: bytes) -> str | None:
    """The Pillow format the magic bytes announce, if it is one we accept."""
    if content.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "WEBP"
    return None


def _decodes_as(content: bytes, image_format: str) -> bool:
    try:
        with _open_image(content, [image_format]) as image:
            image.verify()
    except Exception:  # any failure to parse untrusted bytes means "not a valid image"
        return False
    return True


def _is_pdf(content: bytes) -> bool:
    return content.startswith(b"%PDF-") and b"%%EOF" in content[-PDF_TRAILER_WINDOW:]


def sniff(content: bytes) -> tuple[str, str]:
    """(content type, extension) judged from the bytes alone; 415 naming `file` for anything else."""
    if _is_pdf(content):
        return PDF_TYPE
    image_format = _image_format(content)
    if image_format is None or not _decodes_as(content, image_format):
        raise UnsupportedType(field=UPLOAD_FIELD)
    return IMAGE_TYPES[image_format]


def _coordinate(dms: Any, ref: Any, *, positive: str, negative: str, limit: float) -> float | None:
    """Decimal degrees from EXIF (degrees, minutes, seconds) rationals and a hemisphere letter."""
    hemisphere = (ref.decode("ascii", "replace") if isinstance(ref, bytes) else str(ref or "")).strip().upper()
    if hemisphere not in (positive, negative) or not isinstance(dms, tuple) or len(dms) != 3:
        return None
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(value) or not 0 <= value <= limit:
        return None
    return round(-value if hemisphere == negative else value, 6)


def exif_gps(content: bytes) -> tuple[float, float] | None:
    """(lon, lat) from a photo's EXIF GPS block, or None when it has none or it cannot be read."""
    try:
        with _open_image(content) as image:
            gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        tags = ExifTags.GPS
        lat = _coordinate(gps.get(tags.GPSLatitude), gps.get(tags.GPSLatitudeRef), positive="N", negative="S", limit=90)
        lon = _coordinate(
            gps.get(tags.GPSLongitude), gps.get(tags.GPSLongitudeRef), positive="E", negative="W", limit=180
        )
    except Exception:  # a damaged EXIF block only means there is no location to suggest
        return None
    if lat is None or lon is None or lat == lon == 0:  # 0/0 is what some cameras write without a fix
        return None
    return lon, lat


def examine(content: bytes, max_bytes: int) -> Examined:
    """Size, type, hash and location of an upload (CPU-bound: run it off the event loop)."""
    if len(content) > max_bytes:
        raise too_large(max_bytes)
    content_type, extension = sniff(content)
    gps = exif_gps(content) if content_type.startswith("image/") else None
    return Examined(content_type, extension, hashlib.sha256(content).hexdigest(), gps)


def clean_file_name(raw: str, extension: str) -> str:
    """The base name only, printable, at most 255 characters, ending in an extension that fits the content."""
    name = unicodedata.normalize("NFC", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".").strip() or "attachment"
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix.lower() not in _EXTENSION_ALIASES.get(extension, frozenset({extension})):
        stem, suffix = name, extension
    return f"{stem[: MAX_FILE_NAME - len(suffix) - 1]}.{suffix}"


async def _visible_incident(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> Incident:
    incident = await repository.get_visible(session, principal, incident_id)
    if incident is None:
        raise IncidentNotFound()
    return incident


async def add_attachment(
    session: AsyncSession,
    store: FileStore,
    principal: Principal,
    incident_id: uuid.UUID,
    upload: Upload,
    *,
    max_bytes: int,
    examiner: Callable[[bytes, int], Examined] = examine,
) -> AddedAttachment:
    """Check and store a file of a visible incident, and note it in the incident's history (version unchanged).

    `examiner` judges the content (a capture of a web page also accepts saved HTML; service/takedowns/evidence.py)."""
    incident = await _visible_incident(session, principal, incident_id)
    examined = await asyncio.to_thread(examiner, upload.content, max_bytes)
    attachment = Attachment(
        incident_id=incident.id,
        file_name=clean_file_name(upload.file_name, examined.extension),
        content_type=examined.content_type,
        size_bytes=len(upload.content),
        sha256=examined.sha256,
        storage_key=await store.put(upload.content),
        exif_lon=examined.gps[0] if examined.gps else None,
        exif_lat=examined.gps[1] if examined.gps else None,
        uploaded_by_id=principal.user_id,
    )
    session.add(attachment)
    changes = {"file_name": attachment.file_name, "sha256": attachment.sha256, "content_type": attachment.content_type}
    await repository.add_event(
        session, incident, action="attachment_added", actor_id=principal.user_id, changes=changes
    )
    await session.flush()
    # Only a suggestion: the incident's place is changed by a correction, which geotags and records it.
    suggestion = examined.gps if incident.lon is None else None
    return AddedAttachment(attachment, suggestion)


async def list_attachments(session: AsyncSession, principal: Principal, incident_id: uuid.UUID) -> list[Attachment]:
    """The attachments of a visible incident, oldest first."""
    await _visible_incident(session, principal, incident_id)
    return await attachments.of_incident(session, incident_id)


async def open_attachment(
    session: AsyncSession, store: FileStore, principal: Principal, incident_id: uuid.UUID, attachment_id: uuid.UUID
) -> tuple[Attachment, bytes]:
    """One attachment of a visible incident and its bytes."""
    await _visible_incident(session, principal, incident_id)
    attachment = await attachments.one_of_incident(session, incident_id, attachment_id)
    if attachment is None:
        raise AttachmentNotFound()
    return attachment, await store.read(attachment.storage_key)
