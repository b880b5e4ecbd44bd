"""Imports of past spreadsheets (service/imports/)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Imports (service/imports/).
    "import.empty": ("Tệp `{field}` rỗng hoặc không có dòng tiêu đề.", "File `{field}` is empty or has no header row."),
    "import.no_rows": (
        "Tệp `{field}` chỉ có dòng tiêu đề, không có dòng dữ liệu nào.",
        "File `{field}` has a header row but no data rows.",
    ),
    "import.too_large": (
        "Tệp `{field}` vượt quá giới hạn {limit_mb} MB.",
        "File `{field}` is larger than the {limit_mb} MB limit.",
    ),
    "import.unsupported_type": (
        "Tệp `{field}` không phải CSV (UTF-8 hoặc Windows-1258) hay bảng tính XLSX. Tệp .xls cũ hoặc có mật khẩu: "
        "hãy lưu lại thành .xlsx hoặc CSV.",
        "File `{field}` is neither a CSV (UTF-8 or Windows-1258) nor an XLSX workbook. An old .xls or a "
        "password-protected workbook: save it again as .xlsx or CSV.",
    ),
    "import.formula": (
        "Tệp `{field}`: ô {cell} chứa công thức. Hãy chép rồi dán dạng giá trị (Paste Values) và tải lên lại.",
        "File `{field}`: cell {cell} holds a formula. Copy and paste as values (Paste Values), then upload again.",
    ),
    "import.merged_cells": (
        "Tệp `{field}` có ô gộp ({range}). Hãy bỏ gộp ô: tiêu đề cột nằm trên một hàng, mỗi cột một ô.",
        "File `{field}` has merged cells ({range}). Unmerge them: one header row, one cell per column.",
    ),
    "import.second_sheet": (
        "Tệp `{field}` có {count} trang tính (trang thứ hai: «{sheet}»). Hãy để lại một trang duy nhất.",
        "File `{field}` has {count} sheets (the second: “{sheet}”). Keep a single sheet.",
    ),
    "import.too_many_rows": (
        "Tệp `{field}` có {count} dòng dữ liệu, quá giới hạn {limit} dòng mỗi lần nhập. Hãy chia thành nhiều tệp.",
        "File `{field}` has {count} data rows, more than the {limit} allowed per import. Split it into several files.",
    ),
    "import.too_many_columns": (
        "Tệp `{field}` có {count} cột, quá giới hạn {limit} cột.",
        "File `{field}` has {count} columns, more than the {limit} allowed.",
    ),
    "import.header_empty": (
        "Tệp `{field}`: cột {column} có dữ liệu nhưng không có tiêu đề ở dòng đầu.",
        "File `{field}`: column {column} has data but no header in the first row.",
    ),
    "import.header_duplicate": (
        "Tệp `{field}`: tiêu đề «{header}» lặp lại ở các cột {columns}.",
        "File `{field}`: the header “{header}” appears in columns {columns}.",
    ),
    "import.mapping.unknown_column": (
        "`{field}`: tệp không có cột «{column}».",
        "`{field}`: the file has no column “{column}”.",
    ),
    "import.mapping.column_twice": (
        "`{field}`: cột «{column}» được ghép hai lần.",
        "`{field}`: column “{column}” is mapped twice.",
    ),
    "import.mapping.field_twice": (
        "`{field}`: trường {target} đã lấy từ cột «{first}», không thể lấy thêm từ cột «{second}».",
        "`{field}`: field {target} already comes from column “{first}”, not also from “{second}”.",
    ),
    "import.mapping.missing": (
        "`{field}`: cần ghép một cột cho trường {target}.",
        "`{field}`: a column must be mapped to the field {target}.",
    ),
    "import.not_found": ("Không tìm thấy lần nhập này.", "This import was not found."),
    "import.not_mapped": (
        "Hãy ghép cột (`{field}`) trước khi chạy thử hoặc lưu.",
        "Map the columns (`{field}`) before a dry run or a commit.",
    ),
    "import.committed": ("Lần nhập này đã được lưu.", "This import has been committed."),
    "import.rows_invalid": (
        "{count} dòng còn lỗi hoặc chưa xác nhận; chưa lưu dòng nào.",
        "{count} rows have errors or are not confirmed; nothing was stored.",
    ),
    "import.row_problem": ("Dòng {row}: {message}", "Row {row}: {message}"),
    "import.history_reason": (
        "Nhập từ tệp «{file}», dòng {row} (SHA-256 {sha256}…)",
        "Imported from file “{file}”, row {row} (SHA-256 {sha256}…)",
    ),
    "import.value.required": ("Thiếu `{field}`.", "`{field}` is missing."),
    "import.value.date_format": (
        "`{field}`: «{value}» không phải ngày dạng dd/mm/yyyy, d/m/yy, yyyy-mm-dd hay số ngày của Excel.",
        "`{field}`: “{value}” is not a date as dd/mm/yyyy, d/m/yy, yyyy-mm-dd or an Excel serial day.",
    ),
    "import.value.not_a_date": (
        "`{field}`: «{value}» không phải ngày có thật.",
        "`{field}`: “{value}” is not a real date.",
    ),
    "import.value.in_future": (
        "`{field}`: ngày «{value}» ở tương lai (năm {year}).",
        "`{field}`: the date “{value}” is in the future (year {year}).",
    ),
    "import.value.detected_before_occurred": (
        "`{field}`: ngày phát hiện trước ngày xảy ra.",
        "`{field}`: the detection date is before the date it occurred.",
    ),
    "import.value.whole_number": (
        "`{field}`: «{value}» không phải số nguyên không âm (dấu chấm ngăn cách hàng nghìn: 1.250.000).",
        "`{field}`: “{value}” is not a whole non-negative number (dots between thousands: 1.250.000).",
    ),
    "import.value.kind": (
        "`{field}`: không nhận ra loại vụ việc «{value}».",
        "`{field}`: “{value}” is not a known incident kind.",
    ),
    "import.value.kind_unsupported": (
        "`{field}`: loại «{value}» chưa nhập được từ tệp; chỉ nhập vụ kiểm tra, thu giữ hàng hóa. Hãy ghi nhận "
        "qua biểu mẫu.",
        "`{field}`: kind “{value}” cannot be imported yet; only inspections and seizures can. Record it through "
        "the form.",
    ),
    "import.value.unknown_code": (
        "`{field}`: «{value}» không có trong danh mục.",
        "`{field}`: “{value}” is not in the list.",
    ),
    "import.value.violator_type": (
        "`{field}`: «{value}» không phải cá nhân, tổ chức hay hộ kinh doanh.",
        "`{field}`: “{value}” is not an individual, an organisation or a household business.",
    ),
    "import.value.total_not_divisible": (
        "`{field}`: tổng {total} không chia hết cho số lượng {quantity}; hãy ghi đơn giá.",
        "`{field}`: the total {total} does not divide by the quantity {quantity}; give the unit price.",
    ),
    "import.value.total_mismatch": (
        "`{field}`: tổng {total} khác số lượng {quantity} × đơn giá {price}.",
        "`{field}`: the total {total} differs from quantity {quantity} × unit price {price}.",
    ),
    "import.value.price_missing": (
        "`{field}`: cần đơn giá hoặc tổng trị giá hàng hóa.",
        "`{field}`: the unit price or the total value of the goods is needed.",
    ),
    "import.unit.unknown": (
        "`{field}`: không tìm thấy đơn vị hành chính «{value}» ở Lai Châu. Gần giống: {suggestions}.",
        "`{field}`: no administrative unit “{value}” in Lai Châu. Similar: {suggestions}.",
    ),
    "import.unit.ambiguous": (
        "`{field}`: «{value}» có thể là {candidates}; hãy ghi rõ xã/phường/thị trấn hoặc huyện.",
        "`{field}`: “{value}” could be {candidates}; write xã/phường/thị trấn or give the district.",
    ),
    "import.unit.fuzzy": (
        "`{field}`: «{value}» được hiểu là {unit} (gần đúng). Hãy xác nhận.",
        "`{field}`: “{value}” was read as {unit} (close match). Please confirm.",
    ),
    "import.unit.not_in_district": (
        "`{field}`: «{value}» không thuộc {district} mà thuộc {actual}.",
        "`{field}`: “{value}” is not in {district} but in {actual}.",
    ),
    "import.unit.missing": (
        "`{field}`: thiếu nơi xảy ra (xã/phường/thị trấn hoặc huyện).",
        "`{field}`: the place is missing (commune or district).",
    ),
    "ui.imports.title": ("Nhập vụ việc từ bảng tính cũ", "Import past incidents from spreadsheets"),
    "ui.imports.intro": (
        "Tải lên tệp CSV hoặc XLSX các vụ kiểm tra, thu giữ của cơ quan; ghép cột, chạy thử rồi lưu tất cả một lần.",
        "Upload a CSV or XLSX of your agency's past inspections and seizures; map the columns, dry-run, then "
        "store them all at once.",
    ),
    "ui.imports.file": ("Tệp CSV hoặc XLSX", "CSV or XLSX file"),
    "ui.imports.file_hint": (
        "Một trang tính, dòng đầu là tiêu đề cột, không công thức, không ô gộp. CSV: UTF-8 hoặc Windows-1258.",
        "One sheet, column headers in the first row, no formulas, no merged cells. CSV: UTF-8 or Windows-1258.",
    ),
    "ui.imports.upload": ("Tải lên", "Upload"),
    "ui.imports.list": ("Các lần nhập của cơ quan", "Your agency's imports"),
    "ui.imports.none": ("Chưa có lần nhập nào.", "No imports yet."),
    "ui.imports.back": ("← Các lần nhập", "← Imports"),
    "ui.imports.col.file": ("Tệp", "File"),
    "ui.imports.col.uploaded": ("Tải lên lúc", "Uploaded"),
    "ui.imports.col.rows": ("Số dòng", "Rows"),
    "ui.imports.col.status": ("Trạng thái", "Status"),
    "ui.imports.col.stored": ("Đã lưu", "Stored"),
    "ui.imports.col.column": ("Cột", "Column"),
    "ui.imports.col.header": ("Tiêu đề", "Header"),
    "ui.imports.col.samples": ("Giá trị mẫu", "Sample values"),
    "ui.imports.col.field": ("Trường của ipcoord", "ipcoord field"),
    "ui.imports.col.row": ("Dòng", "Row"),
    "ui.imports.col.occurred": ("Ngày", "Date"),
    "ui.imports.col.place": ("Nơi xảy ra (2024 → 2025)", "Place (2024 → 2025)"),
    "ui.imports.col.goods": ("Hàng hóa", "Goods"),
    "ui.imports.col.value": ("Trị giá", "Value"),
    "ui.imports.col.problems": ("Lỗi, cảnh báo", "Errors, warnings"),
    "ui.imports.col.confirm": ("Xác nhận", "Confirm"),
    "ui.imports.status.uploaded": ("Đã tải lên", "Uploaded"),
    "ui.imports.status.mapped": ("Đã ghép cột", "Mapped"),
    "ui.imports.status.committed": ("Đã lưu", "Committed"),
    "ui.imports.row_status.ok": ("Hợp lệ", "OK"),
    "ui.imports.row_status.warning": ("Cần xác nhận", "To confirm"),
    "ui.imports.row_status.error": ("Có lỗi", "Error"),
    "ui.imports.row_status.imported": ("Đã lưu trước đây", "Stored before"),
    "ui.imports.how.folded": ("đọc không dấu", "read without diacritics"),
    "ui.imports.how.fuzzy": ("gần đúng", "close match"),
    "ui.imports.format": ("Định dạng", "Format"),
    "ui.imports.mapping": ("Ghép cột", "Column mapping"),
    "ui.imports.mapping_source.remembered": (
        "Đã điền sẵn theo lần ghép cột trước của cơ quan; kiểm tra rồi lưu.",
        "Pre-filled from your agency's last mapping; check it, then save.",
    ),
    "ui.imports.mapping_source.guessed": (
        "Đã đoán theo tên cột thường dùng; kiểm tra rồi lưu.",
        "Guessed from usual column names; check it, then save.",
    ),
    "ui.imports.defaults": (
        "Giá trị mặc định khi tệp không có cột hoặc ô trống",
        "Defaults when a column is missing or a cell empty",
    ),
    "ui.imports.save_mapping": ("Lưu cách ghép và chạy thử", "Save the mapping and dry-run"),
    "ui.imports.dry_run": ("Chạy thử", "Dry run"),
    "ui.imports.counts": (
        "{total} dòng: {ok} hợp lệ, {warnings} cần xác nhận, {errors} có lỗi, {imported} đã lưu trước đây.",
        "{total} rows: {ok} OK, {warnings} to confirm, {errors} with errors, {imported} stored before.",
    ),
    "ui.imports.confirm_row": ("Xác nhận dòng {row}", "Confirm row {row}"),
    "ui.imports.hidden_rows": (
        "Còn {count} dòng không có vấn đề (API chạy thử liệt kê đủ).",
        "{count} more rows without problems (the dry-run API lists them all).",
    ),
    "ui.imports.commit_hint": (
        "Lưu tất cả hoặc không lưu gì: sửa các dòng có lỗi trong tệp rồi tải lên lại; đánh dấu xác nhận các tên "
        "đọc gần đúng.",
        "Everything is stored or nothing: fix rows with errors in the file and upload it again; tick the names "
        "read as close matches to confirm them.",
    ),
    "ui.imports.commit": ("Lưu tất cả", "Store all"),
    "ui.imports.stored": ("Đã lưu {count} vụ việc.", "{count} incidents stored."),
    "ui.imports.field.none": ("— không dùng —", "— not used —"),
    "ui.imports.field.kind": ("Loại vụ việc", "Incident kind"),
    "ui.imports.field.occurred_on": ("Ngày xảy ra", "Date it occurred"),
    "ui.imports.field.detected_on": ("Ngày phát hiện", "Date detected"),
    "ui.imports.field.record_number": ("Số biên bản", "Record number"),
    "ui.imports.field.goods_description": ("Hàng hóa", "Goods"),
    "ui.imports.field.goods_mark": ("Nhãn hiệu bị xâm phạm", "Infringed mark"),
    "ui.imports.field.goods_quantity": ("Số lượng", "Quantity"),
    "ui.imports.field.goods_unit": ("Đơn vị tính", "Unit of measure"),
    "ui.imports.field.goods_unit_price": ("Đơn giá (đồng)", "Unit price (VND)"),
    "ui.imports.field.goods_total_value": ("Tổng trị giá (đồng)", "Total value (VND)"),
    "ui.imports.field.commune": ("Xã, phường, thị trấn", "Commune"),
    "ui.imports.field.district": ("Huyện, thành phố (trước 2025)", "District (before 2025)"),
    "ui.imports.field.violator_name": ("Đối tượng vi phạm", "Violator"),
    "ui.imports.field.violator_type": ("Loại đối tượng", "Violator type"),
    "ui.imports.field.violator_address": ("Địa chỉ đối tượng", "Violator's address"),
    "ui.imports.field.team": ("Đội, tổ công tác", "Team"),
    "ui.imports.field.subject_matter": ("Đối tượng quyền SHTT", "IP subject matter"),
    "ui.imports.field.infringement_acts": ("Hành vi vi phạm", "Infringing acts"),
    "ui.imports.field.notes": ("Ghi chú", "Notes"),
    "ui.imports.violator_type.individual": ("Cá nhân", "Individual"),
    "ui.imports.violator_type.organisation": ("Tổ chức", "Organisation"),
    "ui.imports.violator_type.household_business": ("Hộ kinh doanh", "Household business"),
}
