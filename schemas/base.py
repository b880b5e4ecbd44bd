"""Base Struct and shared constrained types for every request and response body."""

from __future__ import annotations

from typing import Annotated

import msgspec


class Schema(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Base for every request and response body: keyword-only, unknown fields rejected."""


Code = Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[A-Z0-9_]+$")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Username = Annotated[
    str,
    msgspec.Meta(
        min_length=3,
        max_length=64,
        pattern=r"^[a-z0-9._-]+$",
        description="Tên đăng nhập: chữ thường, số, . _ - / Username: lowercase letters, digits, . _ -",
    ),
]
Password = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=256,
        description="Mật khẩu / Password",
        extra_json_schema={"format": "password"},
    ),
]
Longitude = Annotated[float, msgspec.Meta(ge=-180, le=180, description="Kinh độ WGS84 / WGS84 longitude")]
Latitude = Annotated[float, msgspec.Meta(ge=-90, le=90, description="Vĩ độ WGS84 / WGS84 latitude")]
