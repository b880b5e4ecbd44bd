"""Referrals between agencies: the request, the tagged actions, and the views with their clocks."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from schemas.base import Schema
from schemas.clocks import ClockOut

ReferralType = Literal[
    "CHUYEN_HO_SO_HINH_SU",  # criminal referral to the police
    "TRA_HO_SO_XU_PHAT",  # file returned for administrative sanction
    "CHUYEN_THAM_QUYEN",  # transfer to the competent person
    "TRUNG_CAU_GIAM_DINH",  # expert assessment / opinion
    "PHOI_HOP_XAC_MINH",  # joint verification
    "CHUYEN_HOA_GIAI",  # mediation
    "CHUYEN_TRONG_TAI",  # arbitration
    "CHUYEN_TOA_AN",  # court
    "BAO_CAO",  # report up
]
ReferralStatus = Literal["sent", "acknowledged", "in_progress", "closed", "returned", "refused"]
Note = Annotated[str, msgspec.Meta(max_length=5000)]
RequiredNote = Annotated[str, msgspec.Meta(min_length=3, max_length=5000)]
Version = Annotated[int, msgspec.Meta(ge=1, description="Phiên bản đã xem (tùy chọn) / Version last seen (optional)")]
# An agency of this node (`QLTT`) or of a partner node (`DBN:QLTT`, docs/exchange.md).
ReceiverCode = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=40,
        pattern=r"^([A-Z0-9_]{2,16}:)?[A-Z0-9_]+$",
        description="Mã cơ quan nhận, có thể của tỉnh khác (DBN:QLTT) / Receiving agency, maybe another node's",
    ),
]


class ReferralIn(Schema, kw_only=True):
    """Refer an incident from the caller's agency to another agency."""

    incident_id: uuid.UUID
    to_agency: ReceiverCode
    type: ReferralType
    message: Note = ""
    attachment_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=50)] = []
    due_rule: (
        Annotated[
            str,
            msgspec.Meta(
                min_length=1,
                max_length=60,
                description="Thời hạn của bên nhận trong các thời hạn loại này cho phép (mặc định: thời hạn đầu) / "
                "The receiver's clock among those the type allows (default: its first)",
            ),
        ]
        | None
    ) = None


class _ActionIn(Schema, tag_field="action", kw_only=True):
    version: Version | None = None
    note: Note = ""


class AcknowledgeIn(_ActionIn, tag="acknowledge", kw_only=True):
    """Tiếp nhận / Acknowledge receipt."""


class StartIn(_ActionIn, tag="start", kw_only=True):
    """Bắt đầu xử lý / Start working on it."""


class RequestInformationIn(_ActionIn, tag="request_information", kw_only=True):
    """Đề nghị bổ sung thông tin / Ask the sender for more information."""

    note: RequiredNote


class CloseIn(_ActionIn, tag="close", kw_only=True):
    """Kết thúc với kết quả / Close with an outcome."""

    outcome: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class ReturnIn(_ActionIn, tag="return", kw_only=True):
    """Trả lại hồ sơ / Return the file."""

    note: RequiredNote


class RefuseIn(_ActionIn, tag="refuse", kw_only=True):
    """Từ chối, nêu lý do / Refuse, with the reason."""

    note: RequiredNote


class ProvideInformationIn(_ActionIn, tag="provide_information", kw_only=True):
    """Bổ sung thông tin (bên chuyển) / The sender answers a request for information, with files of the incident."""

    note: RequiredNote
    attachment_ids: Annotated[list[uuid.UUID], msgspec.Meta(max_length=50)] = []


ReferralActionIn = AcknowledgeIn | StartIn | RequestInformationIn | CloseIn | ReturnIn | RefuseIn | ProvideInformationIn


class ReferralOut(Schema, kw_only=True):
    """A referral as the sender, the receiver and coordinators see it."""

    id: uuid.UUID
    incident_id: uuid.UUID
    from_agency: str
    to_agency: str
    type: ReferralType
    status: ReferralStatus
    outcome: str | None
    message: str
    version: int
    sent_at: datetime
    acknowledged_at: datetime | None
    closed_at: datetime | None
    attachment_ids: list[uuid.UUID]
    clocks: list[ClockOut]
    overdue: bool
    allowed_actions: list[str]
    awaiting_information: Annotated[
        bool, msgspec.Meta(description="Bên nhận chờ bên chuyển bổ sung thông tin / The receiver waits for the sender")
    ] = False
    information_requested_at: datetime | None = None


class ReferralEventOut(Schema, kw_only=True):
    """One entry of a referral's timeline."""

    action: str
    actor: str | None
    from_status: str | None
    to_status: str
    at: datetime
    note: str
    attachment_ids: list[uuid.UUID] = []
