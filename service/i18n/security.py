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
}
