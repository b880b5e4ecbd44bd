"""The report's pure tables against a hand-counted year (no database): service/reports/tables.py and compute.py.

The year 2026 of the fixture, counted by hand:

| id | kind | agency | occurred (local) | place | subject matter | acts | counted |
| -- | ---- | ------ | ---------------- | ----- | -------------- | ---- | ------- |
| A | seizure | QLTT | 02/03 09:00 | 03388 / 105 | NHAN_HIEU | HANG_GIA_MAO_NHAN_HIEU | yes |
| B | seizure | QLTT | 10/06 | 03445 / 107 | NHAN_HIEU, QUYEN_TAC_GIA | HANG_GIA_MAO_NHAN_HIEU, SAO_CHEP_LAU | yes |
| C | copyright_infringement | SVHTTDL | 01/07 | 03408 only (straddles 105/106) | QUYEN_TAC_GIA | SAO_CHEP_LAU | yes |
| D | plant_variety_infringement | SNN | 31/12 23:30 | district 110 only | GIONG_CAY_TRONG | XAM_PHAM_GIONG | yes |
| E | dispute | SKHCN | 01/02 | none | NHAN_HIEU | XAM_PHAM_NHAN_HIEU | yes (unplaced) |
| F | mediation_outcome THANH, recognised | HOA_GIAI | 01/04 | 03388 / 105 | NHAN_HIEU | XAM_PHAM_NHAN_HIEU | yes |
| G | mediation_outcome KHONG_THANH, award | TRONG_TAI | 01/08 | 03388 / 105 | NHAN_HIEU | XAM_PHAM_NHAN_HIEU | yes |
| W | seizure, withdrawn | QLTT | 05/05 | 03388 / 105 | NHAN_HIEU | HANG_GIA_MAO_NHAN_HIEU | no |
| O | seizure | QLTT | 31/12/2025 23:30 | 03388 / 105 | NHAN_HIEU | HANG_GIA_MAO_NHAN_HIEU | no (2025) |
| N | seizure | QLTT | 01/01/2027 00:10 | 03388 / 105 | NHAN_HIEU | HANG_GIA_MAO_NHAN_HIEU | no (2027) |
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pandas as pd
import pytest

from maps import hotspots
from maps.figures import INCIDENT_COLUMNS, figures_by_unit
from maps.hotspots import HotspotParams
from schemas.codes import INCIDENT_KINDS, INFRINGEMENT_ACTS, SUBJECT_MATTERS
from service.reports import layout, tables
from service.reports.compute import TABLE_KEYS, Report, build_report
from service.reports.tables import SUBJECT_MATTER_GROUPS, Period, ReportData

HCM = timezone(timedelta(hours=7))
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
FAST = HotspotParams(permutations=99)


def _at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=HCM)


def _incident(ident: str, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": ident,
        "kind": "seizure",
        "agency": "QLTT",
        "occurred_at": _at(2026, 3, 2),
        "lon": None,
        "lat": None,
        "unit_2025": "03388",
        "district_2024": "105",
        "district_2024_split": False,
        "subject_matter": ["NHAN_HIEU"],
        "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"],
        "goods_value_vnd": None,
        "fine_vnd": None,
        "status": "recorded",
        "mediation_outcome": None,
        "mediation_recognition": None,
    }
    return row | overrides


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True)
    return frame


INCIDENTS = [
    _incident("A", goods_value_vnd=1_350_000),
    _incident(
        "B",
        occurred_at=_at(2026, 6, 10),
        unit_2025="03445",
        district_2024="107",
        subject_matter=["NHAN_HIEU", "QUYEN_TAC_GIA"],
        infringement_acts=["HANG_GIA_MAO_NHAN_HIEU", "SAO_CHEP_LAU"],
        goods_value_vnd=2_000_000,
    ),
    _incident(
        "C",
        kind="copyright_infringement",
        agency="SVHTTDL",
        occurred_at=_at(2026, 7, 1),
        unit_2025="03408",
        district_2024=None,
        subject_matter=["QUYEN_TAC_GIA"],
        infringement_acts=["SAO_CHEP_LAU"],
    ),
    _incident(
        "D",
        kind="plant_variety_infringement",
        agency="SNN",
        occurred_at=_at(2026, 12, 31, 23, 30),
        unit_2025=None,
        district_2024="110",
        subject_matter=["GIONG_CAY_TRONG"],
        infringement_acts=["XAM_PHAM_GIONG"],
    ),
    _incident(
        "E",
        kind="dispute",
        agency="SKHCN",
        occurred_at=_at(2026, 2, 1),
        unit_2025=None,
        district_2024=None,
        infringement_acts=["XAM_PHAM_NHAN_HIEU"],
    ),
    _incident(
        "F",
        kind="mediation_outcome",
        agency="HOA_GIAI",
        occurred_at=_at(2026, 4, 1),
        infringement_acts=["XAM_PHAM_NHAN_HIEU"],
        mediation_outcome="THANH",
        mediation_recognition="CONG_NHAN",
    ),
    _incident(
        "G",
        kind="mediation_outcome",
        agency="TRONG_TAI",
        occurred_at=_at(2026, 8, 1),
        infringement_acts=["XAM_PHAM_NHAN_HIEU"],
        mediation_outcome="KHONG_THANH",
        mediation_recognition="PHAN_QUYET",
    ),
    _incident("W", occurred_at=_at(2026, 5, 5), status="withdrawn", goods_value_vnd=9_000_000),
    _incident("O", occurred_at=_at(2025, 12, 31, 23, 30), goods_value_vnd=500_000),
    _incident("N", occurred_at=_at(2027, 1, 1, 0, 10)),
]
GOODS = pd.DataFrame(
    [
        ("A", "chiếc", 3, 1_350_000),
        ("B", "chiếc", 2, 1_000_000),
        ("B", "hộp", 10, 1_000_000),
        ("W", "chiếc", 100, 9_000_000),  # withdrawn: not counted
        ("O", "hộp", 5, 500_000),  # 2025: not counted
    ],
    columns=["incident_id", "unit", "quantity", "value_vnd"],
)
SANCTIONS = pd.DataFrame(
    [
        ("A", "sanctioned", date(2026, 3, 5), 15_000_000, "paid"),
        ("B", "sanctioned", date(2026, 6, 20), 10_000_000, "partly_paid"),
        ("C", "sanctioned", date(2026, 7, 10), 8_000_000, "enforced"),
        ("D", "sanctioned", date(2026, 12, 1), 5_000_000, "cancelled"),
        ("O", "sanctioned", date(2026, 1, 10), 4_000_000, "unpaid"),  # a 2025 case decided in 2026: counted
        ("W", "withdrawn", date(2026, 5, 6), 20_000_000, "paid"),  # on a withdrawn incident: not counted
        ("A", "sanctioned", date(2025, 12, 30), 7_000_000, "paid"),  # decided in 2025: not counted
    ],
    columns=["incident_id", "incident_status", "decided_on", "fine_vnd", "payment_status"],
)
_REFERRAL_ROWS = [
    ("A", "sanctioned", "CHUYEN_HO_SO_HINH_SU", "closed", "KHOI_TO", "2026-03-03", "2026-03-03", "2026-03-03"),
    # Closed on 20 June, its clock ran out on 12 June: closed after its clock.
    ("B", "sanctioned", "CHUYEN_HO_SO_HINH_SU", "closed", "KHONG_KHOI_TO", "2026-06-11", "2026-06-20", "2026-06-12"),
    ("C", "sanctioned", "TRUNG_CAU_GIAM_DINH", "closed", "HOAN_THANH", "2026-07-02", "2026-07-05", None),
    ("E", "recorded", "CHUYEN_HOA_GIAI", "in_progress", None, "2026-02-02", None, "2026-02-22"),
    ("D", "recorded", "CHUYEN_THAM_QUYEN", "returned", None, "2026-12-31", None, None),
    ("W", "withdrawn", "CHUYEN_HO_SO_HINH_SU", "closed", "KHOI_TO", "2026-05-06", "2026-05-06", "2026-05-06"),
    ("A", "sanctioned", "CHUYEN_HO_SO_HINH_SU", "closed", "KHOI_TO", "2025-12-20", "2025-12-20", None),  # 2025
]
REFERRALS = pd.DataFrame(
    [(*row[:5], *(date.fromisoformat(day) if day else None for day in row[5:])) for row in _REFERRAL_ROWS],
    columns=["incident_id", "incident_status", "type", "status", "outcome", "sent_on", "closed_on", "due_on"],
)


@pytest.fixture(scope="module")
def report() -> Report:
    data = ReportData(_frame(INCIDENTS), GOODS, SANCTIONS, REFERRALS)
    return build_report(data, YEAR, "2025", FAST)


def _by(report: Report, key: str, code: str, value: str = "cases") -> dict[str, Any]:
    rows = report.tables[key].rows
    return dict(zip(rows[code], rows[value], strict=True))


def test_the_subject_matter_groups_cover_every_code_once() -> None:
    grouped = [code for codes in SUBJECT_MATTER_GROUPS.values() for code in codes]
    assert sorted(grouped) == sorted(SUBJECT_MATTERS) and len(grouped) == len(set(grouped))
    assert SUBJECT_MATTER_GROUPS["industrial_property"] == SUBJECT_MATTERS[:12]  # DOMAIN.md §4: "first 12"


def test_cases_leave_out_the_withdrawn_and_those_outside_the_local_year(report: Report) -> None:
    summary = report.summary()
    assert summary["incidents"] == summary["cases"] == 7
    assert summary["linked"] == 0
    assert report.total("by_kind") == 7


def test_cases_by_kind_list_every_kind(report: Report) -> None:
    by_kind = _by(report, "by_kind", "kind")
    assert list(by_kind) == list(INCIDENT_KINDS)
    assert by_kind == {
        "seizure": 2,
        "customs_suspension": 0,
        "advertising_violation": 0,
        "online_infringement": 0,
        "copyright_infringement": 1,
        "plant_variety_infringement": 1,
        "dispute": 1,
        "mediation_outcome": 2,
    }


def test_cases_by_agency_most_first(report: Report) -> None:
    rows = report.tables["by_agency"].rows
    assert list(rows["agency"]) == ["QLTT", "HOA_GIAI", "SKHCN", "SNN", "SVHTTDL", "TRONG_TAI"]
    assert list(rows["cases"]) == [2, 1, 1, 1, 1, 1]
    assert report.total("by_agency") == 7


def test_a_case_counts_in_each_of_its_groups_and_once_in_the_total(report: Report) -> None:
    assert _by(report, "by_group", "group") == {"industrial_property": 5, "copyright": 2, "plant_variety": 1}
    assert report.total("by_group") == 7


def test_cases_by_act(report: Report) -> None:
    by_act = _by(report, "by_act", "act")
    assert list(by_act) == list(INFRINGEMENT_ACTS)
    nonzero = {act: n for act, n in by_act.items() if n}
    assert nonzero == {"HANG_GIA_MAO_NHAN_HIEU": 2, "SAO_CHEP_LAU": 2, "XAM_PHAM_GIONG": 1, "XAM_PHAM_NHAN_HIEU": 3}
    assert report.total("by_act") == 7


def test_cases_per_unit_agree_in_both_generations() -> None:
    data = ReportData(_frame(INCIDENTS), GOODS, SANCTIONS, REFERRALS)
    units = build_report(data, YEAR, "2025", FAST).tables["by_unit"]
    districts = build_report(data, YEAR, "2024", FAST).tables["by_unit"]
    assert units.total is not None and districts.total is not None
    assert units.total["cases"] == pytest.approx(7) and districts.total["cases"] == pytest.approx(7)
    assert units.rows["cases"].sum() == pytest.approx(districts.rows["cases"].sum())
    by_unit = dict(zip(units.rows["code"], units.rows["cases"], strict=True))
    assert by_unit["03388"] == 3 and by_unit["03445"] == 1 and by_unit["03408"] == 1
    assert by_unit[None] == 1  # the dispute with no place
    by_district = dict(zip(districts.rows["code"], districts.rows["cases"], strict=True))
    assert by_district["107"] == 1 and by_district["110"] == 1 and by_district[None] == 1
    # A, F, G in 105, and Tân Phong's copyright case split by area between 105 and 106
    assert by_district["105"] == pytest.approx(3 + 0.3363, abs=1e-3)
    assert by_district["106"] == pytest.approx(0.6637, abs=1e-3)
    assert districts.total["split_count"] == pytest.approx(1.0) and units.total["split_count"] == pytest.approx(1.0)


def test_goods_seized_per_unit_of_measure(report: Report) -> None:
    goods = report.tables["goods"]
    assert goods.rows.to_dict("records") == [
        {"unit": "chiếc", "lines": 2, "quantity": 5, "value_vnd": 2_350_000},
        {"unit": "hộp", "lines": 1, "quantity": 10, "value_vnd": 1_000_000},
    ]
    assert goods.total == {"lines": 3, "value_vnd": 3_350_000}


def test_fines_imposed_and_collected(report: Report) -> None:
    by_status = report.tables["sanctions"].rows.set_index("payment_status")
    assert by_status["decisions"].to_dict() == {
        "unpaid": 1,
        "paid": 1,
        "partly_paid": 1,
        "enforced": 1,
        "suspended": 0,
        "cancelled": 1,
    }
    assert by_status.loc["paid", "fine_vnd"] == 15_000_000 and by_status.loc["cancelled", "fine_vnd"] == 5_000_000
    assert report.tables["sanctions"].total == {"decisions": 5, "fine_vnd": 42_000_000}
    summary = report.summary()
    assert summary["decisions"] == 4  # the cancelled one is not in force
    assert summary["fines_imposed_vnd"] == 15_000_000 + 10_000_000 + 8_000_000 + 4_000_000
    assert summary["fines_collected_vnd"] == 15_000_000 + 8_000_000  # paid and enforced; partly paid is not


def test_referrals_by_type_and_the_share_closed_within_the_clock(report: Report) -> None:
    rows = report.tables["referrals"].rows.set_index("type")
    criminal = rows.loc["CHUYEN_HO_SO_HINH_SU"]
    assert (criminal["sent"], criminal["closed"], criminal["with_clock"], criminal["within_clock"]) == (2, 2, 2, 1)
    assert criminal["share_within_clock"] == 50.0  # one closed after its clock
    assert rows.loc["TRUNG_CAU_GIAM_DINH", "with_clock"] == 0  # closed, but its type has no legal clock
    assert pd.isna(rows.loc["TRUNG_CAU_GIAM_DINH", "share_within_clock"])
    assert rows.loc["CHUYEN_HOA_GIAI", "open"] == 1 and rows.loc["CHUYEN_THAM_QUYEN", "returned"] == 1
    assert report.tables["referrals"].total == {
        "sent": 5,
        "open": 1,
        "closed": 3,
        "returned": 1,
        "refused": 0,
        "with_clock": 2,
        "within_clock": 1,
        "share_within_clock": 50.0,
    }


def test_referral_outcomes(report: Report) -> None:
    outcomes = report.tables["referral_outcomes"]
    assert outcomes.rows.to_dict("records") == [
        {"type": "CHUYEN_HO_SO_HINH_SU", "outcome": "KHOI_TO", "referrals": 1},
        {"type": "CHUYEN_HO_SO_HINH_SU", "outcome": "KHONG_KHOI_TO", "referrals": 1},
        {"type": "TRUNG_CAU_GIAM_DINH", "outcome": "HOAN_THANH", "referrals": 1},
    ]
    assert outcomes.total == {"referrals": 3}


def test_mediation_outcomes_with_recognition_and_awards(report: Report) -> None:
    rows = report.tables["mediation"].rows.set_index("outcome")
    assert list(rows.index) == ["THANH", "THANH_MOT_PHAN", "KHONG_THANH", "CHAM_DUT"]
    assert rows.loc["THANH"].to_dict() == {"cases": 1, "recognised": 1, "not_recognised": 0, "award": 0}
    assert rows.loc["KHONG_THANH"].to_dict() == {"cases": 1, "recognised": 0, "not_recognised": 0, "award": 1}
    assert report.tables["mediation"].total == {"cases": 2, "recognised": 1, "not_recognised": 0, "award": 1}


def test_too_few_cases_for_hotspots_lists_none_and_keeps_the_parameters(report: Report) -> None:
    assert report.hotspots.enough_data is False
    assert report.tables["hotspots"].rows.empty
    params = dict(zip(*(report.tables["hotspot_params"].rows[c] for c in ("parameter", "value")), strict=True))
    assert params["permutations"] == 99 and params["seed"] == 20250701 and params["enough_data"] is False
    assert list(report.tables) == list(TABLE_KEYS)


def test_linked_incidents_count_once_with_the_first_ones_goods() -> None:
    duplicate = _incident("A2", agency="CA", occurred_at=_at(2026, 3, 3), case_key="A", goods_value_vnd=1_350_000)
    frame = _frame([_incident("A", case_key="A", goods_value_vnd=1_350_000), duplicate])
    goods = pd.DataFrame([("A", "chiếc", 3, 1_350_000), ("A2", "chiếc", 3, 1_350_000)], columns=GOODS.columns)
    built = build_report(ReportData(frame, goods, SANCTIONS.iloc[:0], REFERRALS.iloc[:0]), YEAR, "2025", FAST)
    summary = built.summary()
    assert (summary["incidents"], summary["cases"], summary["linked"]) == (2, 1, 1)
    assert _by(built, "by_agency", "agency") == {"QLTT": 1}  # the case's first record
    assert built.tables["goods"].total == {"lines": 1, "value_vnd": 1_350_000}
    assert built.tables["by_unit"].total["cases"] == 1  # type: ignore[index]


def _cluster_frame() -> pd.DataFrame:
    """40 cases in Đoàn Kết and each of its queen neighbours, 2 in every other unit."""
    centre = "03388"
    cluster = {centre, *hotspots.unit_neighbours()[centre]}
    codes = list(figures_by_unit(pd.DataFrame(columns=list(INCIDENT_COLUMNS))).index)
    rows = [
        _incident(f"{code}-{i}", unit_2025=code, district_2024=None)
        for code in codes
        for i in range(40 if code in cluster else 2)
    ]
    return _frame(rows)


def test_hotspot_table_lists_the_hot_units_after_fdr_as_the_map_finds_them() -> None:
    frame = _cluster_frame()
    built = build_report(ReportData(frame, GOODS.iloc[:0], SANCTIONS.iloc[:0], REFERRALS.iloc[:0]), YEAR, "2025")
    expected = hotspots.hotspots_by_unit(figures_by_unit(frame)["count"], HotspotParams(permutations=999)).table
    listed = built.tables["hotspots"].rows
    hot = expected[expected["label"].str.startswith("hot")]
    assert len(hot) >= 1
    assert set(listed.loc[listed["label"].str.startswith("hot"), "code"]) == set(hot.index)
    assert list(listed["z"]) == sorted(listed["z"], reverse=True)
    # the column is the standard Gi* z: a reader's z > 1.96 agrees with a hot label at 95 % or more
    assert (listed.loc[listed["label"].isin(["hot_99", "hot_95"]), "z"] > 1.96).all()
    indicative = expected[
        (expected["label"] == "not_significant") & (expected["label_uncorrected"] != "not_significant")
    ]
    assert set(listed.loc[listed["indicative"].notna(), "code"]) == set(indicative.index)
    assert built.summary()["hot_units"] == len(hot)


def test_period_days_are_local_and_inclusive() -> None:
    frame = _frame(
        [
            _incident("late", occurred_at=_at(2026, 12, 31, 23, 59)),
            _incident("early", occurred_at=_at(2027, 1, 1, 0, 0)),
        ]
    )
    counted = tables.counted_incidents(frame, YEAR)
    assert list(counted["id"]) == ["late"]
    assert list(counted["case_key"]) == ["late"]  # no case_key column: the incident's own id


def test_an_unknown_generation_is_refused() -> None:
    data = ReportData(_frame(INCIDENTS), GOODS, SANCTIONS, REFERRALS)
    with pytest.raises(ValueError, match="generation"):
        build_report(data, YEAR, "2023", FAST)


def test_counts_are_plain_integers(report: Report) -> None:
    assert all(isinstance(v, int | np.integer) for v in report.tables["by_kind"].rows["cases"])


def test_the_layout_labels_codes_and_totals_in_vietnamese(report: Report) -> None:
    ctx = layout.Context("vi", {"QLTT": ("Chi cục Quản lý thị trường", "Market Surveillance")}, _at(2027, 1, 20))
    sheets = {sheet.key: sheet for sheet in layout.sheets(report, ctx)}
    assert list(sheets) == ["info", *TABLE_KEYS]
    by_kind = sheets["by_kind"]
    assert [column.header for column in by_kind.columns] == ["Mã loại", "Loại vụ việc", "Số vụ"]
    assert by_kind.rows[0] == ["seizure", "Kiểm tra, thu giữ hàng hóa vi phạm", 2]
    assert by_kind.total == ["Tổng cộng", None, 7]
    assert sheets["by_agency"].rows[0] == ["QLTT", "Chi cục Quản lý thị trường", 2]
    referrals = {row[0]: row for row in sheets["referrals"].rows}
    assert referrals["TRUNG_CAU_GIAM_DINH"][-1] is None  # no clock: no share, not NaN
    assert {row[0]: row[-1] for row in sheets["sanctions"].rows}["enforced"] == "Có"
    assert sheets["info"].rows[1] == ["Kỳ báo cáo", "01/01/2026 – 31/12/2026"]


def test_numbers_are_shown_the_vietnamese_or_the_english_way() -> None:
    money = layout.Column("fine_vnd", "Tiền phạt (đồng)", "money", 0)
    share = layout.Column("share", "Tỷ lệ (%)", "percent", 1)
    auto = layout.Column("cases", "Số vụ", "number", None)
    assert (
        layout.display(1_250_000, money, "vi") == "1.250.000" and layout.display(1_250_000, money, "en") == "1,250,000"
    )
    assert layout.display(66.7, share, "vi") == "66,7" and layout.display(66.7, share, "en") == "66.7"
    assert layout.display(3.0, auto, "vi") == "3" and layout.display(0.3363, auto, "vi") == "0,34"
    assert layout.display(None, money, "vi") == ""
