"""Account security: second factors, sign-in slowdown, sessions, password change (errors and page texts)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "auth.second_factor_required": (
        "Cần xác thực bước hai (mã từ ứng dụng, khóa bảo mật hoặc mã khôi phục) trước khi tiếp tục.",
        "Pass the second factor (an app code, a security key or a recovery code) before going on.",
    ),
    "auth.second_factor_enrolment_required": (
        "Vai trò của bạn bắt buộc xác thực hai bước: hãy đăng ký ứng dụng xác thực hoặc khóa bảo mật trước.",
        "Your role requires a second factor: enrol an authenticator app or a security key first.",
    ),
    "auth.account_slowed": (
        "Tài khoản này vừa có nhiều lần đăng nhập sai. Hãy thử lại sau {seconds} giây.",
        "This account had several failed sign-ins. Try again in {seconds} seconds.",
    ),
    "auth.token_needs_second_factor": (
        "Mã truy cập API chỉ được tạo từ một phiên đăng nhập đã qua xác thực bước hai (khi tài khoản có).",
        "API tokens can only be created from a login session that passed the second factor (where there is one).",
    ),
    "auth.session_not_found": ("Không tìm thấy phiên đăng nhập.", "Login session not found."),
    "user.wrong_password": ("Mật khẩu hiện tại không đúng.", "The current password is incorrect."),
    "second_factor.code_invalid": (
        "Mã `{field}` không đúng hoặc đã hết hạn.",
        "The code in `{field}` is wrong or has expired.",
    ),
    "second_factor.code_used": (
        "Mã này đã được dùng. Hãy đợi mã tiếp theo trong ứng dụng.",
        "This code was already used. Wait for the next code in the app.",
    ),
    "second_factor.recovery_code_used": (
        "Mã khôi phục này đã được dùng; mỗi mã chỉ dùng được một lần.",
        "This recovery code was already used; each code works once.",
    ),
    "second_factor.slowed": (
        "Nhập sai mã nhiều lần. Hãy thử lại sau {seconds} giây.",
        "Too many wrong codes. Try again in {seconds} seconds.",
    ),
    "second_factor.totp_exists": (
        "Ứng dụng xác thực đã được bật. Hãy tắt trước khi đăng ký lại.",
        "An authenticator app is already set up. Switch it off before enrolling again.",
    ),
    "second_factor.totp_not_started": (
        "Chưa bắt đầu đăng ký ứng dụng xác thực.",
        "Authenticator app enrolment was not started.",
    ),
    "second_factor.totp_not_found": ("Chưa bật ứng dụng xác thực.", "No authenticator app is set up."),
    "second_factor.totp_removed": ("Đã tắt ứng dụng xác thực.", "The authenticator app was switched off."),
    "second_factor.none": (
        "Tài khoản chưa có phương thức xác thực bước hai.",
        "The account has no second factor yet.",
    ),
    "second_factor.passkey_invalid": (
        "Khóa bảo mật không xác thực được (`{field}`): hãy thử lại từ đầu.",
        "The security key could not be verified (`{field}`): start again.",
    ),
    "second_factor.passkey_not_found": ("Không tìm thấy khóa bảo mật.", "Security key not found."),
    # Pages.
    "ui.security.menu": ("Bảo mật tài khoản", "Account security"),
    "ui.security.title": ("Bảo mật tài khoản", "Account security"),
    "ui.security.required": (
        "Vai trò của bạn bắt buộc xác thực hai bước. Hãy đăng ký ứng dụng xác thực hoặc khóa bảo mật để tiếp tục.",
        "Your role requires a second factor. Set up an authenticator app or a security key to go on.",
    ),
    "ui.security.totp": ("Ứng dụng xác thực (TOTP)", "Authenticator app (TOTP)"),
    "ui.security.totp_on": ("Đang bật.", "On."),
    "ui.security.totp_off": ("Chưa bật.", "Not set up."),
    "ui.security.totp_start": ("Bật ứng dụng xác thực", "Set up an authenticator app"),
    "ui.security.totp_remove": ("Tắt ứng dụng xác thực", "Switch the authenticator app off"),
    "ui.security.passkeys": ("Khóa bảo mật và passkey", "Security keys and passkeys"),
    "ui.security.no_passkeys": ("Chưa có khóa nào.", "No keys yet."),
    "ui.security.added": ("thêm ngày {when}", "added {when}"),
    "ui.security.passkey_name": ("Tên khóa", "Key name"),
    "ui.security.passkey_default": ("Khóa bảo mật", "Security key"),
    "ui.security.passkey_add": ("Thêm khóa bảo mật", "Add a security key"),
    "ui.security.passkey_remove": ("Gỡ", "Remove"),
    "ui.security.passkey_needs_js": (
        "Thêm khóa bảo mật cần bật JavaScript trong trình duyệt.",
        "Adding a security key needs JavaScript in the browser.",
    ),
    "ui.security.recovery": ("Mã khôi phục", "Recovery codes"),
    "ui.security.codes_left": ("Còn {count} mã chưa dùng.", "{count} codes left unused."),
    "ui.security.codes_new": ("Tạo bộ mã mới (bộ cũ hết hiệu lực)", "New codes (the old set stops working)"),
    "ui.security.password": ("Mật khẩu", "Password"),
    "ui.security.current_password": ("Mật khẩu hiện tại", "Current password"),
    "ui.security.new_password": ("Mật khẩu mới (ít nhất 10 ký tự)", "New password (at least 10 characters)"),
    "ui.security.password_change": ("Đổi mật khẩu", "Change password"),
    "ui.second_factor.title": ("Xác thực bước hai", "Second factor"),
    "ui.second_factor.intro": (
        "Nhập mã 6 số trong ứng dụng xác thực, hoặc một mã khôi phục.",
        "Type the 6-digit code from your authenticator app, or a recovery code.",
    ),
    "ui.second_factor.code": ("Mã xác thực", "Code"),
    "ui.second_factor.code_hint": (
        "Mỗi mã chỉ dùng được một lần. Mã khôi phục có dạng ABCD-EFGH-JKLM.",
        "Each code works once. Recovery codes look like ABCD-EFGH-JKLM.",
    ),
    "ui.second_factor.submit": ("Xác nhận", "Confirm"),
    "ui.second_factor.use_passkey": ("Dùng khóa bảo mật", "Use a security key"),
    "ui.totp.title": ("Bật ứng dụng xác thực", "Set up an authenticator app"),
    "ui.totp.scan": (
        "Quét mã QR bằng ứng dụng xác thực (FreeOTP, Google Authenticator, Microsoft Authenticator…).",
        "Scan the QR code with an authenticator app (FreeOTP, Google Authenticator, Microsoft Authenticator…).",
    ),
    "ui.totp.type": ("Nhập mã 6 số ứng dụng hiển thị.", "Type the 6-digit code the app shows."),
    "ui.totp.secret": ("Hoặc nhập khóa:", "Or type the key:"),
    "ui.totp.confirm": ("Bật", "Switch on"),
    "ui.recovery.title": ("Mã khôi phục", "Recovery codes"),
    "ui.recovery.enrolled": ("Đã bật xác thực hai bước.", "The second factor is on."),
    "ui.recovery.once": (
        "Hãy chép hoặc in các mã này và cất nơi an toàn: chúng chỉ hiện một lần. Mỗi mã dùng được một lần khi "
        "không có điện thoại hoặc khóa.",
        "Copy or print these codes and keep them safe: they are shown only once. Each works once when you do not "
        "have your phone or key.",
    ),
    "ui.recovery.continue": ("Tiếp tục", "Continue"),
    "ui.sessions.title": ("Phiên đăng nhập", "Login sessions"),
    "ui.sessions.browser": ("Trình duyệt", "Browser"),
    "ui.sessions.address": ("Địa chỉ", "Address"),
    "ui.sessions.started": ("Bắt đầu", "Started"),
    "ui.sessions.last_used": ("Dùng gần nhất", "Last used"),
    "ui.sessions.end": ("Kết thúc", "End"),
    "ui.sessions.this_one": ("phiên này", "this one"),
    "ui.sessions.end_others": ("Kết thúc mọi phiên khác", "End all other sessions"),
    "ui.sessions.password_changed": (
        "Đã đổi mật khẩu; {count} phiên khác đã kết thúc.",
        "Password changed; {count} other sessions were ended.",
    ),
}
