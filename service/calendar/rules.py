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


def holiday_rows(first_year: int = 2020, last_year: int = 2030) -> list[dict[str, Any]]:
    """Vietnam's public holidays (Tết and the official days off) from the `holidays` package."""
    days = holidays.country_holidays("VN", years=range(first_year, last_year + 1))
    return [{"day": d, "name": n, "is_day_off": True, "source": "holidays-package"} for d, n in sorted(days.items())]
