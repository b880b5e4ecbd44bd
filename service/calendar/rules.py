"""Deadline rules of DOMAIN.md §6 and the Vietnamese holiday seed (data for a migration; amend as data)."""

from __future__ import annotations

from datetime import date
from typing import Any

import holidays

_SINCE = date(2020, 1, 1)
_XLVPHC = "Luật Xử lý vi phạm hành chính 2012 (sửa đổi 2020, 2025)"
_BLTTHS = "Bộ luật Tố tụng hình sự 2015"
_HGDT = "Luật Hòa giải, đối thoại tại Tòa án 2020"

# (code, applies to, starts, amount, unit, is SLA, legal basis)
RULES: list[tuple[str, str, str, int, str, bool, str]] = [
    ("criminal_referral", "CHUYEN_HO_SO_HINH_SU", "sent", 0, "immediate", False, f"{_XLVPHC}, Điều 62 khoản 1"),
    ("police_decision", "CHUYEN_HO_SO_HINH_SU", "acknowledged", 20, "calendar_days", False, f"{_BLTTHS}, Điều 147"),
    ("police_decision_complex", "CHUYEN_HO_SO_HINH_SU", "acknowledged", 2, "months", False, f"{_BLTTHS}, Điều 147"),
    ("return_after_non_prosecution", "TRA_HO_SO_XU_PHAT", "sent", 3, "working_days", False, f"{_XLVPHC}, Điều 63 khoản 1"),
    ("sanction_after_return", "TRA_HO_SO_XU_PHAT", "acknowledged", 30, "calendar_days", False, f"{_XLVPHC}, Điều 63 khoản 3"),
    ("transfer_of_competence", "CHUYEN_THAM_QUYEN", "sent", 10, "working_days", False, f"{_XLVPHC}, Điều 66 khoản 1 điểm a"),
    ("expert_opinion", "TRUNG_CAU_GIAM_DINH", "acknowledged", 10, "working_days", True, "Quy định của tỉnh (SLA)"),
    ("joint_verification", "PHOI_HOP_XAC_MINH", "acknowledged", 10, "working_days", True, "Quy định của tỉnh (SLA)"),
    ("court_mediation", "CHUYEN_HOA_GIAI", "acknowledged", 20, "calendar_days", False, f"{_HGDT}, Điều 20"),
    ("court_mediation_complex", "CHUYEN_HOA_GIAI", "acknowledged", 30, "calendar_days", False, f"{_HGDT}, Điều 20"),
    ("court_mediation_agreed", "CHUYEN_HOA_GIAI", "acknowledged", 2, "months", False, f"{_HGDT}, Điều 20"),
    ("arbitration_acknowledge", "CHUYEN_TRONG_TAI", "sent", 5, "working_days", True, "Quy định của tỉnh (SLA)"),
    ("court_acknowledge", "CHUYEN_TOA_AN", "sent", 5, "working_days", True, "Quy định của tỉnh (SLA)"),
    ("report", "BAO_CAO", "sent", 10, "working_days", True, "Quy định của tỉnh (SLA)"),
    ("acknowledge", "*", "sent", 1, "working_days", True, "Quy định của tỉnh (SLA tiếp nhận)"),
    ("sanction_decision", "incident", "recorded", 7, "working_days", False, f"{_XLVPHC}, Điều 66 khoản 1 điểm a"),
    ("sanction_decision_transfer", "incident", "recorded", 10, "working_days", False, f"{_XLVPHC}, Điều 66 khoản 1 điểm a"),
    ("sanction_decision_explained", "incident", "recorded", 1, "months", False, f"{_XLVPHC}, Điều 66 khoản 1 điểm b"),
    ("sanction_decision_complex", "incident", "recorded", 2, "months", False, f"{_XLVPHC}, Điều 66 khoản 1 điểm c"),
    ("customs_suspension", "customs_suspension", "recorded", 10, "working_days", False, "Luật SHTT, Điều 218 (verify)"),
    ("limitation", "incident", "occurred", 2, "years", False, f"{_XLVPHC}, Điều 6"),
]  # fmt: skip

# The clock a referral of each type runs by default (the first rule listed for it above).
DEFAULT_RULE: dict[str, str] = {}
for _code, _applies, *_ in RULES:
    DEFAULT_RULE.setdefault(_applies, _code)


