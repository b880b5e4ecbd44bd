"""When two incidents look like one case (pure rules of service/cases/matching.py) and how numbers compare."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from service.cases import matching
from service.incidents.references import number_key, refs_of

QLTT, CA = uuid.uuid4(), uuid.uuid4()
WHEN = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
VIOLATOR = {"type": "household_business", "name": "Hộ kinh doanh Lò Văn A", "id_number": "012345678901"}
GOODS = [{"infringed_mark": "Sâm Lai Châu", "quantity": 20}, {"infringed_mark": "Chè Tam Đường", "quantity": 15}]


def _profile(agency: uuid.UUID = QLTT, **changes: Any) -> matching.Profile:
    payload = {"violator": changes.pop("violator", VIOLATOR), "goods": changes.pop("goods", GOODS)}
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "agency_id": agency,
        "occurred_at": WHEN,
        "status": "recorded",
        "lon": 103.458,
        "lat": 22.396,
        "unit_2025": "03388",
        "district_2024": "105",
        "payload": payload,
    }
    return matching.profile(**(fields | changes))


def test_two_agencies_report_of_one_seizure_match_with_every_reason() -> None:
    police = _profile(CA, occurred_at=WHEN + timedelta(days=1), lon=103.47, lat=22.40)
    match = matching.compare(_profile(), police)
    assert match is not None
    assert set(match.reasons) == {"same_violator_id", "same_violator", "same_goods", "nearby_place", "close_dates"}
    assert match.distance_km is not None and 1.0 < match.distance_km < 1.5
    assert match.days_apart == 1.0


def test_name_without_diacritics_and_one_same_goods_line_are_enough() -> None:
    other = _profile(
        CA,
        violator={"type": "household_business", "name": "Ho kinh doanh Lo Van A"},
        goods=[{"infringed_mark": "SÂM LAI CHÂU", "quantity": 20}],
    )
    match = matching.compare(_profile(), other)
    assert match is not None and "same_violator" in match.reasons and "same_goods" in match.reasons


def test_a_famous_mark_alone_is_not_one_case() -> None:
    """Two sellers of fake "Sâm Lai Châu" in one town the same week: other quantities, one violator unknown."""
    unknown = {"type": "individual", "name": ""}
    other = _profile(CA, violator=unknown, goods=[{"infringed_mark": "Sâm Lai Châu", "quantity": 5}])
    assert matching.compare(_profile(), other) is None
    same_line = _profile(CA, violator=unknown, goods=[{"infringed_mark": "Sâm Lai Châu", "quantity": 20}])
    match = matching.compare(_profile(), same_line)
    assert match is not None and "same_goods" in match.reasons


def test_the_same_agency_far_away_or_weeks_apart_is_not_flagged() -> None:
    assert matching.compare(_profile(), _profile(QLTT)) is None
    assert matching.compare(_profile(), _profile(CA, lon=103.2, lat=22.1, unit_2025="03430")) is None
    assert matching.compare(_profile(), _profile(CA, occurred_at=WHEN + timedelta(days=8))) is None


def test_different_violator_or_disjoint_goods_rule_a_pair_out() -> None:
    other_violator = {"type": "individual", "name": "Nguyễn Thị B"}
    assert matching.compare(_profile(), _profile(CA, violator=other_violator)) is None
    other_goods = [{"infringed_mark": "Gucci", "quantity": 20}]
    no_id = {"type": "household_business", "name": "Hộ kinh doanh Lò Văn A"}
    assert matching.compare(_profile(violator=no_id), _profile(CA, violator=no_id, goods=other_goods)) is None
    # The same ID number outweighs differently described goods.
    assert matching.compare(_profile(), _profile(CA, goods=other_goods)) is not None


def test_without_gps_the_same_unit_counts_as_nearby() -> None:
    a = _profile(lon=None, lat=None)
    assert matching.compare(a, _profile(CA, lon=None, lat=None)) is not None
    assert matching.compare(a, _profile(CA, lon=None, lat=None, unit_2025="03430", district_2024="106")) is None


def test_a_shared_number_flags_whatever_else_differs_but_not_a_withdrawn_incident() -> None:
    far = _profile(QLTT, lon=103.2, lat=22.1, unit_2025="03430", occurred_at=WHEN + timedelta(days=90))
    match = matching.compare(_profile(), far, shared_refs=True)
    assert match is not None and match.reasons[0] == "same_reference"
    assert matching.compare(_profile(), _profile(CA, status="withdrawn"), shared_refs=True) is None


def test_numbers_compare_without_case_spaces_dashes_or_diacritics() -> None:
    assert number_key("INS 2026/015") == number_key("ins-2026-015") == "INS2026015"
    assert number_key("12/QĐ-XPHC") == "12QDXPHC"
    refs = refs_of(
        {
            "kind": "customs_suspension",
            "declaration_number": "105 123 456 789",
            "external_refs": [
                {"kind": "customs_declaration", "number": "105-123-456-789"},
                {"kind": "qltt_ins_case", "number": "INS-01"},
            ],
        }
    )
    assert [(r.kind, r.key) for r in refs] == [("customs_declaration", "105123456789"), ("qltt_ins_case", "INS01")]


def test_every_reason_a_pair_can_have_is_explained_on_the_page_in_both_languages() -> None:
    from service.i18n import MESSAGES

    assert all(f"ui.cases.why.{reason}" in MESSAGES for reason in matching.REASONS)
