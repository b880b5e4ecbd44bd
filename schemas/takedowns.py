"""Platforms, URL captures and takedown requests to platforms (service/takedowns; docs/takedowns.md)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec
from litestar.datastructures import UploadFile

from schemas.base import Schema

PlatformKind = Literal["e_commerce", "social_network", "hosting", "search", "other"]
Measure = Literal["remove", "block", "suspend_account", "provide_seller_data"]
TakedownStatus = Literal["drafted", "sent", "acknowledged", "partly_done", "done", "refused", "overdue"]
Outcome = Literal["acknowledged", "partly_done", "done", "refused"]

Line = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Optional = Annotated[str, msgspec.Meta(max_length=300)]
LongText = Annotated[str, msgspec.Meta(max_length=5000)]
# Only the shape here; service/takedowns/urls.py refuses other schemes and private addresses, naming the item.
Url = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, description="http(s) URL công khai / public URL")]
AwareDatetime = Annotated[datetime, msgspec.Meta(tz=True, description="ISO 8601 có múi giờ / with time zone")]
HttpStatus = Annotated[int, msgspec.Meta(ge=100, le=599, description="Mã HTTP cơ quan nhận được / HTTP status seen")]


class PlatformIn(Schema, kw_only=True):
    """A platform as an administrator records it; ending it is setting `valid_to` (platforms are never deleted)."""

    name: Line
    kind: PlatformKind
    registration_number: Annotated[
        str, msgspec.Meta(max_length=60, description="Số đăng ký online.gov.vn (TMĐT) / MOIT registration number")
    ] = ""
    contact: Annotated[str, msgspec.Meta(min_length=1, max_length=300, description="Nơi nhận yêu cầu / Contact")]
    website: Optional = ""
    valid_from: date
    valid_to: date | None = None


class PlatformOut(Schema, kw_only=True):
    """A platform with whether it is in force today."""

    id: uuid.UUID
    name: str
    kind: PlatformKind
    registration_number: str
    contact: str
    website: str
    valid_from: date
    valid_to: date | None
    in_force: bool


class CaptureForm(msgspec.Struct, kw_only=True):
    """multipart/form-data: the capture of one URL (not a `Schema`: a browser form also sends `_csrf_token`)."""

    file: Annotated[
        UploadFile,
        msgspec.Meta(description="Ảnh PNG/JPEG, PDF, hoặc trang lưu HTML/MHTML / PNG, JPEG, PDF, saved HTML or MHTML"),
    ]
    url: Url
    http_status: HttpStatus
    captured_at: AwareDatetime
    seller_account: Optional = ""
    note: LongText = ""


class CaptureFields(msgspec.Struct, kw_only=True):
    """The page's capture form without its file (service/takedowns/capture_pages.py): the same types as
    CaptureForm, so the page refuses what the API refuses."""

    url: Url
    http_status: HttpStatus
    captured_at: AwareDatetime
    seller_account: Optional = ""
    note: LongText = ""


class CaptureOut(Schema, kw_only=True):
    """One link of the chain of custody: what was seen at a URL, when, by whom, and the file's SHA-256."""

    id: uuid.UUID
    incident_id: uuid.UUID
    url: str
    host: str
    seller_account: str
    captured_at: datetime
    http_status: int
    attachment_id: uuid.UUID
    file_name: str
    content_type: str
    sha256: str
    captured_by: str
    recorded_at: datetime
    note: str


class TakedownIn(Schema, kw_only=True):
    """A request to a platform about an incident's URLs; `send` true sends it at once (else it stays a draft)."""

    platform_id: uuid.UUID
    urls: Annotated[list[Url], msgspec.Meta(min_length=1, max_length=50)]
    legal_basis: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    measures: Annotated[list[Measure], msgspec.Meta(min_length=1, max_length=4)]
    seller_account: Optional = ""
    note: LongText = ""
    send: bool = False


class AnswerIn(Schema, kw_only=True):
    """The platform's answer as the agency received it, with the evidence (attachments of the incident)."""

    outcome: Outcome
    answered_at: AwareDatetime
    text: LongText = ""
    attachment_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=20)] = []


class TakedownClockOut(Schema, kw_only=True):
    """A clock of a sent request: when it runs out (to the minute), from which rule, and whether it is met."""

    name: Literal["action", "report"]
    rule: str
    legal_basis: str
    amount: int
    unit: str
    due_at: datetime
    hours_left: int
    overdue: bool
    met: bool


class TakedownEventOut(Schema, kw_only=True):
    """One line of the timeline: who, when, what, why."""

    at: datetime
    actor: str | None
    action: str
    from_status: str | None
    to_status: str
    note: str
    attachment_ids: list[uuid.UUID]


class TakedownOut(Schema, kw_only=True):
    """A takedown request with its clocks."""

    id: uuid.UUID
    number: str | None
    incident_id: uuid.UUID
    agency: str
    platform_id: uuid.UUID
    platform: str
    status: TakedownStatus
    urls: list[str]
    seller_account: str
    legal_basis: str
    measures: list[Measure]
    note: str
    sent_at: datetime | None
    answered_at: datetime | None
    answer: str
    clocks: list[TakedownClockOut]
    overdue: bool


class PlatformQueueOut(Schema, kw_only=True):
    """The coordinator's line per platform: its open and overdue requests."""

    platform_id: uuid.UUID
    platform: str
    open: int
    overdue: int
    requests: list[TakedownOut]


class RepeatSellerOut(Schema, kw_only=True):
    """A seller account or shop named in requests about more than one incident or platform."""

    seller_account: str
    incidents: int
    platforms: list[str]
    request_ids: list[uuid.UUID]
