"""A time limit, shown on referrals and incidents, with whose duty it is."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from schemas.base import Schema

Duty = Annotated[
    Literal["sender", "receiver", "agency"],
    msgspec.Meta(description="Việc của ai: bên chuyển, bên nhận, cơ quan lập hồ sơ / Whose duty it is"),
]


class ClockOut(Schema, kw_only=True):
    """A time limit: when it is due, how many days are left, whether it is overdue, met or paused, and whose it is."""

    name: str
    rule: str
    legal_basis: str
    due_on: date
    days_left: int
    overdue: bool
    duty: Duty = "receiver"
    met: Annotated[bool, msgspec.Meta(description="Đã hoàn thành (chuyển ngay: khi gửi) / Already met")] = False
    paused: Annotated[
        bool, msgspec.Meta(description="Tạm dừng khi chờ bên chuyển bổ sung thông tin / Paused while waiting")
    ] = False
