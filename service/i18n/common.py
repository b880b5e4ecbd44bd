"""Generic HTTP outcomes, field validation, authentication, the shared page texts, administrative units and health."""

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
    "database.unavailable": (
        "Cơ sở dữ liệu tạm thời không truy cập được (đang khởi động lại hoặc bảo trì). Vui lòng thử lại sau ít giây.",
        "The database is temporarily unavailable (restarting or under maintenance). Please try again in a few seconds.",
    ),
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
    "field.format": ("Trường `{field}` không đúng định dạng.", "Field `{field}` is not in the expected format."),
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
    "ui.menu.imports": ("Nhập dữ liệu cũ", "Import records"),
    "ui.menu.reports": ("Báo cáo", "Reports"),
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
    "ui.error.home": ("Trang chủ", "Home"),
    "ui.error.reference": ("Mã tra cứu sự cố: {request_id}", "Reference for support: {request_id}"),
    "ui.signed_in_as": ("Đăng nhập: {username} ({agency})", "Signed in: {username} ({agency})"),
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
    "health.not_migrated": (
        "Lược đồ cơ sở dữ liệu chưa được nâng cấp tới phiên bản của mã nguồn (chạy `ipcoord migrate`).",
        "The database schema is not at the code's revision (run `ipcoord migrate`).",
    ),
    "health.no_worker": (
        "Không thấy tiến trình xử lý nền (ipcoord worker) nào trong {minutes} phút qua: nhắc hạn, chuyển cấp và "
        "thông báo đang dừng.",
        "No background worker (ipcoord worker) has been seen for {minutes} minutes: reminders, escalations and "
        "notifications are stopped.",
    ),
}
