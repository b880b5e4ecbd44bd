"""Reference agencies of DOMAIN.md §2, loaded by a data migration; later changes are data, not code."""

from __future__ import annotations

from datetime import date
from typing import Any

# (code, name_vi, name_en, role_vi, role_en, parent_code, valid_from). Dates: the plan 3320/KH-UBND
# (15/10/2021) for bodies that predate it; 1/3/2025 for the 2025 reorganisation of departments.
_PLAN = date(2021, 10, 15)
_REORG = date(2025, 3, 1)
AGENCIES: list[tuple[str, str, str, str, str, str | None, date]] = [
    ("SKHCN", "Sở Khoa học và Công nghệ", "Department of Science and Technology",
     "Đầu mối điều phối; thanh tra, xử phạt sở hữu công nghiệp; ý kiến chuyên môn; báo cáo hằng năm",
     "Lead coordinator; industrial-property inspection and sanctions; expert opinions; annual report",
     None, _PLAN),
    ("SCT", "Sở Công Thương", "Department of Industry and Trade",
     "Cơ quan chủ quản của Chi cục QLTT từ 2025", "Parent of Market Surveillance since 2025", None, _PLAN),
    ("QLTT", "Chi cục Quản lý thị trường", "Market Surveillance Sub-department",
     "Kiểm tra, thu giữ, xử phạt hàng giả và hàng xâm phạm quyền SHTT",
     "Inspections, seizures and sanctions of counterfeit and IP-infringing goods", "SCT", _REORG),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism",
     "Quyền tác giả, quyền liên quan; quảng cáo vi phạm", "Copyright and related rights; advertising violations",
     None, _PLAN),
    ("SNN", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment",
     "Giống cây trồng; chỉ dẫn địa lý và nhãn hiệu nông sản", "Plant varieties; GIs and agricultural marks",
     None, _REORG),
    ("CA", "Công an tỉnh (Phòng Cảnh sát kinh tế)", "Provincial Police (Economic Police)",
     "Phát hiện, điều tra tội phạm SHTT; tiếp nhận hồ sơ chuyển", "Detects and investigates IP crimes; receives criminal referrals",
     None, _PLAN),
    ("HQ", "Hải quan cửa khẩu Ma Lù Thàng", "Customs, Ma Lù Thàng border gate",
     "Tạm dừng làm thủ tục hải quan; thu giữ hàng nhập khẩu, quá cảnh",
     "Suspension of clearance; seizures of imports and transit goods", None, _PLAN),
    ("BP", "Bộ đội Biên phòng tỉnh", "Provincial Border Guard", "Thu giữ tại khu vực biên giới",
     "Border-area seizures", None, _PLAN),
    ("UBND_TINH", "Ủy ban nhân dân tỉnh Lai Châu", "Lai Châu Provincial People's Committee",
     "Chủ tịch xử phạt đến mức tối đa; phê duyệt kế hoạch, báo cáo", "Chair sanctions up to the maximum; approves plans and reports",
     None, _PLAN),
    ("UBND_XA", "Ủy ban nhân dân cấp xã", "Commune People's Committees",
     "Chủ tịch xử phạt đến 50% mức tối đa; báo cáo địa phương", "Chairs sanction up to 50% of the maximum; local reports",
     None, date(2025, 7, 1)),
    ("VKS", "Viện kiểm sát nhân dân tỉnh", "Provincial People's Procuracy", "Kiểm sát việc chuyển hồ sơ hình sự",
     "Supervises criminal referrals", None, _PLAN),
    ("TOA_AN", "Tòa án nhân dân tỉnh", "Provincial People's Court", "Tranh chấp dân sự SHTT, xét xử hình sự, hòa giải tại tòa",
     "Civil IP disputes, criminal trials, court mediation", None, _PLAN),
    ("HOA_GIAI", "Hòa giải viên", "Mediators", "Hòa giải tranh chấp SHTT", "Mediation of IP disputes", None, _PLAN),
    ("TRONG_TAI", "Trung tâm trọng tài thương mại", "Commercial arbitration centre", "Trọng tài, hòa giải thương mại",
     "Arbitration and commercial mediation", None, _PLAN),
]  # fmt: skip


def agency_rows() -> list[dict[str, Any]]:
    """Agencies as plain rows (parent by code; the migration resolves ids)."""
    return [
        {
            "code": c,
            "name_vi": vi,
            "name_en": en,
            "role_vi": rvi,
            "role_en": ren,
            "parent_code": p,
            "valid_from": since,
        }
        for c, vi, en, rvi, ren, p, since in AGENCIES
    ]
