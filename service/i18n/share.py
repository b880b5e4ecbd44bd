"""Data sharing with partner systems (service/share/)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "share.invalid_client": (
        "Thông tin xác thực hoặc mã truy cập của hệ thống đối tác sai, đã thu hồi hoặc hết hạn.",
        "The partner system's credentials or token are wrong, revoked or expired.",
    ),
    "share.partner_not_found": ("Không tìm thấy hệ thống đối tác.", "Partner system not found."),
    "share.partner_revoked": (
        "Hệ thống đối tác đã bị thu hồi; không thể cấp lại khóa bí mật.",
        "The partner system is revoked; its secret cannot be rotated.",
    ),
    "share.dataset_unknown": ("{field}: không có bộ dữ liệu {value}.", "{field}: no such dataset {value}."),
    "share.unsupported_grant_type": (
        "{field}: chỉ hỗ trợ client_credentials.",
        "{field}: only client_credentials is supported.",
    ),
}
