"""The audit trail (service/audit/) and backups (service/backup/)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # `ipcoord audit verify`.
    "audit.cli.intact": (
        "Chuỗi nhật ký kiểm toán nguyên vẹn: {rows} dòng{since}; mã băm cuối {head}.",
        "The audit chain is intact: {rows} rows{since}; last hash {head}.",
    ),
    "audit.cli.since": (" kể từ mốc sau dòng {anchor}", " from the anchor after row {anchor}"),
    "audit.cli.changed": (
        "Chuỗi bị phá tại dòng {id}: nội dung của dòng đã bị sửa (mã băm không khớp). {checked} dòng trước đó hợp lệ.",
        "The chain breaks at row {id}: its content was changed (its hash does not match). "
        "The {checked} rows before it are sound.",
    ),
    "audit.cli.unlinked": (
        "Chuỗi bị phá tại dòng {id}: dòng không nối tiếp dòng trước (dòng bị xóa, chèn hoặc sửa). "
        "{checked} dòng trước đó hợp lệ.",
        "The chain breaks at row {id}: it does not follow the row before it (a row deleted, inserted or changed). "
        "The {checked} rows before it are sound.",
    ),
    # /api/admin/audit.
    "audit.bad_time": ("`{field}` phải là thời điểm ISO 8601.", "`{field}` must be an ISO 8601 time."),
    "audit.bad_range": ("`since` phải trước `until`.", "`since` must come before `until`."),
    # `ipcoord backup` and `ipcoord restore`.
    "backup.cli.done": (
        "Đã sao lưu vào {file}: cơ sở dữ liệu và {files} tệp đính kèm, kèm tổng SHA-256 từng phần.",
        "Backed up to {file}: the database and {files} attachment files, with each part's SHA-256.",
    ),
    "backup.cli.failed": ("Không sao lưu được: {problem}", "Backup failed: {problem}"),
    "backup.cli.refused": ("Từ chối khôi phục: {problem}", "Restore refused: {problem}"),
    "backup.cli.restored": (
        "Đã khôi phục bản sao lưu {file} (tạo lúc {created}) và nâng cấu trúc dữ liệu lên bản mới nhất.",
        "Restored {file} (made {created}) and migrated the schema to head.",
    ),
    # The /admin/audit page.
    "ui.menu.audit": ("Nhật ký kiểm toán", "Audit trail"),
    "ui.audit.title": ("Nhật ký kiểm toán", "Audit trail"),
    "ui.audit.intro": (
        "Đăng nhập, mã truy cập, thay đổi người dùng và lịch, mọi lần xem hoặc tải dữ liệu cá nhân của người vi phạm. "
        "Mỗi dòng mang mã băm của dòng trước; `ipcoord audit verify` kiểm tra cả chuỗi.",
        "Sign-ins, tokens, user and calendar changes, every read or export of violators' personal data. Each row "
        "carries the hash of the one before; `ipcoord audit verify` checks the whole chain.",
    ),
    "ui.audit.filter.user": ("Người dùng", "User"),
    "ui.audit.filter.event": ("Sự kiện", "Event"),
    "ui.audit.filter.record": ("Mã bản ghi", "Record id"),
    "ui.audit.filter.since": ("Từ ngày", "From"),
    "ui.audit.filter.until": ("Đến hết ngày", "Up to and including"),
    "ui.audit.filter.apply": ("Lọc", "Filter"),
    "ui.audit.bad_day": ("{field}: nhập ngày dạng dd/mm/yyyy.", "{field}: enter a day as dd/mm/yyyy."),
    "ui.audit.download": ("Tải CSV", "Download CSV"),
    "ui.audit.none": ("Không có dòng nào.", "No rows."),
    "ui.audit.older": ("Cũ hơn", "Older"),
    "ui.audit.col.at": ("Thời điểm", "Time"),
    "ui.audit.col.event": ("Sự kiện", "Event"),
    "ui.audit.col.actor": ("Người thực hiện", "Who"),
    "ui.audit.col.records": ("Bản ghi", "Records"),
    "ui.audit.col.fields": ("Trường", "Fields"),
    "ui.audit.col.origin": ("Từ đâu", "From where"),
}
