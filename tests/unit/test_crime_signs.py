"""Which Penal Code thresholds an incident reaches, by date and act."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from service.incidents.crime_signs import crime_signs
from service.incidents.reference import CRIME_THRESHOLDS


@dataclass
class Threshold:
    article: str
    acts: list[str]
    measure: str
    threshold_vnd: int
    legal_basis: str
    valid_from: date
    valid_to: date | None


ROWS = [Threshold(*row) for row in CRIME_THRESHOLDS]


def test_goods_value_at_the_threshold_is_a_sign():
    signs = crime_signs(
        ROWS, acts=["HANG_GIA_MAO_NHAN_HIEU"], on=date(2026, 1, 5), measures={"goods_value": 200_000_000}
    )
    assert [(s.article, s.measure) for s in signs] == [("BLHS Điều 226", "goods_value")]


def test_just_below_the_threshold_is_not():
    signs = crime_signs(
        ROWS, acts=["HANG_GIA_MAO_NHAN_HIEU"], on=date(2026, 1, 5), measures={"goods_value": 199_999_999}
    )
    assert signs == []


def test_threshold_applies_only_to_its_acts():
    signs = crime_signs(ROWS, acts=["XAM_PHAM_GIONG"], on=date(2026, 1, 5), measures={"goods_value": 900_000_000})
    assert signs == []


def test_counterfeit_goods_threshold_changed_on_1_july_2025():
    measures = {"goods_value": 25_000_000}
    before = crime_signs(ROWS, acts=["HANG_GIA_CHAT_LUONG"], on=date(2025, 6, 30), measures=measures)
    after = crime_signs(ROWS, acts=["HANG_GIA_CHAT_LUONG"], on=date(2025, 7, 1), measures=measures)
    assert before == []
    assert [s.threshold_vnd for s in after] == [20_000_000]


def test_copyright_profit_and_damage_are_each_reported():
    signs = crime_signs(
        ROWS, acts=["SAO_CHEP_LAU"], on=date(2026, 1, 5), measures={"illegal_profit": 60_000_000, "damage": 100_000_000}
    )
    assert [(s.measure, s.threshold_vnd) for s in signs] == [("damage", 100_000_000), ("illegal_profit", 50_000_000)]
