"""What a reader sees of an incident: local times, and violators' ID numbers only for those entitled."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from service.auth.models import Role
from service.auth.principal import Principal
from service.incidents.models import Incident
from service.incidents.queries import incident_out

QLTT, CA = uuid.uuid4(), uuid.uuid4()


def _principal(agency: uuid.UUID, role: Role) -> Principal:
    return Principal(user_id=uuid.uuid4(), username="u", agency_id=agency, agency_code="X", role=role, method="session")


def _incident() -> Incident:
    stamp = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)
    return Incident(
        id=uuid.uuid4(),
        kind="seizure",
        status="recorded",
        version=1,
        agency_id=QLTT,
        recorded_at=stamp,
        updated_at=stamp,
        occurred_at=stamp,
        location_source="gps",
        district_2024_split=False,
        crime_signs=[],
        payload={"violator": {"type": "individual", "name": "Lò Văn A", "id_number": "012345678901", "tax_code": "8"}},
    )


def test_recording_agency_sees_the_violators_id_number():
    out = incident_out(_principal(QLTT, Role.INSPECTOR), _incident(), "QLTT", "u")
    assert out.data["violator"]["id_number"] == "012345678901"


def test_another_agency_does_not_see_id_numbers_but_sees_the_name():
    out = incident_out(_principal(CA, Role.AGENCY_STAFF), _incident(), "QLTT", "u")
    assert out.data["violator"] == {"type": "individual", "name": "Lò Văn A"}


def test_coordinator_sees_id_numbers():
    out = incident_out(_principal(CA, Role.COORDINATOR), _incident(), "QLTT", "u")
    assert out.data["violator"]["tax_code"] == "8"


def test_times_are_shown_in_lai_chau_time():
    out = incident_out(_principal(QLTT, Role.INSPECTOR), _incident(), "QLTT", "u")
    assert out.occurred_at.isoformat() == "2026-03-02T09:30:00+07:00"
