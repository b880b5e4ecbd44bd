"""Stable codes of DOMAIN.md §3–§4 (labels in both languages live in service/labels.py)."""

from __future__ import annotations

from typing import Final, Literal

IncidentKind = Literal[
    "seizure",
    "customs_suspension",
    "advertising_violation",
    "online_infringement",
    "copyright_infringement",
    "plant_variety_infringement",
    "dispute",
    "mediation_outcome",
]
INCIDENT_KINDS: tuple[str, ...] = IncidentKind.__args__  # type: ignore[attr-defined]

SubjectMatter = Literal[
    "SANG_CHE",
    "GIAI_PHAP_HUU_ICH",
    "KIEU_DANG_CN",
    "THIET_KE_BO_TRI",
    "NHAN_HIEU",
    "NHAN_HIEU_TAP_THE",
    "NHAN_HIEU_CHUNG_NHAN",
    "NHAN_HIEU_NOI_TIENG",
    "CHI_DAN_DIA_LY",
    "TEN_THUONG_MAI",
    "BI_MAT_KINH_DOANH",
    "CANH_TRANH_KLM",
    "QUYEN_TAC_GIA",
    "QUYEN_LIEN_QUAN",
    "GIONG_CAY_TRONG",
]
SUBJECT_MATTERS: tuple[str, ...] = SubjectMatter.__args__  # type: ignore[attr-defined]

InfringementAct = Literal[
    "HANG_GIA_MAO_NHAN_HIEU",
    "HANG_GIA_MAO_CDDL",
    "XAM_PHAM_NHAN_HIEU",
    "SU_DUNG_CDDL_SAI",
    "XAM_PHAM_KIEU_DANG",
    "XAM_PHAM_TEN_THUONG_MAI",
    "XAM_PHAM_SANG_CHE",
    "TEM_NHAN_BAO_BI_XAM_PHAM",
    "CANH_TRANH_KLM",
    "SAO_CHEP_LAU",
    "XAM_PHAM_QTG_KHAC",
    "QUANG_CAO_XAM_PHAM",
    "XAM_PHAM_GIONG",
    "HANG_GIA_CHAT_LUONG",
    "KHAC",
]
INFRINGEMENT_ACTS: tuple[str, ...] = InfringementAct.__args__  # type: ignore[attr-defined]

ViolatorType = Literal["individual", "organisation", "household_business"]
IncidentStatus = Literal["recorded", "under_verification", "sanctioned", "referred", "closed", "withdrawn"]
INCIDENT_STATUSES: tuple[str, ...] = IncidentStatus.__args__  # type: ignore[attr-defined]
# The status every part of the service tests for (withdrawn incidents count nowhere); one spelling of it.
WITHDRAWN: Final = "withdrawn"
AdMedium = Literal["billboard", "print", "online", "broadcast"]
DisputeRoute = Literal["mediation", "arbitration", "court"]
CustomsRequester = Literal["right_holder", "ex_officio"]
# External reference numbers an incident may carry (issue 8): QLTT's INS case number, a customs declaration, a
# police case, a court case, another agency's sanction decision, anything else.
ExternalRefKind = Literal[
    "qltt_ins_case", "customs_declaration", "police_case", "court_case", "sanction_decision", "other"
]
EXTERNAL_REF_KINDS: tuple[str, ...] = ExternalRefKind.__args__  # type: ignore[attr-defined]
MediationOutcome = Literal["THANH", "THANH_MOT_PHAN", "KHONG_THANH", "CHAM_DUT"]
Recognition = Literal["CONG_NHAN", "KHONG_CONG_NHAN", "QD_CONG_NHAN_TRONG_TAI", "PHAN_QUYET"]
PrincipalSanction = Literal["CANH_CAO", "PHAT_TIEN"]
AdditionalSanction = Literal["TICH_THU", "TUOC_GIAY_PHEP", "DINH_CHI_HOAT_DONG", "TRUC_XUAT"]
RemedialMeasure = Literal[
    "BUOC_LOAI_BO_YEU_TO_VI_PHAM",
    "BUOC_TIEU_HUY",
    "BUOC_DO_BO_BAN_SAO",
    "BUOC_DUA_RA_KHOI_LANH_THO",
    "BUOC_TAI_XUAT",
    "BUOC_NOP_LAI_LOI_BAT_HOP_PHAP",
    "BUOC_THAY_DOI_TEN",
    "BUOC_CAI_CHINH_CONG_KHAI",
    "BUOC_THU_HOI",
]
PaymentStatus = Literal["unpaid", "paid", "partly_paid", "enforced", "suspended", "cancelled"]
# Execution states in which a decision has been carried out: only these carry the day it was (`executed_on`).
EXECUTED_PAYMENT_STATUSES: tuple[str, ...] = ("paid", "enforced")
# A person's sex as the national record of administrative violations states it (Decree 20/2016/NĐ-CP, Art. 9).
Sex = Literal["male", "female"]
