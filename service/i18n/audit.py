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
}
