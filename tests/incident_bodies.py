"""Request bodies for every incident kind, realistic for Lai Châu (demo names and products)."""

from __future__ import annotations

import copy
from typing import Any

# Phường Đoàn Kết (03388), in the former Thành phố Lai Châu (105).
DOAN_KET = {"lon": 103.458, "lat": 22.396, "address": "Chợ trung tâm phường Đoàn Kết"}

COMMON: dict[str, Any] = {
    "occurred_at": "2026-03-02T09:30:00+07:00",
    "detected_at": "2026-03-02T10:00:00+07:00",
    "team": "Đội QLTT số 1",
    "location": DOAN_KET,
    "subject_matter": ["NHAN_HIEU"],
    "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"],
    "right_holder": {"name": "HTX Chè Tam Đường (dữ liệu demo)", "mark": "Chè Tam Đường"},
    "violator": {
        "type": "household_business",
        "name": "Hộ kinh doanh Lò Văn A",
        "id_number": "012345678901",
        "address": "Phường Đoàn Kết",
    },
    "legal_basis": [{"document": "Nghị định 99/2013/NĐ-CP", "article": "12"}],
    "is_counterfeit": True,
    "is_ip_infringement": True,
    "summary": "Bán Sâm Lai Châu giả nhãn hiệu (dữ liệu demo)",
}

KIND_FIELDS: dict[str, dict[str, Any]] = {
    "seizure": {
        "record_number": "01/BB-QLTT",
        "goods": [
            {"description": "Sâm Lai Châu đóng hộp", "infringed_mark": "Sâm Lai Châu", "quantity": 20,
             "unit": "hộp", "unit_price_vnd": 1_250_000},
            {"description": "Chè Đông phương mỹ nhân", "infringed_mark": "Chè Tam Đường", "quantity": 15,
             "unit": "gói", "unit_price_vnd": 300_000},
            {"description": "Mật ong", "infringed_mark": "Mật ong Pa Ủ", "quantity": 10, "unit": "chai",
             "unit_price_vnd": 250_000},
        ],
        "temporary_seizure_decision": {"number": "05/QĐ-TGTV", "date": "2026-03-02"},
        "storage_place": "Kho Đội QLTT số 1",
    },
    "customs_suspension": {
        "declaration_number": "105123456789",
        "requester": "right_holder",
        "requester_name": "Công ty demo",
        "security_deposit_vnd": 20_000_000,
        "suspension_start": "2026-03-02",
        "suspension_end": "2026-03-16",
    },
    "advertising_violation": {
        "medium": "billboard",
        "advertiser": "Cửa hàng demo",
        "content": "Gạo Séng Cù chính hiệu",
        "product": "Gạo",
    },
    "online_infringement": {
        "platform": "Facebook",
        "url": "https://example.org/shop/123",
        "seller_account": "shop.demo",
        "captured_at": "2026-03-02T08:00:00+07:00",
        "screenshot_sha256": "a" * 64,
    },
    "copyright_infringement": {"work_title": "Album demo", "copy_type": "CD", "copies": 150},
    "plant_variety_infringement": {"variety_name": "Séng Cù", "certificate_number": "GCT-001", "quantity": 500},
    "dispute": {
        "parties": [{"role": "claimant", "name": "HTX demo"}, {"role": "respondent", "name": "Công ty demo"}],
        "claim": "Sử dụng nhãn hiệu tương tự gây nhầm lẫn",
        "amount_claimed_vnd": 150_000_000,
        "route": "mediation",
    },
}  # fmt: skip


def body(kind: str, **overrides: Any) -> dict[str, Any]:
    """A valid body of this kind, with top-level fields replaced by `overrides`."""
    fields = copy.deepcopy(COMMON) | copy.deepcopy(KIND_FIELDS[kind]) | {"kind": kind}
    if kind == "copyright_infringement":
        fields |= {"subject_matter": ["QUYEN_TAC_GIA"], "infringement_acts": ["SAO_CHEP_LAU"]}
    if kind == "plant_variety_infringement":
        fields |= {"subject_matter": ["GIONG_CAY_TRONG"], "infringement_acts": ["XAM_PHAM_GIONG"]}
    fields.update(overrides)
    return fields


def mediation_body(dispute_id: str, **overrides: Any) -> dict[str, Any]:
    """A mediation outcome settling the given dispute."""
    fields = copy.deepcopy(COMMON) | {
        "kind": "mediation_outcome",
        "settles_incident_id": dispute_id,
        "mediator": "Hòa giải viên demo",
        "outcome": "THANH",
        "outcome_date": "2026-03-20",
        "recognition": "CONG_NHAN",
    }
    fields.update(overrides)
    return fields
