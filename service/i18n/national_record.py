"""Texts of the national record of administrative violations (Decree 20/2016/NĐ-CP, Art. 9)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "national_record.bad_period": (
        "Kỳ xuất không hợp lệ ở `{field}`: ngày kết thúc không trước ngày bắt đầu, tối đa {days} ngày.",
        "The period in `{field}` is not valid: the end may not precede the start, at most {days} days.",
    ),
    "national_record.unknown_agency": (
        "Không có cơ quan mã `{value}` (`{field}`).",
        "No agency has the code `{value}` (`{field}`).",
    ),
    "national_record.sheet": ("CSDL xử lý VPHC", "Violations record"),
    "national_record.sex.male": ("Nam", "Male"),
    "national_record.sex.female": ("Nữ", "Female"),
    "national_record.col.decision_number": ("Số quyết định", "Decision no."),
    "national_record.col.decided_on": ("Ngày ra quyết định", "Date decided"),
    "national_record.col.violator_type": ("Loại đối tượng vi phạm", "Violator type"),
    "national_record.col.violator_name": ("Họ tên cá nhân / Tên tổ chức vi phạm", "Violator's name"),
    "national_record.col.birth_date": ("Ngày, tháng, năm sinh", "Date of birth"),
    "national_record.col.sex": ("Giới tính", "Sex"),
    "national_record.col.id_number": ("Số CMND/CCCD/Hộ chiếu", "ID card or passport no."),
    "national_record.col.registration_number": (
        "Mã số doanh nghiệp / Số GCN đăng ký, giấy phép thành lập",
        "Registration no.",
    ),
    "national_record.col.address": ("Địa chỉ (trụ sở)", "Address (head office)"),
    "national_record.col.legal_representative": ("Người đại diện theo pháp luật", "Legal representative"),
    "national_record.col.acts": ("Hành vi vi phạm", "Acts"),
    "national_record.col.principal": ("Hình thức xử phạt chính", "Principal sanction"),
    "national_record.col.fine": ("Mức phạt tiền (đồng)", "Fine (VND)"),
    "national_record.col.additional": ("Hình thức xử phạt bổ sung", "Additional sanctions"),
    "national_record.col.remedial": ("Biện pháp khắc phục hậu quả", "Remedial measures"),
    "national_record.col.agency": ("Cơ quan của người ra quyết định", "Deciding agency"),
    "national_record.col.decider_name": ("Người ra quyết định", "Decided by"),
    "national_record.col.decider_title": ("Chức danh người ra quyết định", "Decider's title"),
    "national_record.col.execution": ("Tình trạng thi hành", "Execution"),
    "national_record.col.executed_on": ("Ngày thi hành xong", "Day carried out"),
    "national_record.col.missing": ("Thông tin còn thiếu (Điều 9)", "Missing (Art. 9)"),
    "national_record.field.violator_name": ("họ tên / tên tổ chức", "name"),
    "national_record.field.violator_birth_date": ("ngày sinh", "date of birth"),
    "national_record.field.violator_sex": ("giới tính", "sex"),
    "national_record.field.violator_id_number": ("số CMND/CCCD/hộ chiếu", "ID or passport number"),
    "national_record.field.violator_address": ("địa chỉ trụ sở", "head-office address"),
    "national_record.field.registration_number": ("mã số đăng ký", "registration number"),
    "national_record.field.legal_representative": ("người đại diện theo pháp luật", "legal representative"),
}
