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
    "share.dataset_not_found": ("Không có bộ dữ liệu {name}.", "No such dataset {name}."),
    "share.dataset_not_granted": (
        "Hệ thống đối tác chưa được cấp quyền dùng bộ dữ liệu {name}.",
        "The partner system has no grant for the dataset {name}.",
    ),
    "share.filter_field": (
        "{field}: trường {name} không có hoặc không được chia sẻ.",
        "{field}: the field {name} does not exist or is not shared.",
    ),
    "share.filter_function": (
        "{field}: hàm không được hỗ trợ ({detail}).",
        "{field}: unsupported function ({detail}).",
    ),
    "share.filter_syntax": ("{field}: biểu thức sai cú pháp ({detail}).", "{field}: syntax error ({detail})."),
    "share.option_field": (
        "{field}: trường {name} không có hoặc không được chia sẻ.",
        "{field}: the field {name} does not exist or is not shared.",
    ),
    "share.top_over_limit": ("{field}: tối đa {limit} bản ghi một trang.", "{field}: at most {limit} rows a page."),
    "share.skip_negative": ("{field}: không được âm.", "{field}: must not be negative."),
    "share.rate_limited": (
        "Hệ thống đối tác đã gọi quá {limit} lần trong một phút; thử lại sau {retry} giây.",
        "The partner system made more than {limit} calls in a minute; retry in {retry} seconds.",
    ),
    "share.gateway_refused": (
        "Tiêu đề của cổng LGSP không được chấp nhận: lời gọi không đến từ cổng tích hợp của tỉnh.",
        "The LGSP gateway header is not accepted: the call does not come from the province's gateway.",
    ),
}
