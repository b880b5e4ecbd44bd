"""Fine ceilings of DOMAIN.md §5: the right decree on the right day, mixed sectors, and the check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from service.sanctions.fines import FineOverCeiling, NoFineCeiling, ceiling_for, check_fine, sector_of
from service.sanctions.reference import FINE_CEILINGS


@dataclass(frozen=True)
class Ceiling:
    sector: str
    violator_type: str
    max_fine_vnd: int
    legal_basis: str
    valid_from: date
    valid_to: date | None


CEILINGS = [Ceiling(*row) for row in FINE_CEILINGS]
PIRACY = ["SAO_CHEP_LAU"]
COUNTERFEIT_MARK = ["HANG_GIA_MAO_NHAN_HIEU"]
PLANT_VARIETY = ["XAM_PHAM_GIONG"]


def _ceiling(acts: list[str], violator_type: str = "individual", on: date = date(2026, 3, 2)) -> Ceiling:
    found = ceiling_for(CEILINGS, acts=acts, violator_type=violator_type, on=on)
    assert isinstance(found, Ceiling)
    return found


def test_each_act_belongs_to_its_sector():
    assert sector_of("SAO_CHEP_LAU") == "copyright"
    assert sector_of("XAM_PHAM_GIONG") == "plant_variety"
    assert sector_of("XAM_PHAM_NHAN_HIEU") == "industrial_property"
    assert sector_of("KHAC") == "industrial_property"


def test_copyright_decision_of_14_february_2026_applies_decree_131():
    ceiling = _ceiling(PIRACY, on=date(2026, 2, 14))
    assert "131/2013" in ceiling.legal_basis
    assert ceiling.max_fine_vnd == 250_000_000


def test_copyright_decision_of_15_february_2026_applies_decree_341():
    ceiling = _ceiling(PIRACY, on=date(2026, 2, 15))
    assert "341/2025" in ceiling.legal_basis
    assert ceiling.max_fine_vnd == 250_000_000


def test_organisation_ceiling_is_twice_the_individual_one():
    assert _ceiling(COUNTERFEIT_MARK, "organisation").max_fine_vnd == 500_000_000
    assert _ceiling(COUNTERFEIT_MARK, "individual").max_fine_vnd == 250_000_000


def test_household_business_is_fined_as_an_individual():
    assert _ceiling(COUNTERFEIT_MARK, "household_business").max_fine_vnd == 250_000_000


def test_plant_variety_ceiling_is_50_million_for_an_individual():
    ceiling = _ceiling(PLANT_VARIETY)
    assert ceiling.max_fine_vnd == 50_000_000
    assert "31/2023" in ceiling.legal_basis


def test_mixed_sectors_are_bounded_by_the_largest_ceiling_involved():
    ceiling = _ceiling(PLANT_VARIETY + COUNTERFEIT_MARK)
    assert ceiling.max_fine_vnd == 250_000_000
    assert ceiling.sector == "industrial_property"


def test_a_sector_without_a_row_on_that_day_does_not_hide_the_others():
    # Plant-variety ceilings start on 2023-06-05 (ND 31/2023); an earlier decision still has the IP bound.
    ceiling = _ceiling(PLANT_VARIETY + COUNTERFEIT_MARK, on=date(2023, 1, 10))
    assert ceiling.sector == "industrial_property"
    assert ceiling_for(CEILINGS, acts=PLANT_VARIETY, violator_type="individual", on=date(2023, 1, 10)) is None


def test_both_ends_of_a_validity_period_are_in_force():
    rows = [Ceiling("copyright", "individual", 1_000, "old", date(2020, 1, 1), date(2020, 12, 31))]
    for day in (date(2020, 1, 1), date(2020, 12, 31)):
        assert ceiling_for(rows, acts=PIRACY, violator_type="individual", on=day) is rows[0]
    for day in (date(2019, 12, 31), date(2021, 1, 1)):
        assert ceiling_for(rows, acts=PIRACY, violator_type="individual", on=day) is None


def test_fine_equal_to_the_ceiling_is_accepted():
    ceiling = check_fine(
        CEILINGS, fine_vnd=250_000_000, acts=COUNTERFEIT_MARK, violator_type="individual", on=date(2026, 3, 2)
    )
    assert ceiling is not None and ceiling.max_fine_vnd == 250_000_000


def test_fine_over_the_ceiling_names_the_field_the_ceiling_and_the_decree():
    with pytest.raises(FineOverCeiling) as raised:
        check_fine(CEILINGS, fine_vnd=50_000_001, acts=PLANT_VARIETY, violator_type="individual", on=date(2026, 3, 2))
    assert raised.value.status == 422
    assert raised.value.field == "fine_vnd"
    assert raised.value.params["ceiling"] == 50_000_000
    assert "31/2023" in str(raised.value.params["legal_basis"])


def test_fine_with_no_ceiling_in_force_is_refused_but_a_warning_is_not():
    long_ago = date(2010, 1, 1)
    with pytest.raises(NoFineCeiling):
        check_fine(CEILINGS, fine_vnd=1_000_000, acts=COUNTERFEIT_MARK, violator_type="individual", on=long_ago)
    assert check_fine(CEILINGS, fine_vnd=0, acts=COUNTERFEIT_MARK, violator_type="individual", on=long_ago) is None