def rule_rows() -> list[dict[str, Any]]:
    """Rules as rows for the seed migration."""
    keys = ("code", "applies_to", "starts", "amount", "unit", "is_sla", "legal_basis")
    return [dict(zip(keys, row, strict=True)) | {"valid_from": _SINCE, "valid_to": None} for row in RULES]


# The calendar's years: the seed covers them, a due date outside them cannot be computed.
FIRST_YEAR, LAST_YEAR = 2020, 2030
_LABOUR_CODE = "Bộ luật Lao động 2019, Điều 112"
_OBSERVED = "Bộ luật Lao động 2019, Điều 112; nghỉ bù: Điều 111 khoản 3"
# The decisions that swapped a working day onto a Saturday, by year (the `holidays` package's references).
SWAP_BASIS: dict[int, str] = {
    2024: "Công văn 2450/VPCP-KGVX năm 2024 của Văn phòng Chính phủ",
    2025: "Thông báo 6150/TB-BLĐTBXH năm 2024 của Bộ Lao động - Thương binh và Xã hội",
    2026: "Thông báo lịch nghỉ lễ Quốc khánh năm 2026 (verify)",
}


def _day_off_basis(day: date, name_vi: str, swapped: set[date]) -> str:
    if day in swapped:
        return SWAP_BASIS.get(day.year, _LABOUR_CODE)
    return _OBSERVED if "nghỉ bù" in name_vi else _LABOUR_CODE


def holiday_rows(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> list[dict[str, Any]]:
    """Vietnam's days off and working weekend days from the `holidays` package, as the seed migration stores them.

    Migration 5a7d3c2e9b14 computes the same rows at migration time with its own copy of this code.
    """
    years = range(first_year, last_year + 1)
    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    workdays = sorted(d for d in vi.weekend_workdays if first_year <= d.year <= last_year)
    exchanged = {w: next(d for d, n in vi.items() if w.strftime("%d/%m/%Y") in n) for w in workdays}
    rows = [
        {
            "day": day,
            "kind": "day_off",
            "name": name,
            "name_en": en[day],
            "legal_basis": _day_off_basis(day, name, set(exchanged.values())),
        }
        for day, name in sorted(vi.items())
    ]
    rows += [
        {
            "day": work,
            "kind": "working_day",
            "name": f"Ngày làm việc bù cho ngày nghỉ {off:%d/%m/%Y}",
            "name_en": f"Working day in exchange for the day off on {off:%d/%m/%Y}",
            "legal_basis": SWAP_BASIS.get(work.year, _LABOUR_CODE),
        }
        for work, off in exchanged.items()
    ]
    return [row | {"in_force": True, "source": "holidays-package"} for row in sorted(rows, key=lambda r: r["day"])]


# Takedown requests to online platforms (service/takedowns): the platform acts within 24 hours of the competent
# agency's written request and reports back. Legal basis as practitioners summarise it; the province's legal staff
# must verify the text, then version the rule from /admin/calendar. Hours run on the clock, not on working days.
_TAKEDOWN_SINCE = date(2023, 7, 1)  # Nghị định 17/2023/NĐ-CP in force
_ART_113 = "Nghị định 17/2023/NĐ-CP, Điều 113 (theo tóm tắt; pháp chế cần xác minh)"
# (code, applies to, starts, amount, unit, is SLA, duty, legal basis); seeded by migration 15891b23a86a.
TAKEDOWN_RULES: list[tuple[str, str, str, int, str, bool, str, str]] = [
    ("takedown_action", "takedown", "sent", 24, "hours", False, "receiver", _ART_113),
    ("takedown_report", "takedown", "sent", 72, "hours", True, "receiver", f"Quy định của tỉnh (SLA báo cáo); {_ART_113}"),
]  # fmt: skip


def takedown_rule_rows() -> list[dict[str, Any]]:
    """The takedown rules as deadline_rules rows, as the migration seeds them."""
    keys = ("code", "applies_to", "starts", "amount", "unit", "is_sla", "duty", "legal_basis")
    return [
        dict(zip(keys, row, strict=True)) | {"valid_from": _TAKEDOWN_SINCE, "valid_to": None} for row in TAKEDOWN_RULES
    ]
