"""Placing an incident in both generations from GPS, a picked unit, or the crosswalk."""

from __future__ import annotations

import pytest

from maps.geotag import Geotagger
from schemas.incidents import LocationIn, UnitPick
from service.errors import OutsideProvince
from service.incidents.placing import PlaceContradiction, PlaceRequired, UnknownUnit, place_incident

TAGGER = Geotagger.from_bundled()


def test_gps_point_gets_the_2025_unit_and_the_2024_district():
    place = place_incident(TAGGER, LocationIn(lon=103.458, lat=22.396), None)
    assert (place.unit_2025, place.district_2024, place.source) == ("03388", "105", "gps")


def test_picked_2024_commune_goes_through_the_crosswalk():
    place = place_incident(TAGGER, None, UnitPick(generation="2024", code="03391"))
    assert (place.commune_2024, place.district_2024, place.unit_2025, place.source) == (
        "03391",
        "109",
        "03388",
        "crosswalk",
    )


def test_picked_2025_unit_inside_one_district_gets_that_district():
    place = place_incident(TAGGER, None, UnitPick(generation="2025", code="03640"))
    assert (place.district_2024, place.district_2024_split) == ("110", False)


def test_picked_2025_unit_straddling_two_districts_says_so():
    place = place_incident(TAGGER, None, UnitPick(generation="2025", code="03388"))
    assert place.district_2024 is None
    assert place.district_2024_split is True


def test_a_2025_code_picked_as_2024_means_the_old_unit():
    # 03388 was Phường Quyết Tiến (Thành phố Lai Châu) before the reform: codes are reused.
    place = place_incident(TAGGER, None, UnitPick(generation="2024", code="03388"))
    assert (place.commune_2024, place.district_2024) == ("03388", "105")


def test_no_place_at_all_is_refused():
    with pytest.raises(PlaceRequired):
        place_incident(TAGGER, None, None)


def test_unknown_unit_is_refused():
    with pytest.raises(UnknownUnit):
        place_incident(TAGGER, None, UnitPick(generation="2025", code="99999"))


def test_point_outside_the_province_is_refused():
    with pytest.raises(OutsideProvince):
        place_incident(TAGGER, LocationIn(lon=106.5, lat=20.0), None)


def test_gps_and_a_consistent_picked_2024_commune_keep_the_commune():
    place = place_incident(TAGGER, LocationIn(lon=103.458, lat=22.396), UnitPick(generation="2024", code="03389"))
    assert (place.commune_2024, place.unit_2025, place.source) == ("03389", "03388", "gps")


def test_gps_contradicting_the_picked_unit_is_refused():
    with pytest.raises(PlaceContradiction):
        place_incident(TAGGER, LocationIn(lon=103.458, lat=22.396), UnitPick(generation="2025", code="03408"))
