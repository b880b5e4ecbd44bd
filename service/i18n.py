"""The one message catalogue: every user-facing text, Vietnamese first, English second."""

from __future__ import annotations

from typing import Literal

Language = Literal["vi", "en"]

MESSAGES: dict[str, tuple[str, str]] = {
    # Generic HTTP outcomes.
    "request.invalid": ("Dữ liệu gửi lên không hợp lệ.", "The request is not valid."),
    "request.malformed_json": ("Nội dung JSON bị lỗi cú pháp.", "The JSON body is malformed."),
    "request.not_found": ("Không tìm thấy địa chỉ yêu cầu.", "The requested resource was not found."),
    "request.method_not_allowed": ("Phương thức không được hỗ trợ.", "This method is not allowed here."),
    "request.too_many": (
        "Quá nhiều yêu cầu. Vui lòng thử lại sau ít phút.",
        "Too many requests. Please try again in a few minutes.",
    ),
    "request.too_large": ("Dữ liệu gửi lên quá lớn.", "The request body is too large."),
    "request.bad_host": ("Tên máy chủ không được phép.", "This host name is not allowed."),
    "request.conflict": ("Dữ liệu trùng với bản ghi đã có.", "This conflicts with an existing record."),
    "server.error": (
        "Lỗi hệ thống. Sự cố đã được ghi lại, vui lòng thử lại sau.",
        "Internal error. It has been logged; please try again later.",
    ),
    "server.unavailable": ("Hệ thống tạm thời không sẵn sàng.", "The service is temporarily unavailable."),
    # Field validation.
    "field.required": ("Thiếu trường bắt buộc `{field}`.", "Required field `{field}` is missing."),
    "field.unknown": ("Trường `{field}` không được hỗ trợ.", "Unknown field `{field}`."),
    "field.type": ("Trường `{field}` phải có kiểu {expected}.", "Field `{field}` must be {expected}."),
    "field.too_long": (
        "Trường `{field}` dài quá {limit} ký tự.",
        "Field `{field}` is longer than {limit} characters.",
    ),
    "field.too_short": (
        "Trường `{field}` phải có ít nhất {limit} ký tự.",
        "Field `{field}` must have at least {limit} characters.",
    ),
    "field.too_small": ("Trường `{field}` phải ≥ {limit}.", "Field `{field}` must be ≥ {limit}."),
    "field.too_large": ("Trường `{field}` phải ≤ {limit}.", "Field `{field}` must be ≤ {limit}."),
    "field.not_finite": (
        "Trường `{field}` phải là một số hữu hạn.",
        "Field `{field}` must be a finite number.",
    ),
    "field.invalid_choice": (
        "Giá trị của trường `{field}` không nằm trong danh mục.",
        "Field `{field}` has a value outside the allowed list.",
    ),
    "field.invalid": ("Trường `{field}` không hợp lệ: {detail}", "Field `{field}` is not valid: {detail}"),
    # Authentication and access.
    "auth.required": ("Vui lòng đăng nhập.", "Please log in."),
    "auth.invalid_credentials": (
        "Tên đăng nhập hoặc mật khẩu không đúng.",
        "The username or password is incorrect.",
    ),
    "auth.forbidden": ("Bạn không có quyền thực hiện thao tác này.", "You are not allowed to do this."),
    "auth.csrf": (
        "Mã chống giả mạo (CSRF) thiếu hoặc không đúng. Hãy tải lại trang.",
        "The anti-forgery (CSRF) token is missing or wrong. Reload the page.",
    ),
    "auth.session_expired": (
        "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.",
        "Your session has expired. Please log in again.",
    ),
    "auth.logged_out": ("Đã đăng xuất.", "Logged out."),
    "auth.token_not_found": ("Không tìm thấy mã truy cập.", "API token not found."),
    "user.exists": ("Tên đăng nhập đã tồn tại.", "This username is already taken."),
    "user.not_found": ("Không tìm thấy người dùng.", "User not found."),
    "user.weak_password": (
        "Mật khẩu phải có ít nhất 10 ký tự.",
        "The password must have at least 10 characters.",
    ),
    "agency.not_found": ("Không tìm thấy cơ quan `{code}`.", "Agency `{code}` not found."),
    "agency.exists": ("Mã cơ quan đã tồn tại.", "This agency code already exists."),
    "role.unknown": ("Vai trò `{role}` không tồn tại.", "Role `{role}` does not exist."),
    # Administrative units and geotagging.
    "admin_unit.not_found": (
        "Không tìm thấy đơn vị hành chính {code} (thế hệ {generation}).",
        "Administrative unit {code} (generation {generation}) not found.",
    ),
    "geo.outside_province": (
        "Vị trí ({lon}, {lat}) nằm ngoài tỉnh Lai Châu.",
        "The point ({lon}, {lat}) lies outside Lai Châu province.",
    ),
    # Health.
    "health.database_down": ("Không kết nối được cơ sở dữ liệu.", "The database cannot be reached."),
}


def message(code: str, lang: Language = "vi", /, **params: object) -> str:
    """The catalogue text for `code` in one language, with its parameters filled in.

    `code` and `lang` are positional-only so a parameter may itself be named `code` (agency.not_found).
    """
    vi, en = MESSAGES[code]
    template = vi if lang == "vi" else en
    return template.format(**params) if params else template


def both(code: str, /, **params: object) -> tuple[str, str]:
    """The Vietnamese and English texts for `code`, parameters filled in."""
    return message(code, "vi", **params), message(code, "en", **params)


def pick_language(accept_language: str | None, cookie: str | None = None) -> Language:
    """Vietnamese unless the user's cookie or Accept-Language prefers English."""
    if cookie in ("vi", "en"):
        return cookie  # type: ignore[return-value]
    if not accept_language:
        return "vi"
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("vi"):
            return "vi"
        if tag.startswith("en"):
            return "en"
    return "vi"
