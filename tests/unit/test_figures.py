"""Tests of maps.figures: filters and figures per 2025 unit / 2024 district, built from hand-made frames (no DB)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pandas as pd
import pytest

from maps.crosswalk import pieces_table
from maps.figures import (
    FIGURE_COLUMNS,
    INCIDENT_COLUMNS,
    any_split,
    district_codes,
    figures_by,
    figures_by_district,
    figures_by_unit,
    filter_incidents,
    rounded,
    straddling_units,
    unit_codes,
    unplaced_count,
)

AGENCY_QLTT = uuid.UUID("0190a000-0000-7000-8000-000000000001")
AGENCY_CUSTOMS = uuid.UUID("0190a000-0000-7000-8000-000000000002")
HCM = timezone(timedelta(hours=7))
DISTRICTS = ("105", "106", "107", "108", "109", "110", "111", "112")

# share_of_district of the four units of Tân Uyên (111); they add up to 1.0001 before normalising.
TAN_UYEN_SHARES = {"03598": 0.3304, "03601": 0.1883, "03613": 0.2934, "03616": 0.1880}


def _incident(**overrides: Any) -> dict[str, Any]:
    """One incident row with realistic defaults (a GPS seizure in Khoen On, Than Uyên)."""
    row: dict[str, Any] = {
        "id": uuid.uuid4(),
        "kind": "seizure",
        "agency": AGENCY_QLTT,
        "occurred_at": datetime(2025, 8, 10, 3, 0, tzinfo=UTC),
        "lon": 103.8,
        "lat": 21.9,
        "unit_2025": "03640",
        "district_2024": "110",
        "district_2024_split": False,
        "subject_matter": ["NHAN_HIEU"],
        "infringement_acts": ["HANG_GIA_MAO_NHAN_HIEU"],
        "goods_value_vnd": None,
        "fine_vnd": None,
        "status": "recorded",
    }
    row.update(overrides)
    return row


def _frame(*rows: dict[str, Any]) -> pd.DataFrame:
    """Incident frame with the dtypes the service hands over."""
    frame = pd.DataFrame(list(rows), columns=list(INCIDENT_COLUMNS))
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"], utc=True)
    frame["goods_value_vnd"] = frame["goods_value_vnd"].astype("Int64")
    frame["fine_vnd"] = frame["fine_vnd"].astype("Int64")
    frame["district_2024_split"] = frame["district_2024_split"].astype(bool)
    return frame


def _empty() -> pd.DataFrame:
    return _frame()


@pytest.fixture
def placed() -> pd.DataFrame:
    """Seven incidents covering every way of being placed (and one not placed at all)."""
    return _frame(
        # GPS point in Đoàn Kết, on the Lai Châu city side (105)
        _incident(unit_2025="03388", district_2024="105", goods_value_vnd=1_000_000, fine_vnd=500_000),
        # GPS point in Đoàn Kết, on the former Phong Thổ side (109)
        _incident(unit_2025="03388", district_2024="109", goods_value_vnd=2_000_000),
        # only the 2025 unit Đoàn Kết picked: straddles 105/109, split 0.425 / 0.575
        _incident(
            unit_2025="03388",
            district_2024=None,
            district_2024_split=True,
            lon=None,
            lat=None,
            goods_value_vnd=10_000_000,
            fine_vnd=3_000_000,
        ),
        # only the 2025 unit Khoen On picked: wholly inside Than Uyên (110), exact
        _incident(unit_2025="03640", district_2024=None, lon=None, lat=None, fine_vnd=0),
        # a 2024 commune picked: both generations known through the crosswalk
        _incident(
            unit_2025="03595", district_2024="110", lon=None, lat=None, goods_value_vnd=4_000_000, fine_vnd=1_000_000
        ),
        # only the 2024 district Tân Uyên (111) picked: no 2025 unit
        _incident(unit_2025=None, district_2024="111", lon=None, lat=None, goods_value_vnd=8_000_000),
        # no place at all: left out of both tables
        _incident(unit_2025=None, district_2024=None, lon=None, lat=None, goods_value_vnd=99, fine_vnd=99),
    )


# --- reference tables -------------------------------------------------------------------------


def test_code_lists_and_straddling_units() -> None:
    assert len(unit_codes()) == 38
    assert unit_codes() == tuple(sorted(unit_codes()))
    assert district_codes() == DISTRICTS
    assert straddling_units() == {
        "03388": ("105", "109"),
        "03394": ("106", "109"),
        "03408": ("105", "106"),
        "03460": ("107", "112"),
        "03487": ("108", "112"),
        "03503": ("108", "112"),
    }


# --- figures by unit ----------------------------------------------------------------------------


def test_figures_by_unit_exact_numbers(placed: pd.DataFrame) -> None:
    table = figures_by_unit(placed)
    assert list(table.index) == list(unit_codes())
    assert list(table.columns) == ["name", "full_name", *FIGURE_COLUMNS]
    assert table.loc["03388", ["name", "full_name"]].tolist() == ["Đoàn Kết", "Phường Đoàn Kết"]
    assert table.loc["03388", ["count", "goods_value_vnd", "fine_vnd", "split_count"]].tolist() == [
        3.0,
        13_000_000.0,
        3_500_000.0,
        0.0,
    ]
    assert table.loc["03640", list(FIGURE_COLUMNS)].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert table.loc["03595", list(FIGURE_COLUMNS)].tolist() == [1.0, 4_000_000.0, 1_000_000.0, 0.0]
    total_share = sum(TAN_UYEN_SHARES.values())
    for code, share in TAN_UYEN_SHARES.items():
        assert table.loc[code, "count"] == pytest.approx(share / total_share, abs=1e-12)
        assert table.loc[code, "split_count"] == pytest.approx(share / total_share, abs=1e-12)
        assert table.loc[code, "goods_value_vnd"] == pytest.approx(8_000_000 * share / total_share, abs=1e-6)
        assert table.loc[code, "fine_vnd"] == 0.0
    touched = {"03388", "03640", "03595", *TAN_UYEN_SHARES}
    untouched = table.drop(index=sorted(touched))
    assert (untouched[list(FIGURE_COLUMNS)] == 0).all().all()
    assert any_split(table)


def test_figures_by_unit_whole_numbers_when_nothing_split() -> None:
    frame = _frame(
        _incident(unit_2025="03388", district_2024=None, goods_value_vnd=5, fine_vnd=7),
        _incident(unit_2025="03388", district_2024="109", goods_value_vnd=1),
        _incident(unit_2025="03460", district_2024="112"),
    )
    table = figures_by_unit(frame)
    assert not any_split(table)
    assert table.loc["03388", list(FIGURE_COLUMNS)].tolist() == [2.0, 6.0, 7.0, 0.0]
    assert table.loc["03460", list(FIGURE_COLUMNS)].tolist() == [1.0, 0.0, 0.0, 0.0]
    assert (table[list(FIGURE_COLUMNS)] % 1 == 0).all().all()


# --- figures by district ------------------------------------------------------------------------


def test_figures_by_district_exact_numbers(placed: pd.DataFrame) -> None:
    table = figures_by_district(placed)
    assert list(table.index) == list(DISTRICTS)
    assert list(table.columns) == ["name", "full_name", *FIGURE_COLUMNS]
    assert table.loc["105", ["name", "full_name"]].tolist() == ["Lai Châu", "Thành phố Lai Châu"]
    expected = {
        # point 1 + 0.425 of the split Đoàn Kết incident
        "105": (1.425, 1_000_000 + 4_250_000, 500_000 + 1_275_000, 0.425),
        # point 1 + 0.575 of the split Đoàn Kết incident
        "109": (1.575, 2_000_000 + 5_750_000, 1_725_000, 0.575),
        # Khoen On (exact) + the commune pick in Than Uyên
        "110": (2.0, 4_000_000, 1_000_000, 0.0),
        # the district pick counts whole in its own district
        "111": (1.0, 8_000_000, 0, 0.0),
    }
    for code, (count, goods, fine, split) in expected.items():
        row = table.loc[code]
        assert row["count"] == pytest.approx(count, abs=1e-12)
        assert row["goods_value_vnd"] == pytest.approx(goods, abs=1e-6)
        assert row["fine_vnd"] == pytest.approx(fine, abs=1e-6)
        assert row["split_count"] == pytest.approx(split, abs=1e-12)
    others = table.drop(index=list(expected))
    assert (others[list(FIGURE_COLUMNS)] == 0).all().all()
    assert any_split(table)


@pytest.mark.parametrize(("unit", "districts"), sorted(straddling_units().items()))
def test_unit_only_incident_in_straddling_unit_is_split_by_area_share(unit: str, districts: tuple[str, ...]) -> None:
    frame = _frame(_incident(unit_2025=unit, district_2024=None, district_2024_split=True, goods_value_vnd=1_000))
    table = figures_by_district(frame)
    pieces = pieces_table().set_index(["unit_code", "district_code"])
    for district in districts:
        share = pieces.loc[(unit, district), "share_of_unit"]
        assert table.loc[district, "count"] == pytest.approx(share, abs=1e-12)
        assert table.loc[district, "split_count"] == pytest.approx(share, abs=1e-12)
        assert table.loc[district, "goods_value_vnd"] == pytest.approx(1_000 * share, abs=1e-9)
    assert table["count"].sum() == pytest.approx(1.0, abs=1e-12)
    assert table.drop(index=list(districts))["count"].eq(0).all()
    assert any_split(table)


def test_unit_only_incident_in_one_district_is_exact() -> None:
    frame = _frame(_incident(unit_2025="03640", district_2024=None, goods_value_vnd=123, fine_vnd=45))
    table = figures_by_district(frame)
    assert table.loc["110", list(FIGURE_COLUMNS)].tolist() == [1.0, 123.0, 45.0, 0.0]
    assert table["count"].sum() == 1.0
    assert not any_split(table)


def test_known_district_wins_over_the_unit_split() -> None:
    """A point in Đoàn Kết on the Phong Thổ side counts whole in 109 even though the unit straddles."""
    table = figures_by_district(_frame(_incident(unit_2025="03388", district_2024="109", goods_value_vnd=10)))
    assert table.loc["109", list(FIGURE_COLUMNS)].tolist() == [1.0, 10.0, 0.0, 0.0]
    assert table.loc["105", "count"] == 0.0
    assert not any_split(table)


# --- totals agree -------------------------------------------------------------------------------


def _assert_totals_agree(frame: pd.DataFrame, placed_count: int) -> None:
    by_unit = figures_by_unit(frame)
    by_district = figures_by_district(frame)
    assert by_unit["count"].sum() == pytest.approx(placed_count, abs=1e-9)
    assert by_district["count"].sum() == pytest.approx(placed_count, abs=1e-9)
    for column in ("goods_value_vnd", "fine_vnd"):
        # VND sums reach 1e7-1e12, where one float step is already above 1e-9: compare relatively.
        assert by_unit[column].sum() == pytest.approx(by_district[column].sum(), rel=1e-12, abs=1e-9)


def test_totals_agree_both_ways(placed: pd.DataFrame) -> None:
    _assert_totals_agree(placed, placed_count=6)
    assert unplaced_count(placed) == 1
    by_unit = figures_by_unit(placed)
    by_district = figures_by_district(placed)
    assert by_unit["goods_value_vnd"].sum() == pytest.approx(25_000_000, rel=1e-12)
    assert by_district["goods_value_vnd"].sum() == pytest.approx(25_000_000, rel=1e-12)
    assert by_unit["fine_vnd"].sum() == pytest.approx(4_500_000, rel=1e-12)
    assert by_district["fine_vnd"].sum() == pytest.approx(4_500_000, rel=1e-12)


def test_totals_agree_one_unit_only_incident_per_unit() -> None:
    frame = _frame(
        *(
            _incident(unit_2025=code, district_2024=None, goods_value_vnd=1_000_003 * (i + 1), fine_vnd=7 * i)
            for i, code in enumerate(unit_codes())
        )
    )
    _assert_totals_agree(frame, placed_count=38)
    assert (figures_by_unit(frame)["count"] == 1.0).all()
    by_district = figures_by_district(frame)
    assert by_district["split_count"].sum() == pytest.approx(6.0, abs=1e-9)


def test_totals_agree_one_district_only_incident_per_district() -> None:
    frame = _frame(
        *(
            _incident(unit_2025=None, district_2024=code, goods_value_vnd=333_333 * (i + 1), fine_vnd=11 * i)
            for i, code in enumerate(DISTRICTS)
        )
    )
    _assert_totals_agree(frame, placed_count=8)
    assert (figures_by_district(frame)["count"] == 1.0).all()
    assert figures_by_unit(frame)["split_count"].sum() == pytest.approx(8.0, abs=1e-9)


# --- empty and bad input ------------------------------------------------------------------------


def test_empty_frame_gives_all_zero_tables() -> None:
    by_unit = figures_by_unit(_empty())
    by_district = figures_by_district(_empty())
    assert by_unit.shape == (38, 6)
    assert by_district.shape == (8, 6)
    assert list(by_district.index) == list(DISTRICTS)
    assert (by_unit[list(FIGURE_COLUMNS)] == 0).all().all()
    assert (by_district[list(FIGURE_COLUMNS)] == 0).all().all()
    assert not any_split(by_unit)
    assert not any_split(by_district)
    assert unplaced_count(_empty()) == 0


def test_unknown_code_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown 2025 unit code"):
        figures_by_unit(_frame(_incident(unit_2025="99999")))
    with pytest.raises(ValueError, match="unknown 2024 district code"):
        figures_by_district(_frame(_incident(district_2024="113")))


def test_missing_column_is_an_error() -> None:
    with pytest.raises(ValueError, match="fine_vnd"):
        figures_by_unit(_empty().drop(columns=["fine_vnd"]))


def test_figures_by_generation(placed: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(figures_by(placed, "2025"), figures_by_unit(placed))
    pd.testing.assert_frame_equal(figures_by(placed, "2024"), figures_by_district(placed))
    with pytest.raises(ValueError, match="generation"):
        figures_by(placed, "2023")


def test_plain_dtypes_from_a_query_are_accepted() -> None:
    """str code columns with missing values, float or object VND columns with NaN/None."""
    frame = pd.DataFrame(
        {
            "unit_2025": pd.Series(["03388", None, ""], dtype="str"),
            "district_2024": pd.Series([None, "105", None], dtype="str"),
            "goods_value_vnd": [10**13, None, 5],
            "fine_vnd": pd.Series([None, 3, 1], dtype=object),
        }
    )
    by_district = figures_by_district(frame)
    assert by_district.loc["105", "count"] == pytest.approx(1.425, abs=1e-12)
    assert by_district.loc["105", "goods_value_vnd"] == pytest.approx(4.25e12, rel=1e-12)
    assert by_district.loc["105", "fine_vnd"] == 3.0
    assert by_district.loc["109", "goods_value_vnd"] == pytest.approx(5.75e12, rel=1e-12)
    assert unplaced_count(frame) == 1
    _assert_totals_agree(frame, placed_count=2)


def test_rounded_for_display(placed: pd.DataFrame) -> None:
    table = rounded(figures_by_district(placed))
    assert table.loc["109", "count"] == 1.58
    assert table.loc["105", "split_count"] == 0.42
    assert table.loc["109", "goods_value_vnd"] == 7_750_000
    assert str(table["goods_value_vnd"].dtype) == "int64"
    assert str(table["fine_vnd"].dtype) == "int64"


# --- filters ------------------------------------------------------------------------------------


def _ids(frame: pd.DataFrame) -> list[str]:
    return sorted(str(value) for value in frame["id"])


def test_period_is_inclusive_local_days() -> None:
    frame = _frame(
        # 2025-06-30 23:59:59 local: before the period
        _incident(id="before", occurred_at=datetime(2025, 6, 30, 16, 59, 59, tzinfo=UTC)),
        # 2025-07-01 00:00 local: first instant of the period
        _incident(id="first", occurred_at=datetime(2025, 6, 30, 17, 0, tzinfo=UTC)),
        # 2025-07-31 23:59:59 local: last instant of the period (given in +07)
        _incident(id="last", occurred_at=datetime(2025, 7, 31, 23, 59, 59, tzinfo=HCM)),
        # 2025-08-01 00:00 local: after the period, though still 31 July in UTC
        _incident(id="after", occurred_at=datetime(2025, 7, 31, 17, 0, tzinfo=UTC)),
    )
    july = filter_incidents(frame, start=date(2025, 7, 1), end=date(2025, 7, 31))
    assert _ids(july) == ["first", "last"]
    assert _ids(filter_incidents(frame, start=date(2025, 8, 1))) == ["after"]
    assert _ids(filter_incidents(frame, end=date(2025, 6, 30))) == ["before"]
    assert _ids(filter_incidents(frame, start=date(2025, 7, 31), end=date(2025, 7, 31))) == ["last"]


def test_period_keeps_original_index_and_columns() -> None:
    frame = _frame(_incident(id="a"), _incident(id="b", occurred_at=datetime(2024, 1, 1, tzinfo=UTC)))
    result = filter_incidents(frame, start=date(2025, 1, 1))
    assert list(result.index) == [0]
    assert list(result.columns) == list(INCIDENT_COLUMNS)


def test_period_needs_aware_times_and_dates() -> None:
    frame = _frame(_incident())
    naive = frame.assign(occurred_at=frame["occurred_at"].dt.tz_localize(None))
    with pytest.raises(ValueError, match="timezone-aware"):
        filter_incidents(naive, start=date(2025, 1, 1))
    with pytest.raises(TypeError, match="calendar dates"):
        filter_incidents(frame, start=datetime(2025, 1, 1, tzinfo=UTC))


def test_kinds_and_agencies() -> None:
    frame = _frame(
        _incident(id="seizure-qltt"),
        _incident(id="customs", kind="customs_suspension", agency=AGENCY_CUSTOMS),
        _incident(id="online-qltt", kind="online_infringement"),
    )
    assert _ids(filter_incidents(frame, kinds=["seizure", "online_infringement"])) == ["online-qltt", "seizure-qltt"]
    assert _ids(filter_incidents(frame, kinds="customs_suspension")) == ["customs"]
    assert _ids(filter_incidents(frame, agencies=[AGENCY_CUSTOMS])) == ["customs"]
    assert _ids(filter_incidents(frame, agencies={AGENCY_QLTT}, kinds=["seizure"])) == ["seizure-qltt"]
    assert filter_incidents(frame, kinds=[]).empty


def test_subject_matter_and_act_list_membership() -> None:
    frame = _frame(
        _incident(id="mark", subject_matter=["NHAN_HIEU"], infringement_acts=["HANG_GIA_MAO_NHAN_HIEU"]),
        _incident(
            id="both",
            subject_matter=["NHAN_HIEU", "KIEU_DANG_CN"],
            infringement_acts=["XAM_PHAM_NHAN_HIEU", "XAM_PHAM_KIEU_DANG"],
        ),
        _incident(id="design", subject_matter=["KIEU_DANG_CN"], infringement_acts=["XAM_PHAM_KIEU_DANG"]),
        _incident(id="none", subject_matter=[], infringement_acts=[]),
    )
    assert _ids(filter_incidents(frame, subject_matter="KIEU_DANG_CN")) == ["both", "design"]
    assert _ids(filter_incidents(frame, subject_matter=["NHAN_HIEU", "KIEU_DANG_CN"])) == ["both", "design", "mark"]
    assert _ids(filter_incidents(frame, act="HANG_GIA_MAO_NHAN_HIEU")) == ["mark"]
    assert _ids(filter_incidents(frame, act=["XAM_PHAM_NHAN_HIEU"], subject_matter=["NHAN_HIEU"])) == ["both"]
    assert filter_incidents(frame, act="SU_DUNG_CDDL_SAI").empty


def test_withdrawn_excluded_by_default() -> None:
    frame = _frame(
        _incident(id="kept", status="sanctioned"),
        _incident(id="gone", status="withdrawn", goods_value_vnd=1_000_000),
    )
    assert _ids(filter_incidents(frame)) == ["kept"]
    assert _ids(filter_incidents(frame, include_withdrawn=True)) == ["gone", "kept"]
    assert figures_by_district(filter_incidents(frame))["goods_value_vnd"].sum() == 0.0


def test_filter_then_figures() -> None:
    frame = _frame(
        _incident(unit_2025="03388", district_2024=None, goods_value_vnd=1_000, kind="seizure"),
        _incident(unit_2025="03388", district_2024=None, goods_value_vnd=5_000, kind="advertising_violation"),
        _incident(unit_2025="03640", district_2024="110", occurred_at=datetime(2024, 3, 1, tzinfo=UTC)),
    )
    selected = filter_incidents(frame, start=date(2025, 7, 1), kinds=["seizure"])
    by_district = figures_by_district(selected)
    assert by_district["count"].sum() == pytest.approx(1.0, abs=1e-12)
    assert by_district.loc["105", "goods_value_vnd"] == pytest.approx(425.0, abs=1e-9)
    assert by_district.loc["109", "goods_value_vnd"] == pytest.approx(575.0, abs=1e-9)
    assert figures_by_unit(selected).loc["03388", "goods_value_vnd"] == 1_000.0


def test_empty_frame_filters_to_empty() -> None:
    result = filter_incidents(
        _empty(), start=date(2025, 1, 1), end=date(2025, 12, 31), kinds=["seizure"], subject_matter="NHAN_HIEU"
    )
    assert result.empty
    assert list(result.columns) == list(INCIDENT_COLUMNS)
