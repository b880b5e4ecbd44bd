"""Retention rules (pure): which incidents are due, what anonymising keeps, and RETENTION_YEARS in the settings."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import holidays
import msgspec
import pytest

from schemas.codes import INCIDENT_KINDS
from schemas.incidents import IncidentIn
from service.calendar.workdays import WorkCalendar
from service.incidents.anonymise import MARKER, anonymise_payload, history_personal_values, scrub_changes
from service.retention.rules import IncidentFacts, RetentionRules, due, record_class, retention_ends, years_before
from service.settings import DEFAULT_RETENTION_YEARS, Settings, SettingsError
from tests.incident_bodies import body, mediation_body

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
RULES = RetentionRules.of(DEFAULT_RETENTION_YEARS.items())
_VN = holidays.Vietnam(years=range(2020, 2031))
CALENDAR = WorkCalendar(days_off=frozenset(_VN), working_weekend_days=frozenset(_VN.weekend_workdays))
NAME = "Hộ kinh doanh Lò Văn A"  # the violator of tests/incident_bodies.py
ID_NUMBER = "012345678901"


def years_ago(years: float) -> datetime:
    return NOW - timedelta(days=365.25 * years)


def facts(kind: str = "seizure", *, closed_years_ago: float = 6, **extra: object) -> IncidentFacts:
    """An incident whose case went quiet `closed_years_ago` years ago (it occurred a month before)."""
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "kind": kind,
        "status": "sanctioned",
        "case_id": None,
        "occurred_at": years_ago(closed_years_ago) - timedelta(days=30),
        "last_event_at": years_ago(closed_years_ago),
    }
    return IncidentFacts(**(fields | extra))  # type: ignore[arg-type]


def due_ids(*incidents: IncidentFacts) -> set[uuid.UUID]:
    return {d.id for d in due(incidents, RULES, NOW, CALENDAR)}


# Which incidents are due.


def test_a_closed_seizure_is_due_five_years_after_its_last_activity_and_not_before():
    old, recent = facts(closed_years_ago=5.01), facts(closed_years_ago=4.99)
    assert due_ids(old, recent) == {old.id}
    [decision] = due([old], RULES, NOW, CALENDAR)
    assert (decision.record_class, decision.rule_class, decision.years) == ("seizure", "seizure", 5)
    assert not decision.linked


def test_disputes_and_mediation_outcomes_are_kept_ten_years():
    dispute, outcome = facts("dispute", closed_years_ago=9), facts("mediation_outcome", closed_years_ago=9)
    assert due_ids(dispute, outcome) == set()
    assert due_ids(facts("dispute", closed_years_ago=10.1)) != set()


def test_a_withdrawn_incident_is_its_own_class_kept_one_year():
    withdrawn = facts("online_infringement", status="withdrawn", closed_years_ago=1.1)
    assert withdrawn.record_class == "withdrawn" and record_class("seizure", "closed") == "seizure"
    assert [d.years for d in due([withdrawn], RULES, NOW, CALENDAR)] == [1]
    assert due_ids(facts("online_infringement", status="closed", closed_years_ago=1.1)) == set()


@pytest.mark.parametrize(
    "still_open",
    [{"open_referrals": 1}, {"pending_sanctions": 1}],
    ids=["a referral still open", "a fine not paid yet"],
)
def test_a_case_still_being_worked_is_never_due_however_old(still_open: dict[str, int]):
    assert due_ids(facts(closed_years_ago=30, **still_open)) == set()  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "late", ["last_event_at", "last_referral_closed_at", "last_sanction_change_at"], ids=lambda n: n
)
def test_the_clock_starts_at_the_last_activity_of_any_kind(late: str):
    quiet = facts(closed_years_ago=8)
    assert due_ids(quiet) == {quiet.id}
    busy = facts(closed_years_ago=8, **{late: years_ago(2)})
    assert due_ids(busy) == set()
    assert busy.last_activity == years_ago(2)


def test_an_incident_left_recorded_with_nothing_open_counts_as_closed():
    assert due_ids(facts(status="recorded", closed_years_ago=6)) != set()


def test_already_anonymised_incidents_are_never_due_again():
    assert due_ids(facts(closed_years_ago=9, anonymised_at=years_ago(1))) == set()


def test_a_linked_case_is_due_only_when_every_member_is_closed_and_quiet():
    case = uuid.uuid4()
    old = facts(case_id=case, closed_years_ago=9)
    recent = facts(case_id=case, closed_years_ago=1)
    assert due_ids(old, recent) == set()  # one member's activity last year keeps the whole case
    still_open = facts(case_id=case, closed_years_ago=9, open_referrals=1)
    assert due_ids(old, still_open) == set()
    quiet = facts(case_id=case, closed_years_ago=7)
    assert due_ids(old, quiet) == {old.id, quiet.id}


def test_a_linked_case_follows_the_longest_rule_among_its_members():
    case = uuid.uuid4()
    seizure, dispute = facts(case_id=case, closed_years_ago=7), facts("dispute", case_id=case, closed_years_ago=7)
    assert due_ids(seizure, dispute) == set()  # 7 years: past the seizure's 5, not the dispute's 10
    seizure, dispute = facts(case_id=case, closed_years_ago=11), facts("dispute", case_id=case, closed_years_ago=11)
    decisions = due([seizure, dispute], RULES, NOW, CALENDAR)
    assert {(d.record_class, d.rule_class, d.years, d.linked) for d in decisions} == {
        ("seizure", "dispute", 10, True),
        ("dispute", "dispute", 10, True),
    }


def test_a_linked_case_half_anonymised_finishes_without_restarting_its_clock():
    case = uuid.uuid4()
    done = facts(case_id=case, closed_years_ago=6, anonymised_at=years_ago(0.1))
    left = facts(case_id=case, closed_years_ago=6)
    assert due_ids(done, left) == {left.id}


def test_years_count_back_in_calendar_years_and_29_february_becomes_28():
    assert years_before(datetime(2028, 2, 29, 12, tzinfo=UTC), 1) == datetime(2027, 2, 28, 12, tzinfo=UTC)
    assert years_before(NOW, 5) == datetime(2021, 11, 25, 3, 0, tzinfo=UTC)


def test_a_retention_period_ending_on_a_day_off_runs_to_the_end_of_the_next_working_day():
    # A withdrawn record (one year) last touched on 2 September 2025: 2 September 2026, National Day, is off.
    quiet = datetime(2025, 9, 2, 10, tzinfo=UTC)
    assert retention_ends(quiet, 1, CALENDAR) == date(2026, 9, 3)
    withdrawn = facts(status="withdrawn", occurred_at=quiet - timedelta(days=30), last_event_at=quiet)
    assert due([withdrawn], RULES, datetime(2026, 9, 3, 12, tzinfo=UTC), CALENDAR) == []  # 3 Sep has not ended
    assert [d.id for d in due([withdrawn], RULES, datetime(2026, 9, 4, 1, tzinfo=UTC), CALENDAR)] == [withdrawn.id]
    assert retention_ends(quiet, 1, WorkCalendar()) == date(2026, 9, 2)  # a Wednesday, without the calendar


def test_every_incident_kind_and_withdrawn_has_a_default_rule():
    assert set(DEFAULT_RETENTION_YEARS) == {*INCIDENT_KINDS, "withdrawn"}
    assert all(years >= 1 for years in DEFAULT_RETENTION_YEARS.values())


# Anonymising a payload.


def test_anonymising_a_seizure_removes_the_violator_and_the_address_and_keeps_the_figures():
    payload = msgspec.to_builtins(msgspec.convert(body("seizure"), IncidentIn))
    anonymised, paths = anonymise_payload(payload)
    assert anonymised["violator"] == {"type": "household_business", "name": MARKER}
    assert anonymised["location"] == {"lon": 103.458, "lat": 22.396}
    assert sorted(paths) == ["location.address", "violator.address", "violator.id_number", "violator.name"]
    for kept in ("goods", "record_number", "occurred_at", "subject_matter", "infringement_acts", "right_holder"):
        assert anonymised[kept] == payload[kept]
    assert NAME not in str(anonymised) and ID_NUMBER not in str(anonymised)
    assert payload["violator"]["name"] == NAME  # the input is not changed


@pytest.mark.parametrize(
    ("kind", "field", "path"),
    [
        ("dispute", "parties", "parties[1].name"),
        ("customs_suspension", "requester_name", "requester_name"),
        ("online_infringement", "seller_account", "seller_account"),
        ("advertising_violation", "advertiser", "advertiser"),
    ],
)
def test_each_kind_loses_the_names_it_carries_and_still_validates(kind: str, field: str, path: str):
    payload = msgspec.to_builtins(msgspec.convert(body(kind), IncidentIn))
    anonymised, paths = anonymise_payload(payload)
    assert path in paths and "violator.name" in paths
    assert MARKER in str(anonymised[field]) and str(payload[field]) not in str(anonymised[field])
    msgspec.convert(anonymised, IncidentIn)  # a later correction still validates


def test_a_mediation_outcome_keeps_its_outcome_and_mediator():
    payload = msgspec.to_builtins(msgspec.convert(mediation_body(str(uuid.uuid4())), IncidentIn))
    anonymised, _ = anonymise_payload(payload)
    assert (anonymised["outcome"], anonymised["mediator"]) == ("THANH", "Hòa giải viên demo")


def test_anonymising_twice_changes_nothing_the_second_time():
    once, _ = anonymise_payload(body("dispute"))
    twice, paths = anonymise_payload(once)
    assert twice == once and paths == []


def test_a_payload_without_personal_data_is_left_as_it_is():
    payload = {"kind": "plant_variety_infringement", "variety_name": "Séng Cù", "quantity": 500}
    assert anonymise_payload(payload) == (payload, [])


# Scrubbing the history.


def test_the_created_entry_is_anonymised_like_the_payload():
    payload = body("seizure")
    assert scrub_changes("created", payload, set()) == anonymise_payload(payload)[0]


def test_a_corrected_name_or_address_is_scrubbed_on_both_sides():
    old_violator = body("seizure")["violator"]
    new_violator = old_violator | {"name": "Hộ kinh doanh Lò Văn B"}
    changes = {
        "violator": {"old": old_violator, "new": new_violator},
        "location": {"old": {"lon": 1.0, "lat": 2.0, "address": "Chợ cũ"}, "new": {"lon": 1.0, "lat": 2.0}},
        "storage_place": {"old": "Kho 1", "new": "Kho 2"},
    }
    personal = history_personal_values(changes)
    assert {NAME, "Hộ kinh doanh Lò Văn B", ID_NUMBER, "Chợ cũ"} <= personal
    scrubbed = scrub_changes("corrected", changes, personal)
    # Both sides read "[anonymised]" now: the entry still says the violator was corrected, not to what.
    assert scrubbed["violator"]["old"] == scrubbed["violator"]["new"] == {"type": "household_business", "name": MARKER}
    assert scrubbed["location"] == {"old": {"lon": 1.0, "lat": 2.0}, "new": {"lon": 1.0, "lat": 2.0}}
    assert scrubbed["storage_place"] == {"old": "Kho 1", "new": "Kho 2"}


def test_any_other_copy_of_a_personal_value_in_the_history_becomes_the_marker_but_free_text_stays():
    changes = {"note": NAME, "items": [{"who": ID_NUMBER}], "summary": f"Bán hàng giả ({NAME})"}
    scrubbed = scrub_changes("imported", changes, {NAME, ID_NUMBER})
    assert scrubbed == {"note": MARKER, "items": [{"who": MARKER}], "summary": f"Bán hàng giả ({NAME})"}


# RETENTION_YEARS and RETENTION_BATCH.


def _settings(tmp_path: Path, **values: str) -> Settings:
    return Settings.from_env({"IPCOORD_DATA_DIR": str(tmp_path), "SECRET_KEY": "s" * 40, **values})


def test_retention_defaults_apply_when_unset(tmp_path: Path):
    settings = _settings(tmp_path)
    assert dict(settings.retention_years) == DEFAULT_RETENTION_YEARS and settings.retention_batch == 500


def test_retention_years_override_only_the_classes_named(tmp_path: Path):
    settings = _settings(tmp_path, RETENTION_YEARS=" seizure=7, withdrawn = 2 ", RETENTION_BATCH="50")
    years = dict(settings.retention_years)
    assert (years["seizure"], years["withdrawn"], years["dispute"]) == (7, 2, 10)
    assert settings.retention_batch == 50


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("seizures=5", "unknown record class 'seizures'"),
        ("seizure=five", "must be a whole number, not 'five'"),
        ("seizure=2.5", "must be a whole number"),
        ("seizure=0", "from 1 to 100, not 0"),
        ("dispute=-3", "from 1 to 100, not -3"),
        ("seizure", "class=years pairs"),
        ("seizure=5,seizure=6", "'seizure' twice"),
    ],
)
def test_bad_retention_years_stop_the_start_naming_the_variable(tmp_path: Path, value: str, says: str):
    with pytest.raises(SettingsError) as refused:
        _settings(tmp_path, RETENTION_YEARS=value)
    assert "RETENTION_YEARS" in str(refused.value) and says in str(refused.value)


def test_a_retention_batch_below_one_is_refused(tmp_path: Path):
    with pytest.raises(SettingsError, match="RETENTION_BATCH"):
        _settings(tmp_path, RETENTION_BATCH="0")
