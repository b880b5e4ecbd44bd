"""Bilingual labels of the stable codes in schemas/codes.py (DOMAIN.md §3-§4), for pages and exports."""

from __future__ import annotations

from service.i18n import Language

KINDS: dict[str, tuple[str, str]] = {
    "seizure": ("Kiểm tra, thu giữ hàng hóa vi phạm", "Inspection and seizure of infringing goods"),
    "customs_suspension": ("Tạm dừng làm thủ tục hải quan", "Customs suspension of clearance"),
    "advertising_violation": ("Quảng cáo vi phạm (xâm phạm SHTT)", "Advertising infringing IP"),
    "online_infringement": ("Xâm phạm trên môi trường mạng", "Online infringement"),
    "copyright_infringement": ("Xâm phạm quyền tác giả, quyền liên quan", "Copyright and related-rights infringement"),
    "plant_variety_infringement": ("Xâm phạm quyền đối với giống cây trồng", "Plant-variety-right infringement"),
    "dispute": ("Tranh chấp SHTT (dân sự/thương mại)", "IP dispute (civil/commercial)"),
    "mediation_outcome": ("Kết quả hòa giải", "Mediation outcome"),
}

SUBJECT_MATTERS: dict[str, tuple[str, str]] = {
    "SANG_CHE": ("Sáng chế (bằng độc quyền sáng chế)", "Invention (patent)"),
    "GIAI_PHAP_HUU_ICH": ("Giải pháp hữu ích", "Utility solution"),
    "KIEU_DANG_CN": ("Kiểu dáng công nghiệp", "Industrial design"),
    "THIET_KE_BO_TRI": ("Thiết kế bố trí mạch tích hợp bán dẫn", "Semiconductor layout design"),
    "NHAN_HIEU": ("Nhãn hiệu (thông thường)", "Trademark (ordinary)"),
    "NHAN_HIEU_TAP_THE": ("Nhãn hiệu tập thể", "Collective mark"),
    "NHAN_HIEU_CHUNG_NHAN": ("Nhãn hiệu chứng nhận", "Certification mark"),
    "NHAN_HIEU_NOI_TIENG": ("Nhãn hiệu nổi tiếng", "Well-known mark"),
    "CHI_DAN_DIA_LY": ("Chỉ dẫn địa lý", "Geographical indication"),
    "TEN_THUONG_MAI": ("Tên thương mại", "Trade name"),
    "BI_MAT_KINH_DOANH": ("Bí mật kinh doanh", "Trade secret"),
    "CANH_TRANH_KLM": ("Cạnh tranh không lành mạnh về SHCN", "IP-related unfair competition"),
    "QUYEN_TAC_GIA": ("Quyền tác giả", "Copyright"),
    "QUYEN_LIEN_QUAN": ("Quyền liên quan", "Related rights"),
    "GIONG_CAY_TRONG": ("Giống cây trồng", "Plant variety"),
}

INFRINGEMENT_ACTS: dict[str, tuple[str, str]] = {
    "HANG_GIA_MAO_NHAN_HIEU": ("Sản xuất, buôn bán hàng hóa giả mạo nhãn hiệu", "Counterfeit-mark goods"),
    "HANG_GIA_MAO_CDDL": ("Hàng hóa giả mạo chỉ dẫn địa lý", "Counterfeit-GI goods"),
    "XAM_PHAM_NHAN_HIEU": (
        "Xâm phạm quyền đối với nhãn hiệu (dấu hiệu trùng/tương tự gây nhầm lẫn)",
        "Trademark infringement",
    ),
    "SU_DUNG_CDDL_SAI": ("Sử dụng chỉ dẫn địa lý không đúng", "Misuse of a GI"),
    "XAM_PHAM_KIEU_DANG": ("Hàng hóa xâm phạm kiểu dáng công nghiệp", "Industrial-design infringement"),
    "XAM_PHAM_TEN_THUONG_MAI": ("Xâm phạm tên thương mại", "Trade-name infringement"),
    "XAM_PHAM_SANG_CHE": (
        "Xâm phạm sáng chế, giải pháp hữu ích, thiết kế bố trí",
        "Patent / utility-solution infringement",
    ),
    "TEM_NHAN_BAO_BI_XAM_PHAM": (
        "Sản xuất, buôn bán tem, nhãn, bao bì mang yếu tố xâm phạm",
        "Infringing stamps, labels, packaging",
    ),
    "CANH_TRANH_KLM": ("Chỉ dẫn gây nhầm lẫn, tên miền, bí mật kinh doanh…", "Unfair competition incl. domain names"),
    "SAO_CHEP_LAU": (
        "Hàng hóa sao chép lậu; sao chép, phân phối trái phép",
        "Pirated copies; unauthorised copying/distribution",
    ),
    "XAM_PHAM_QTG_KHAC": ("Xâm phạm quyền tác giả, quyền liên quan khác", "Other copyright / related-rights acts"),
    "QUANG_CAO_XAM_PHAM": ("Quảng cáo xâm phạm quyền SHTT", "Advertising infringing IP"),
    "XAM_PHAM_GIONG": ("Xâm phạm quyền đối với giống cây trồng", "Plant-variety-right infringement"),
    "HANG_GIA_CHAT_LUONG": ("Hàng giả về chất lượng, công dụng, nguồn gốc", "Counterfeit (quality/origin) goods"),
    "KHAC": ("Khác", "Other"),
}


def label(table: dict[str, tuple[str, str]], code: str, lang: Language = "vi") -> str:
    """The label of ``code`` in ``lang``; an unknown code is shown as itself."""
    pair = table.get(code)
    return code if pair is None else pair[0 if lang == "vi" else 1]
