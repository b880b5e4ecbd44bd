"""Retention and the anonymising job (service/retention/)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Retention (service/retention/).
    "retention.marker": ("đã ẩn danh", "anonymised"),
    "retention.reason": (
        "Hết thời hạn lưu trữ dữ liệu cá nhân: loại hồ sơ `{record_class}`, {years} năm sau hoạt động cuối cùng "
        "của vụ việc đã kết thúc ({last})",
        "Personal-data retention period over: record class `{record_class}`, {years} years after the closed "
        "case's last activity ({last})",
    ),
    "retention.reason.linked": (
        "Hết thời hạn lưu trữ dữ liệu cá nhân của vụ việc liên kết: loại hồ sơ `{record_class}`, {years} năm sau "
        "hoạt động cuối cùng của cả vụ việc đã kết thúc ({last})",
        "Personal-data retention period over for the linked case: record class `{record_class}`, {years} years "
        "after the whole closed case's last activity ({last})",
    ),
    "retention.cli.done": (
        "Đã ẩn danh dữ liệu cá nhân của {count} vụ việc.",
        "Anonymised the personal data of {count} incidents.",
    ),
    "retention.cli.would": (
        "Chạy thử: sẽ ẩn danh dữ liệu cá nhân của {count} vụ việc; chưa thay đổi gì.",
        "Dry run: would anonymise the personal data of {count} incidents; nothing was changed.",
    ),
    "retention.cli.rule": ("lưu {years} năm", "kept {years} years"),
    "ui.incident.anonymised": (
        "Dữ liệu cá nhân của người vi phạm đã được ẩn danh lúc {at} theo thời hạn lưu trữ; số liệu được giữ nguyên.",
        "The violator's personal data was anonymised on {at} under the retention rules; the figures are kept.",
    ),
    "ui.incident.history.anonymised": ("Ẩn danh dữ liệu cá nhân", "Personal data anonymised"),
    "ui.incident.field.anonymised_fields": ("Trường đã ẩn danh", "Fields anonymised"),
    "ui.incident.field.anonymised_history_entries": (
        "Số mục lịch sử đã xóa dữ liệu cá nhân",
        "History entries cleared of personal data",
    ),
}
