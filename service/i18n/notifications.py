"""Notifications: errors, then the text of notification email."""

MESSAGES: dict[str, tuple[str, str]] = {
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
    # The same kinds for a takedown request's action clock (service/takedowns/reminders.py).
    "notify.subject.reminder.takedown": (
        "[ipcoord] Sắp đến hạn {due_on}: yêu cầu gỡ bỏ {type}",
        "[ipcoord] Due at {due_on}: takedown request {type}",
    ),
    "notify.body.reminder.takedown": (
        "Nền tảng phải xử lý yêu cầu gỡ bỏ {takedown_id} ({type}) của {agency} trước {due_on}. "
        "Đề nghị liên hệ nền tảng nếu chưa có phản hồi.",
        "The platform must act on takedown request {takedown_id} ({type}) of {agency} by {due_on}. "
        "Please chase the platform if it has not answered.",
    ),
    "notify.subject.escalation.takedown": (
        "[ipcoord] Quá hạn: yêu cầu gỡ bỏ {type} của {agency} (hạn {due_on})",
        "[ipcoord] Overdue: takedown request {type} of {agency} (due {due_on})",
    ),
    "notify.body.escalation.takedown": (
        "Nền tảng chưa xử lý yêu cầu gỡ bỏ {takedown_id} ({type}) của {agency}; hạn xử lý đã hết lúc {due_on}.",
        "The platform has not acted on takedown request {takedown_id} ({type}) of {agency}; its action clock ran "
        "out at {due_on}.",
    ),
    # The report clock of a takedown request (72 hours after sending; docs/takedowns.md).
    "notify.subject.reminder.takedown_report": (
        "[ipcoord] Sắp đến hạn báo cáo {due_on}: yêu cầu gỡ bỏ {type}",
        "[ipcoord] Report due at {due_on}: takedown request {type}",
    ),
    "notify.body.reminder.takedown_report": (
        "Nền tảng phải báo cáo kết quả xử lý yêu cầu gỡ bỏ {takedown_id} ({type}) của {agency} trước {due_on}. "
        "Đề nghị liên hệ nền tảng nếu chưa có báo cáo.",
        "The platform must report on takedown request {takedown_id} ({type}) of {agency} by {due_on}. "
        "Please chase the platform if it has not reported.",
    ),
    "notify.subject.escalation.takedown_report": (
        "[ipcoord] Quá hạn báo cáo: yêu cầu gỡ bỏ {type} của {agency} (hạn {due_on})",
        "[ipcoord] Report overdue: takedown request {type} of {agency} (due {due_on})",
    ),
    "notify.body.escalation.takedown_report": (
        "Nền tảng chưa báo cáo kết quả xử lý yêu cầu gỡ bỏ {takedown_id} ({type}) của {agency}; "
        "hạn báo cáo đã hết lúc {due_on}.",
        "The platform has not reported on takedown request {takedown_id} ({type}) of {agency}; its report clock "
        "ran out at {due_on}.",
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
    "notify.subject.security.sign_ins_slowed": (
        "[ipcoord] Nhiều lần đăng nhập sai vào tài khoản của bạn",
        "[ipcoord] Repeated failed sign-ins to your account",
    ),
    "notify.body.security.sign_ins_slowed": (
        "Đã có {failures} lần đăng nhập sai liên tiếp vào tài khoản của bạn (lần gần nhất lúc {at}). Từ nay mỗi lần "
        "thử phải chờ lâu hơn. Nếu không phải bạn, hãy đổi mật khẩu và báo quản trị viên.",
        "There were {failures} failed sign-ins in a row to your account (the last at {at}). Each further attempt now "
        "waits longer. If this was not you, change your password and tell an administrator.",
    ),
    "notify.footer": (
        "Bạn nhận thư này theo lựa chọn thông báo của mình (GET/PUT /api/me/notifications).",
        "You receive this email according to your notification choices (GET/PUT /api/me/notifications).",
    ),
}
