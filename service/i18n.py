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
    "field.too_few": (
        "Trường `{field}` phải có ít nhất {limit} mục.",
        "Field `{field}` must have at least {limit} items.",
    ),
    "field.too_many": ("Trường `{field}` có quá {limit} mục.", "Field `{field}` has more than {limit} items."),
    "field.too_small": ("Trường `{field}` phải ≥ {limit}.", "Field `{field}` must be ≥ {limit}."),
    "field.too_large": ("Trường `{field}` phải ≤ {limit}.", "Field `{field}` must be ≤ {limit}."),
    "field.out_of_range": ("Trường `{field}` phải nằm trong {range}.", "Field `{field}` must be within {range}."),
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
    # Page texts (templates call t("ui.…")).
    "ui.app_name": ("ipcoord — Sở hữu trí tuệ Lai Châu", "ipcoord — Lai Châu intellectual property"),
    "ui.skip": ("Chuyển đến nội dung chính", "Skip to main content"),
    "ui.footer": (
        "Điều phối thực thi quyền sở hữu trí tuệ tỉnh Lai Châu",
        "Lai Châu intellectual-property enforcement coordination",
    ),
    "ui.menu": ("Trình đơn", "Menu"),
    "ui.menu.record": ("Ghi nhận vụ việc", "Record an incident"),
    "ui.menu.mine": ("Vụ việc của tôi", "My incidents"),
    "ui.menu.inbox": ("Hồ sơ đến", "Inbox"),
    "ui.menu.outbox": ("Hồ sơ đã chuyển", "Outbox"),
    "ui.menu.dashboard": ("Tổng quan", "Dashboard"),
    "ui.menu.maps": ("Bản đồ", "Maps"),
    "ui.lang.switch": ("English", "Tiếng Việt"),
    "ui.logout": ("Đăng xuất", "Log out"),
    "ui.login.title": ("Đăng nhập", "Log in"),
    "ui.login.username": ("Tên đăng nhập", "Username"),
    "ui.login.password": ("Mật khẩu", "Password"),
    "ui.login.submit": ("Đăng nhập", "Log in"),
    "ui.login.expired": (
        "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại; bản nháp chưa gửi vẫn được giữ trên máy.",
        "Your session has expired. Please log in again; unsent drafts are kept on this device.",
    ),
    "ui.signed_in_as": ("Đăng nhập: {username} ({agency})", "Signed in: {username} ({agency})"),
    # Page texts: inspector pages (service/incidents/pages.py).
    # Page texts: incident view page (service/incidents/view_pages.py).
    # Page texts: referral pages (service/referrals/pages.py).
    # Page texts: dashboard and exports (service/dashboard/).
    "ui.dashboard.title": ("Tổng quan điều phối", "Coordination dashboard"),
    "ui.dashboard.as_of": ("Số liệu đến ngày {day}", "Figures as of {day}"),
    "ui.dashboard.month": ("Tháng {month}", "Month {month}"),
    "ui.dashboard.year": ("Năm {year}", "Year {year}"),
    "ui.dashboard.by_kind": ("Vụ việc theo loại", "Incidents by kind"),
    "ui.dashboard.by_agency": ("Vụ việc theo cơ quan ghi nhận", "Incidents by recording agency"),
    "ui.dashboard.kind": ("Loại vụ việc", "Kind"),
    "ui.dashboard.agency": ("Cơ quan", "Agency"),
    "ui.dashboard.total": ("Tổng cộng", "Total"),
    "ui.dashboard.counts_note": (
        "Tính theo ngày xảy ra (giờ Việt Nam); không tính vụ việc đã rút.",
        "Counted by date of occurrence (Vietnam time); withdrawn incidents are not counted.",
    ),
    "ui.dashboard.no_incidents": ("Chưa có vụ việc nào trong năm.", "No incidents this year yet."),
    "ui.dashboard.overdue": ("Hồ sơ chuyển quá hạn theo cơ quan nhận", "Overdue referrals by receiving agency"),
    "ui.dashboard.open": ("Đang mở", "Open"),
    "ui.dashboard.overdue_count": ("Quá hạn", "Overdue"),
    "ui.dashboard.no_open_referrals": ("Không có hồ sơ chuyển nào đang mở.", "No open referrals."),
    "ui.dashboard.maps": ("Bản đồ năm {year}", "Maps of {year}"),
    "ui.dashboard.map.hotspots": ("Điểm nóng vi phạm (38 đơn vị)", "Infringement hot spots (38 units)"),
    "ui.dashboard.map.choropleth": ("Số vụ theo đơn vị", "Cases per unit"),
    "ui.dashboard.open_map": ("Mở bản đồ đầy đủ", "Open the full map"),
    "ui.dashboard.lists": ("Danh sách và tải về", "Lists and downloads"),
    "ui.dashboard.list": ("Danh sách", "List"),
    "ui.dashboard.view": ("Xem", "View"),
    "ui.dashboard.download": ("Tải về", "Download"),
    "ui.dashboard.list.inbox": ("Hồ sơ đến của {agency}", "Referrals received by {agency}"),
    "ui.dashboard.list.outbox": ("Hồ sơ {agency} đã chuyển", "Referrals sent by {agency}"),
    "ui.dashboard.list.overdue": ("Hồ sơ quá hạn toàn tỉnh", "Overdue referrals, whole province"),
    "ui.dashboard.list.incidents_month": ("Vụ việc tháng {month}", "Incidents of {month}"),
    "ui.dashboard.list.incidents_year": ("Vụ việc năm {year}", "Incidents of {year}"),
    "ui.dashboard.list.incidents_all": ("Tất cả vụ việc", "All incidents"),
    "ui.exports.csv": ("Tải CSV (UTF-8, mở được bằng Excel)", "Download CSV (UTF-8, opens in Excel)"),
    "ui.exports.xlsx": ("Tải bảng tính Excel (XLSX)", "Download an Excel workbook (XLSX)"),
    "export.yes": ("Có", "Yes"),
    "export.no": ("Không", "No"),
    "export.incident.id": ("Mã vụ việc", "Incident ID"),
    "export.incident.kind": ("Loại vụ việc", "Kind"),
    "export.incident.status": ("Trạng thái", "Status"),
    "export.incident.agency": ("Cơ quan ghi nhận", "Recording agency"),
    "export.incident.recorded_by": ("Người ghi nhận", "Recorded by"),
    "export.incident.occurred_on": ("Ngày xảy ra", "Date of occurrence"),
    "export.incident.recorded_on": ("Ngày ghi nhận", "Date recorded"),
    "export.incident.unit_2025": ("Mã đơn vị cấp xã 2025", "2025 unit code"),
    "export.incident.unit_2025_name": ("Đơn vị cấp xã 2025", "2025 commune-level unit"),
    "export.incident.district_2024": ("Mã huyện cũ 2024", "2024 district code"),
    "export.incident.district_2024_name": ("Huyện cũ 2024", "2024 former district"),
    "export.incident.address": ("Địa chỉ", "Address"),
    "export.incident.lon": ("Kinh độ", "Longitude"),
    "export.incident.lat": ("Vĩ độ", "Latitude"),
    "export.incident.subject_matter": ("Đối tượng quyền SHTT", "Subject matter"),
    "export.incident.acts": ("Hành vi vi phạm", "Infringing acts"),
    "export.incident.goods_value": ("Giá trị hàng vi phạm (đồng)", "Goods value (VND)"),
    "export.incident.violator": ("Người vi phạm", "Violator"),
    "export.incident.violator_id": ("Số giấy tờ tùy thân của người vi phạm", "Violator's ID number"),
    "export.incident.violator_tax_code": ("Mã số thuế của người vi phạm", "Violator's tax code"),
    "export.incident.crime_signs": ("Có dấu hiệu tội phạm", "Signs of a crime"),
    "export.incident.summary": ("Tóm tắt", "Summary"),
    "export.incident_status.recorded": ("Đã ghi nhận", "Recorded"),
    "export.incident_status.under_verification": ("Đang xác minh", "Under verification"),
    "export.incident_status.sanctioned": ("Đã xử phạt", "Sanctioned"),
    "export.incident_status.referred": ("Đã chuyển giao", "Referred"),
    "export.incident_status.closed": ("Đã kết thúc", "Closed"),
    "export.incident_status.withdrawn": ("Đã rút", "Withdrawn"),
    "export.referral.id": ("Mã hồ sơ chuyển", "Referral ID"),
    "export.referral.incident_id": ("Mã vụ việc", "Incident ID"),
    "export.referral.from_agency": ("Cơ quan chuyển", "From agency"),
    "export.referral.to_agency": ("Cơ quan nhận", "To agency"),
    "export.referral.type": ("Loại chuyển giao", "Referral type"),
    "export.referral.status": ("Trạng thái", "Status"),
    "export.referral.sent_on": ("Ngày chuyển", "Date sent"),
    "export.referral.acknowledged_on": ("Ngày tiếp nhận", "Date acknowledged"),
    "export.referral.closed_on": ("Ngày kết thúc", "Date closed"),
    "export.referral.due_on": ("Hạn gần nhất", "Next due date"),
    "export.referral.days_left": ("Số ngày còn lại", "Days left"),
    "export.referral.overdue": ("Quá hạn", "Overdue"),
    "export.referral.outcome": ("Kết quả", "Outcome"),
    "export.referral.message": ("Nội dung", "Message"),
    "export.referral_status.sent": ("Đã gửi", "Sent"),
    "export.referral_status.acknowledged": ("Đã tiếp nhận", "Acknowledged"),
    "export.referral_status.in_progress": ("Đang xử lý", "In progress"),
    "export.referral_status.closed": ("Đã kết thúc", "Closed"),
    "export.referral_status.returned": ("Đã trả lại", "Returned"),
    "export.referral_status.refused": ("Từ chối tiếp nhận", "Refused"),
    "export.referral_type.CHUYEN_HO_SO_HINH_SU": ("Chuyển hồ sơ có dấu hiệu tội phạm", "Criminal referral"),
    "export.referral_type.TRA_HO_SO_XU_PHAT": (
        "Trả hồ sơ để xử phạt hành chính",
        "Returned for administrative sanction",
    ),
    "export.referral_type.CHUYEN_THAM_QUYEN": (
        "Chuyển người có thẩm quyền xử phạt",
        "Transfer to the competent authority",
    ),
    "export.referral_type.TRUNG_CAU_GIAM_DINH": ("Trưng cầu giám định", "Expert assessment"),
    "export.referral_type.PHOI_HOP_XAC_MINH": ("Phối hợp xác minh", "Joint verification"),
    "export.referral_type.CHUYEN_HOA_GIAI": ("Chuyển hòa giải", "Mediation"),
    "export.referral_type.CHUYEN_TRONG_TAI": ("Chuyển trọng tài", "Arbitration"),
    "export.referral_type.CHUYEN_TOA_AN": ("Chuyển Tòa án", "Court"),
    "export.referral_type.BAO_CAO": ("Báo cáo", "Report"),
    # Maps.
    "ui.maps.tip.unit": ("Đơn vị", "Unit"),
    "ui.maps.tip.result": ("Kết quả", "Result"),
    "ui.maps.tip.count_hidden": ("Số vụ (ẩn nếu ít)", "Cases (hidden if few)"),
    "ui.maps.indicative_hot": ("Gợi ý nóng (chưa qua FDR)", "Indicative hot (not after FDR)"),
    "ui.maps.indicative_cold": ("Gợi ý lạnh (chưa qua FDR)", "Indicative cold (not after FDR)"),
    "ui.maps.cap.period": ("Kỳ: {start} – {end}", "Period: {start} – {end}"),
    "ui.maps.cap.kind": ("Loại", "Kind"),
    "ui.maps.cap.subject_matter": ("Đối tượng", "Subject matter"),
    "ui.maps.cap.act": ("Hành vi", "Act"),
    "ui.maps.cap.agency": ("Cơ quan: {agency}", "Agency: {agency}"),
    "ui.maps.cap.all": ("Cơ quan: tất cả", "Agency: all"),
    "ui.maps.gen.2025": ("Đơn vị cấp xã 2025", "2025 commune-level units"),
    "ui.maps.gen.2024": ("Huyện cũ (trước 1/7/2025)", "Former districts (before 1 July 2025)"),
    "ui.maps.gen.units38": ("38 đơn vị cấp xã 2025", "38 commune-level units (2025)"),
    "ui.maps.cap.h3": ("Ô H3 độ phân giải {resolution}", "H3 cells, resolution {resolution}"),
    "ui.maps.cap.test": (
        "{permutations} hoán vị, hạt giống {seed}, FDR α = {alpha}",
        "{permutations} permutations, seed {seed}, FDR α = {alpha}",
    ),
    "ui.maps.cap.hexbins": (
        "Ô H3 độ phân giải {resolution}, tối thiểu {min_count} vụ/ô",
        "H3 cells, resolution {resolution}, at least {min_count} incidents per cell",
    ),
    "ui.maps.legend.per_unit": ("{metric} theo đơn vị", "{metric} per unit"),
    "ui.maps.legend.hotspots": ("Điểm nóng Getis-Ord Gi*", "Getis-Ord Gi* hot spots"),
    "ui.maps.legend.hexbins": ("Số vụ có tọa độ GPS mỗi ô", "Incidents with GPS per cell"),
    "ui.maps.from": ("Từ ngày", "From"),
    "ui.maps.to": ("Đến ngày", "To"),
    "ui.maps.resolution": ("Độ phân giải H3 (4–10)", "H3 resolution (4–10)"),
    "ui.maps.alpha": ("Mức FDR α (0–0,2)", "FDR α (0–0.2)"),
    "ui.maps.show": ("Xem bản đồ", "Show map"),
    "ui.maps.download": ("Tải dữ liệu", "Download data"),
    "ui.maps.kind": ("Loại vụ việc", "Kind"),
    "ui.maps.all": ("Tất cả", "All"),
    "ui.maps.agency": ("Cơ quan", "Agency"),
    "ui.maps.subject_matter": ("Đối tượng SHTT", "Subject matter"),
    "ui.maps.act": ("Hành vi", "Act"),
    "ui.maps.generation": ("Đơn vị", "Units"),
    "ui.maps.generation.2025": ("Xã/phường 2025", "2025 communes"),
    "ui.maps.generation.2024": ("Huyện cũ 2024", "2024 districts"),
    "ui.maps.metric": ("Chỉ tiêu", "Figure"),
    "ui.maps.areas": ("Vùng kiểm định", "Areas"),
    "ui.maps.areas.units": ("38 đơn vị", "38 units"),
    "ui.maps.areas.h3": ("Ô lục giác H3", "H3 hexagons"),
    "ui.maps.title.choropleth": ("Bản đồ số vụ theo đơn vị", "Cases per unit"),
    "ui.maps.title.hotspots": ("Điểm nóng vi phạm", "Infringement hot spots"),
    "ui.maps.title.hexbins": ("Mật độ vụ việc", "Incident density"),
    "ui.maps.metric.count": ("Số vụ", "Cases"),
    "ui.maps.metric.goods_value_vnd": ("Giá trị hàng vi phạm", "Seized value"),
    "ui.maps.metric.fine_vnd": ("Tiền phạt", "Fines"),
    "maps.period_order": (
        "Ngày kết thúc (`end`) không được trước ngày bắt đầu (`start`).",
        "The period cannot end (`end`) before it starts (`start`).",
    ),
    "maps.period_too_long": (
        "Khoảng thời gian không được dài quá {years} năm (`start` đến `end`, để trống là hôm nay).",
        "The period cannot span more than {years} years (`start` to `end`; an empty end means today).",
    ),
    "maps.note.too_few_incidents": (
        "Chỉ có {total} vụ; cần ít nhất {needed} vụ để kiểm định điểm nóng có ý nghĩa, nên không tô màu.",
        "Only {total} incidents; at least {needed} are needed for a meaningful hotspot test, so nothing is coloured.",
    ),
    "maps.note.too_few_areas": (
        "Các vụ chỉ nằm ở {areas} khu vực; cần ít nhất {needed} khu vực để kiểm định, nên không tô màu.",
        "Incidents fall in only {areas} areas; at least {needed} are needed for the test, so nothing is coloured.",
    ),
    "maps.note.power": (
        "Với {permutations} lần hoán vị trên {areas} ô, chỉ cụm từ {cluster} ô trở lên mới có thể có ý nghĩa.",
        "With {permutations} permutations over {areas} cells, only clusters of {cluster} or more cells can pass.",
    ),
    "maps.note.split_by_area": (
        "Một số vụ chỉ ghi đơn vị hành chính được chia theo tỷ lệ diện tích giữa các huyện cũ ({count} vụ).",
        "Some incidents recorded with a unit only are split by area share between former districts ({count}).",
    ),
    "maps.note.unplaced": (
        "{count} vụ không có đơn vị hành chính nên không được tính trên bản đồ.",
        "{count} incidents have no administrative unit and are not on the map.",
    ),
    "maps.note.suppressed": (
        "Ô có dưới {min_count} vụ bị ẩn để bảo vệ thông tin cá nhân ({points} vụ trong {cells} ô).",
        "Cells with fewer than {min_count} incidents are hidden for privacy ({points} incidents in {cells} cells).",
    ),
    "maps.note.without_gps": (
        "{count} vụ không có tọa độ GPS nên không có trên bản đồ mật độ.",
        "{count} incidents have no GPS position and are not on the density map.",
    ),
    # Administrative units and geotagging.
    "admin_unit.not_found": (
        "Không tìm thấy đơn vị hành chính {code} (thế hệ {generation}).",
        "Administrative unit {code} (generation {generation}) not found.",
    ),
    "geo.outside_province": (
        "Vị trí ({lon}, {lat}) nằm ngoài tỉnh Lai Châu.",
        "The point ({lon}, {lat}) lies outside Lai Châu province.",
    ),
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
    "sanction.incident_withdrawn": (
        "Vụ việc đã được rút, không thể thêm quyết định xử phạt.",
        "This incident was withdrawn; no sanction decision can be added.",
    ),
    # Referrals.
    "referral.not_found": ("Không tìm thấy hồ sơ chuyển giao.", "Referral not found."),
    "referral.to_self": (
        "Không thể chuyển hồ sơ cho chính cơ quan mình.",
        "A referral cannot go to your own agency.",
    ),
    "referral.agency_inactive": (
        "Cơ quan `{code}` không còn hoạt động.",
        "Agency `{code}` no longer exists.",
    ),
    "referral.not_receiver": (
        "Chỉ cơ quan nhận hồ sơ được thực hiện thao tác này.",
        "Only the receiving agency may do this.",
    ),
    "referral.action_not_allowed": (
        "Không thể `{action}` khi hồ sơ đang ở trạng thái `{status}`.",
        "Cannot `{action}` a referral whose status is `{status}`.",
    ),
    "referral.version_conflict": (
        "Hồ sơ vừa được người khác xử lý (phiên bản hiện tại: {current}).",
        "Someone else acted on this referral (current version: {current}).",
    ),
    "referral.bad_outcome": (
        "Kết quả `{outcome}` không dùng được cho loại `{type}`; chọn một trong: {allowed}.",
        "Outcome `{outcome}` does not fit type `{type}`; use one of: {allowed}.",
    ),
    "referral.bad_attachment": (
        "Tệp đính kèm không thuộc vụ việc được chuyển.",
        "The attachment does not belong to the referred incident.",
    ),
    "referral.deadline_recomputed": (
        "Bảng ngày nghỉ thay đổi ngày {day}; thời hạn được tính lại: {changes}.",
        "The holiday table changed for {day}; deadlines recomputed: {changes}.",
    ),
    # Holiday table.
    "holiday.bad_day": (
        "Trường `{field}` phải là một ngày dạng YYYY-MM-DD (nhận được `{value}`).",
        "Field `{field}` must be a day written YYYY-MM-DD (got `{value}`).",
    ),
    "holiday.not_found": ("Ngày {day} không có trong bảng ngày nghỉ.", "{day} is not in the holiday table."),
    # Mediation cases.
    "mediation.wrong_type": (
        "Chỉ hồ sơ chuyển hòa giải, trọng tài hoặc tòa án mới có phiên hòa giải và gia hạn; hồ sơ này loại `{type}`.",
        "Only referrals to mediation, arbitration or court have mediation sessions and extensions; this is `{type}`.",
    ),
    "mediation.not_a_dispute": (
        "Chỉ vụ việc tranh chấp mới được chuyển hòa giải, trọng tài hoặc tòa án; vụ việc này loại `{kind}`.",
        "Only a dispute can be referred to mediation, arbitration or court; this incident is `{kind}`.",
    ),
    "mediation.not_under_way": (
        "Hồ sơ đang ở trạng thái `{status}`: chỉ ghi phiên hòa giải, gia hạn sau khi tiếp nhận và trước khi kết thúc.",
        "The referral is `{status}`: sessions and extensions are recorded after acknowledgement and before closing.",
    ),
    "mediation.not_longer": (
        "Thời hạn `{rule}` không dài hơn thời hạn đang áp dụng `{current}`.",
        "Rule `{rule}` is not longer than the rule already applied, `{current}`.",
    ),
    "mediation.rule_not_in_force": (
        "Thời hạn `{rule}` không có hiệu lực vào ngày hôm nay.",
        "Rule `{rule}` is not in force today.",
    ),
    "mediation.session_in_future": (
        "Ngày phiên hòa giải {held_on} chưa đến.",
        "The session date {held_on} is in the future.",
    ),
    "mediation.session_before_referral": (
        "Phiên hòa giải không thể diễn ra trước ngày chuyển hồ sơ ({sent_on}).",
        "A session cannot be held before the referral was sent ({sent_on}).",
    ),
    # Notifications: errors, then the text of notification email.
    "webhook.not_found": ("Không tìm thấy webhook.", "Webhook subscription not found."),
    "webhook.https_required": ("Địa chỉ webhook phải dùng https.", "A webhook URL must use https."),
    "webhook.other_agency": (
        "Chỉ quản trị viên được đăng ký webhook cho cơ quan khác.",
        "Only administrators may register a webhook for another agency.",
    ),
    "notification.not_found": ("Không tìm thấy thông báo.", "Notification not found."),
    "notification.not_dead": (
        "Chỉ gửi lại được thông báo đã thất bại hẳn; thông báo này ở trạng thái `{status}`.",
        "Only a dead notification can be replayed; this one is `{status}`.",
    ),
    "notify.subject.referral.received": ("[ipcoord] Hồ sơ chuyển giao mới: {type}", "[ipcoord] New referral: {type}"),
    "notify.body.referral.received": (
        "Cơ quan của bạn vừa nhận một hồ sơ chuyển giao loại {type} (mã {referral_id}). Lời nhắn: {note}",
        "Your agency has received a referral of type {type} (id {referral_id}). Message: {note}",
    ),
    "notify.subject.referral.update": ("[ipcoord] Hồ sơ {type}: {action}", "[ipcoord] Referral {type}: {action}"),
    "notify.body.referral.update": (
        "Hồ sơ {referral_id} ({type}) vừa được xử lý: {action}; trạng thái hiện tại `{status}`. Ghi chú: {note}",
        "Referral {referral_id} ({type}) was acted on: {action}; it is now `{status}`. Note: {note}",
    ),
    "notify.subject.reminder": (
        "[ipcoord] Sắp đến hạn {due_on}: hồ sơ {type}",
        "[ipcoord] Due on {due_on}: referral {type}",
    ),
    "notify.body.reminder": (
        "Thời hạn `{clock}` của hồ sơ {referral_id} ({type}, từ {from_agency}) kết thúc ngày {due_on}. "
        "Đề nghị xử lý trước hạn.",
        "The `{clock}` clock of referral {referral_id} ({type}, from {from_agency}) runs out on {due_on}. "
        "Please act before then.",
    ),
    "notify.subject.escalation": (
        "[ipcoord] Quá hạn: hồ sơ {type} tại {agency} (hạn {due_on})",
        "[ipcoord] Overdue: referral {type} at {agency} (due {due_on})",
    ),
    "notify.body.escalation": (
        "Thời hạn `{clock}` của hồ sơ {referral_id} ({type}, từ {from_agency}) tại {agency} đã hết ngày {due_on}, "
        "quá hạn {days_overdue} ngày.",
        "The `{clock}` clock of referral {referral_id} ({type}, from {from_agency}) at {agency} ran out on {due_on}, "
        "{days_overdue} day(s) ago.",
    ),
    "notify.subject.digest": (
        "[ipcoord] Tổng hợp ngày {date}: {open} hồ sơ đến đang mở",
        "[ipcoord] Digest for {date}: {open} open incoming referrals",
    ),
    "notify.body.digest": (
        "Ngày {date}, {agency} có {open} hồ sơ đến đang mở: {overdue} quá hạn, {due_soon} sắp đến hạn.",
        "On {date}, {agency} has {open} open incoming referrals: {overdue} overdue, {due_soon} due soon.",
    ),
    "notify.digest.item": (
        "- {type} từ {from_agency}, trạng thái `{status}`, hạn {due_on} (mã {referral_id})",
        "- {type} from {from_agency}, `{status}`, due {due_on} (id {referral_id})",
    ),
    "notify.footer": (
        "Bạn nhận thư này theo lựa chọn thông báo của mình (GET/PUT /api/me/notifications).",
        "You receive this email according to your notification choices (GET/PUT /api/me/notifications).",
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


def catalogue_markdown() -> str:
    """docs/errors.md, generated from the catalogue (`make docs` rewrites it; a test keeps it in step)."""
    rows = [
        "# Error codes / Mã lỗi",
        "",
        "Every error body: `{code, message_vi, message_en, field, errors[], request_id}`. `field` names the first",
        "field at fault (a dotted path into the body, or a query/path parameter); `errors` lists every problem.",
        "`request_id` matches the `X-Request-ID` response header and the service's log line.",
        "",
        "Statuses: 400 invalid input; 401 not logged in; 403 not allowed or CSRF; 404 not found; 409 conflict;",
        "413 too large; 415 unsupported file type; 422 a valid value that breaks a domain rule (e.g. a point",
        "outside Lai Châu); 429 too many login attempts; 500 a bug (logged, never shown); 503 database unavailable.",
        "",
        "Generated from `service/i18n.py` by `make docs`.",
        "",
        "| Code | Tiếng Việt | English |",
        "| --- | --- | --- |",
    ]
    rows += [f"| `{code}` | {vi} | {en} |" for code, (vi, en) in MESSAGES.items()]
    return "\n".join(rows) + "\n"
