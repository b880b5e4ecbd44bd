"""Texts of the pages that record a sanction decision and its execution."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "ui.sanction_form.title": ("Ghi quyết định xử phạt", "Record a sanction decision"),
    "ui.sanction_form.payment_title": ("Cập nhật tình trạng thi hành", "Update the decision's execution"),
    "ui.sanction_form.violator": ("Người vi phạm: {name}", "Violator: {name}"),
    "ui.sanction_form.failed": (
        "Chưa ghi được. Sửa các mục sau rồi gửi lại:",
        "Not recorded yet. Correct the following, then send again:",
    ),
    "ui.sanction_form.decision": ("Quyết định", "Decision"),
    "ui.sanction_form.sanction": ("Hình thức và mức phạt", "Sanction and fine"),
    "ui.sanction_form.execution": ("Thi hành", "Execution"),
    "ui.sanction_form.national_record": (
        "Thông tin cho CSDL quốc gia về xử lý VPHC (không bắt buộc)",
        "For the national record of administrative violations (optional)",
    ),
    "ui.sanction_form.national_record.hint": (
        "Theo Điều 9 Nghị định 20/2016/NĐ-CP; chỉ người được xem số giấy tờ của người vi phạm mới thấy.",
        "As Article 9 of Decree 20/2016/NĐ-CP asks; shown only to those who see the violator's ID number.",
    ),
    "ui.sanction_form.hint.number": ("Ví dụ: 15/QĐ-XPHC", "For example: 15/QĐ-XPHC"),
    "ui.sanction_form.hint.fine": (
        "Số tiền bằng đồng, có thể có dấu chấm: 15.000.000; cảnh cáo: 0",
        "Whole VND, dots allowed: 15.000.000; a warning: 0",
    ),
    "ui.sanction_form.choose": ("— Chọn —", "— Choose —"),
    "ui.sanction_form.not_given": ("— Không ghi —", "— Not given —"),
    "ui.sanction_form.submit": ("Ghi quyết định", "Record the decision"),
    "ui.sanction_form.payment_submit": ("Cập nhật", "Update"),
    "ui.sanction_form.add": ("Ghi quyết định xử phạt", "Record a sanction decision"),
    "ui.sanction_form.change_payment": ("Cập nhật thi hành", "Update execution"),
    "ui.sanction_form.field.number": ("Số quyết định", "Decision no."),
    "ui.sanction_form.field.decided_on": ("Ngày ra quyết định", "Date decided"),
    "ui.sanction_form.field.decider_name": ("Người ra quyết định", "Decided by"),
    "ui.sanction_form.field.decider_title": ("Chức danh người ra quyết định", "Decider's title"),
    "ui.sanction_form.field.acts": ("Hành vi vi phạm", "Acts"),
    "ui.sanction_form.field.principal_sanction": ("Hình thức xử phạt chính", "Principal sanction"),
    "ui.sanction_form.field.fine_vnd": ("Mức phạt tiền (đồng)", "Fine (VND)"),
    "ui.sanction_form.field.additional_sanctions": ("Hình thức xử phạt bổ sung", "Additional sanctions"),
    "ui.sanction_form.field.remedial_measures": ("Biện pháp khắc phục hậu quả", "Remedial measures"),
    "ui.sanction_form.field.payment_status": ("Tình trạng thi hành", "Execution status"),
    "ui.sanction_form.field.executed_on": ("Ngày thi hành xong", "Day carried out"),
    "ui.sanction_form.field.violator_birth_date": ("Ngày sinh", "Date of birth"),
    "ui.sanction_form.field.violator_sex": ("Giới tính", "Sex"),
    "ui.sanction_form.field.registration_number": (
        "Mã số doanh nghiệp / số GCN đăng ký, giấy phép thành lập",
        "Registration no.",
    ),
    "ui.sanction_form.field.legal_representative": ("Người đại diện theo pháp luật", "Legal representative"),
    "ui.sanction_form.field.reason": ("Lý do thay đổi", "Reason for the change"),
}
