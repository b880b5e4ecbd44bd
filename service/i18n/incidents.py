"""Incidents, attachments and sanction decisions: API errors, and the sanctions list and export."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Incidents.
    "incident.not_found": ("Không tìm thấy vụ việc.", "Incident not found."),
    "incident.place_required": (
        "Cần vị trí GPS hoặc chọn đơn vị hành chính.",
        "Give a GPS location or pick an administrative unit.",
    ),
    "incident.unknown_unit": (
        "Không có đơn vị hành chính {code} (thế hệ {generation}).",
        "There is no administrative unit {code} (generation {generation}).",
    ),
    "incident.place_contradiction": (
        "Vị trí GPS ({lon}, {lat}) nằm ở đơn vị {found}, không thuộc đơn vị đã chọn {code} (thế hệ {generation}).",
        "The GPS point ({lon}, {lat}) lies in unit {found}, not in the picked unit {code} (generation {generation}).",
    ),
    "incident.anonymised": (
        "Dữ liệu cá nhân của vụ việc này đã được ẩn danh theo thời hạn lưu trữ; không thể nhập lại `{field}`.",
        "This incident's personal data was anonymised under its retention rule; `{field}` cannot be entered again.",
    ),
    "incident.in_future": ("Thời điểm `{field}` không được ở tương lai.", "`{field}` cannot be in the future."),
    "incident.detected_before_occurred": (
        "Thời điểm phát hiện không được trước thời điểm xảy ra.",
        "`detected_at` cannot be before `occurred_at`.",
    ),
    "incident.ad_content_required": (
        "Cần nội dung quảng cáo hoặc đường dẫn (URL).",
        "Give the advertisement's content or its URL.",
    ),
    "incident.dates_order": (
        "Ngày kết thúc tạm dừng không được trước ngày bắt đầu.",
        "The suspension cannot end before it starts.",
    ),
    "incident.not_a_dispute": (
        "Vụ việc được hòa giải phải là một tranh chấp mà bạn được xem.",
        "The settled case must be a dispute you can see.",
    ),
    "incident.goods_total_too_large": (
        "Tổng giá trị hàng hóa vượt quá 10^15 đồng.",
        "The goods add up to more than 10^15 VND.",
    ),
    "incident.kind_fixed": (
        "Không thể đổi loại vụ việc; hãy rút vụ việc và ghi nhận lại.",
        "An incident's kind cannot change; withdraw it and record it again.",
    ),
    "incident.nothing_changed": ("Không có thay đổi nào.", "Nothing would change."),
    "incident.version_conflict": (
        "Vụ việc vừa được người khác sửa (phiên bản hiện tại: {current}). Hãy tải lại và sửa lại.",
        "Someone else changed this incident (current version: {current}). Reload it and apply your change again.",
    ),
    "incident.read_only": (
        "Chỉ cơ quan ghi nhận hoặc điều phối viên được sửa vụ việc này.",
        "Only the recording agency or a coordinator may change this incident.",
    ),
    "incident.already_withdrawn": ("Vụ việc đã được rút.", "This incident was already withdrawn."),
    "incident.bad_cursor": ("Con trỏ phân trang không hợp lệ.", "The page cursor is not valid."),
    "incident.bad_unit_filter": (
        "Bộ lọc đơn vị phải có dạng 2025:03388 hoặc 2024:105.",
        "The unit filter must look like 2025:03388 or 2024:105.",
    ),
    "idempotency.key_reused": (
        "Khóa Idempotency-Key này đã dùng cho một nội dung khác.",
        "This Idempotency-Key was already used with a different body.",
    ),
    # Attachments.
    "attachment.unsupported_type": (
        "Tệp `{field}` không phải ảnh JPEG, PNG, WebP hay tài liệu PDF hợp lệ.",
        "File `{field}` is not a valid JPEG, PNG or WebP image, nor a PDF document.",
    ),
    "attachment.too_large": (
        "Tệp `{field}` vượt quá giới hạn {limit_mb} MB.",
        "File `{field}` is larger than the {limit_mb} MB limit.",
    ),
    "attachment.not_found": ("Không tìm thấy tệp đính kèm.", "Attachment not found."),
    # Sanction decisions.
    "sanction.fine_over_ceiling": (
        "Mức phạt vượt mức phạt tiền tối đa {ceiling:,} đồng theo {legal_basis}.",
        "The fine exceeds the maximum of {ceiling:,} VND under {legal_basis}.",
    ),
    "sanction.no_ceiling": (
        "Chưa có mức phạt tiền tối đa áp dụng vào ngày {on}, nên không thể ghi mức phạt.",
        "No maximum fine is on record for {on}, so the fine cannot be recorded.",
    ),
    "sanction.warning_with_fine": (
        "Hình thức cảnh cáo không kèm phạt tiền: `fine_vnd` phải bằng 0.",
        "A warning carries no fine: `fine_vnd` must be 0.",
    ),
    "sanction.fine_required": (
        "Hình thức phạt tiền cần mức phạt lớn hơn 0 đồng.",
        "A fine sanction needs an amount above 0 VND.",
    ),
    "sanction.not_found": ("Không tìm thấy quyết định xử phạt.", "Sanction decision not found."),
    "sanction.birth_date_range": (
        "Ngày sinh ở `{field}` phải từ {earliest} và trước ngày ra quyết định.",
        "The date of birth in `{field}` must be on or after {earliest} and before the decision's date.",
    ),
    "sanction.individual_only": (
        "`{field}` chỉ ghi cho cá nhân, hộ kinh doanh; người vi phạm của vụ việc là tổ chức.",
        "`{field}` is recorded for an individual or household business; this incident's violator is an organisation.",
    ),
    "sanction.organisation_only": (
        "`{field}` chỉ ghi cho tổ chức (mã số đăng ký: tổ chức hoặc hộ kinh doanh), không cho người vi phạm này.",
        "`{field}` is recorded for an organisation (a registration number: organisation or household business), "
        "not for this violator.",
    ),
    "sanction.executed_on_range": (
        "Ngày thi hành ở `{field}` phải từ ngày ra quyết định đến hôm nay.",
        "The day carried out in `{field}` must be between the decision's date and today.",
    ),
    "sanction.executed_on_status": (
        "Chỉ ghi `{field}` khi quyết định đã nộp phạt xong hoặc đã cưỡng chế thi hành.",
        "`{field}` is recorded only once the decision is paid or enforced.",
    ),
    "sanction.incident_withdrawn": (
        "Vụ việc đã được rút, không thể thêm quyết định xử phạt.",
        "This incident was withdrawn; no sanction decision can be added.",
    ),
    # Sanctions list and export.
    "sanction_list.bad_range": (
        "Ngày ở `{field}` không được trước ngày ở `{start}`.",
        "The day in `{field}` must not be before the day in `{start}`.",
    ),
    "sanction_list.unknown_agency": (
        "Không có cơ quan mã `{value}` (trường `{field}`).",
        "No agency has the code `{value}` (field `{field}`).",
    ),
    "ui.menu.sanctions": ("Quyết định xử phạt", "Sanction decisions"),
    "ui.sanctions.title": ("Quyết định xử phạt", "Sanction decisions"),
    "ui.sanctions.intro": (
        "Quyết định xử phạt của các vụ việc bạn được xem, ngày quyết định mới nhất trước.",
        "Sanction decisions on the incidents you may see, latest decision date first.",
    ),
    "ui.sanctions.filters": ("Lọc quyết định", "Filter decisions"),
    "ui.sanctions.filter.agency": ("Cơ quan ra quyết định", "Deciding agency"),
    "ui.sanctions.filter.decided_from": ("Quyết định từ ngày", "Decided from"),
    "ui.sanctions.filter.decided_to": ("Quyết định đến ngày", "Decided until"),
    "ui.sanctions.filter.payment_status": ("Tình trạng thi hành", "Payment status"),
    "ui.sanctions.filter.principal_sanction": ("Hình thức xử phạt chính", "Principal sanction"),
    "ui.sanctions.filter.act": ("Hành vi vi phạm", "Infringing act"),
    "ui.sanctions.filter.kind": ("Loại vụ việc", "Incident kind"),
    "ui.sanctions.filter.unit": ("Địa bàn của vụ việc", "Place of the incident"),
    "ui.sanctions.filter.unit_hint": (
        "Ví dụ 2025:03388 (xã, phường từ 2025) hoặc 2024:105 (huyện cũ).",
        "E.g. 2025:03388 (commune or ward since 2025) or 2024:105 (former district).",
    ),
    "ui.sanctions.filter.q": ("Tìm kiếm", "Search"),
    "ui.sanctions.filter.q_hint": (
        "Số quyết định, tên người vi phạm, hàng hóa…, có dấu hoặc không dấu.",
        "Decision number, violator's name, goods…, with or without diacritics.",
    ),
    "ui.sanctions.filter.cursor": ("Trang", "Page"),
    "ui.sanctions.filter.all": ("Tất cả", "All"),
    "ui.sanctions.filter.apply": ("Lọc", "Filter"),
    "ui.sanctions.filter.clear": ("Bỏ lọc", "Clear filters"),
    "ui.sanctions.col.number": ("Số quyết định", "Decision no."),
    "ui.sanctions.col.decided_on": ("Ngày quyết định", "Decided on"),
    "ui.sanctions.col.agency": ("Cơ quan ra quyết định", "Deciding agency"),
    "ui.sanctions.col.incident": ("Vụ việc", "Incident"),
    "ui.sanctions.col.occurred_on": ("Ngày xảy ra", "Occurred on"),
    "ui.sanctions.col.unit": ("Xã, phường (2025)", "Commune or ward (2025)"),
    "ui.sanctions.col.violator": ("Người vi phạm", "Violator"),
    "ui.sanctions.col.principal": ("Hình thức chính", "Principal sanction"),
    "ui.sanctions.col.fine": ("Tiền phạt", "Fine"),
    "ui.sanctions.col.payment": ("Tình trạng thi hành", "Payment status"),
    "ui.sanctions.open": ("Mở vụ việc của quyết định {number}", "Open the incident of decision {number}"),
    "ui.sanctions.count": ("{count} quyết định trên trang này", "{count} decision(s) on this page"),
    "ui.sanctions.empty": ("Không có quyết định nào phù hợp.", "No decisions match."),
    "ui.sanctions.download": ("Tải danh sách đã lọc (mọi trang):", "Download the filtered list (every page):"),
    "ui.sanctions.national_record": (
        "Dữ liệu gửi CSDL quốc gia về xử lý vi phạm hành chính (NĐ 20/2016, Điều 9) — quyết định của cơ quan, "
        "trong kỳ đã lọc hoặc năm nay:",
        "For the national record of administrative violations (Decree 20/2016, Art. 9) — the agency's decisions, "
        "in the filtered period or this year:",
    ),
    "ui.incident.sanction.birth_date": ("Ngày sinh người vi phạm", "Violator's date of birth"),
    "ui.incident.sanction.sex": ("Giới tính", "Sex"),
    "ui.incident.sanction.registration_number": ("Mã số đăng ký", "Registration no."),
    "ui.incident.sanction.legal_representative": ("Người đại diện theo pháp luật", "Legal representative"),
    "ui.incident.sanction.executed_on": ("Ngày thi hành xong", "Carried out on"),
    "ui.sanctions.pages": ("Các trang", "Pages"),
    "ui.sanctions.first": ("Trang đầu", "First page"),
    "ui.sanctions.next": ("Trang sau", "Next page"),
    "ui.dashboard.list.sanctions_year": ("Quyết định xử phạt năm {year}", "Sanction decisions of {year}"),
    "ui.dashboard.list.sanctions_all": ("Tất cả quyết định xử phạt", "All sanction decisions"),
    "export.sanction.id": ("Mã quyết định", "Decision ID"),
    "export.sanction.number": ("Số quyết định", "Decision no."),
    "export.sanction.decided_on": ("Ngày quyết định", "Date decided"),
    "export.sanction.agency": ("Cơ quan ra quyết định", "Deciding agency"),
    "export.sanction.decider_name": ("Người ra quyết định", "Decided by"),
    "export.sanction.decider_title": ("Chức vụ người ra quyết định", "Decider's title"),
    "export.sanction.acts": ("Hành vi vi phạm", "Infringing acts"),
    "export.sanction.principal": ("Hình thức xử phạt chính", "Principal sanction"),
    "export.sanction.fine": ("Tiền phạt (đồng)", "Fine (VND)"),
    "export.sanction.additional": ("Hình thức xử phạt bổ sung", "Additional sanctions"),
    "export.sanction.remedial": ("Biện pháp khắc phục hậu quả", "Remedial measures"),
    "export.sanction.payment": ("Tình trạng thi hành", "Payment status"),
    "export.sanction.incident_id": ("Mã vụ việc", "Incident ID"),
    "export.sanction.incident_kind": ("Loại vụ việc", "Incident kind"),
    "export.sanction.incident_agency": ("Cơ quan ghi nhận vụ việc", "Recording agency"),
    "export.sanction.occurred_on": ("Ngày xảy ra", "Date of occurrence"),
    "export.sanction.unit_2025": ("Mã đơn vị cấp xã 2025", "2025 unit code"),
    "export.sanction.unit_2025_name": ("Đơn vị cấp xã 2025", "2025 commune-level unit"),
    "export.sanction.violator": ("Người vi phạm", "Violator"),
    "export.sanction.violator_id": ("Số giấy tờ tùy thân của người vi phạm", "Violator's ID number"),
    "export.sanction.violator_tax_code": ("Mã số thuế của người vi phạm", "Violator's tax code"),
}
