"""Retention over a real database: old closed cases lose the violator's personal data, the figures stay.

Incidents are recorded through the API as they happened in 2019, then their history, referrals and sanction
decisions are moved into the past in the database, as if nobody had touched them since.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from service.app import create_app
from service.cases.models import LinkedCase
from service.clock import now
from service.incidents.anonymise import MARKER
from service.retention.rules import RetentionRules
from service.retention.service import SweepReport, anonymise_due
from service.settings import DEFAULT_RETENTION_YEARS, Settings
from service.worker import run_worker
from tests.api.test_sanctions import decision
from tests.builders import logged_in
from tests.conftest import TEST_SECRET
from tests.incident_bodies import body
from tests.test_cli import _run

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html"}
NAME = "Hộ kinh doanh Lò Văn A"  # the violator of tests/incident_bodies.py
ID_NUMBER = "012345678901"
ADDRESS = "Chợ trung tâm phường Đoàn Kết"  # where it happened (location.address)
YEAR = "2019"
LONG_AGO = datetime(2019, 4, 1, 3, 0, tzinfo=UTC)  # the last time anyone touched these cases
RULES = RetentionRules.of(DEFAULT_RETENTION_YEARS.items())


def old(kind: str = "seizure", **overrides: Any) -> dict[str, Any]:
    """A body of this kind, as it happened on 2 March 2019."""
    times = {"occurred_at": "2019-03-02T09:30:00+07:00", "detected_at": "2019-03-02T10:00:00+07:00"}
    return body(kind, **(times | overrides))


async def _record(client: Client, headers: dict[str, str], data: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/incidents", json=data, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _fine(client: Client, headers: dict[str, str], incident_id: str, status: str = "paid") -> dict[str, Any]:
    fine = decision(decided_on="2019-03-05", payment_status=status)
    response = await client.post(f"/api/incidents/{incident_id}/sanctions", json=fine, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _correct(client: Client, headers: dict[str, str], incident: dict[str, Any], **changes: Any) -> None:
    current = (await client.get(f"/api/incidents/{incident['id']}")).json()
    correction = {"version": current["version"], "reason": "Sửa theo biên bản gốc", "changes": changes}
    response = await client.patch(f"/api/incidents/{incident['id']}", json=correction, headers=headers)
    assert response.status_code == 200, response.text


async def _refer(client: Client, headers: dict[str, str], incident_id: str) -> dict[str, Any]:
    sent = {"incident_id": incident_id, "to_agency": "CA", "type": "CHUYEN_HO_SO_HINH_SU", "message": "Dấu hiệu"}
    response = await client.post("/api/referrals", json=sent, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _age(db: AsyncSession, *incidents: dict[str, Any], moment: datetime = LONG_AGO) -> None:
    """As if nothing had happened to these incidents since `moment`: history, referrals, decisions."""
    for incident in incidents:
        params = {"id": uuid.UUID(incident["id"]), "moment": moment}
        await db.execute(text("UPDATE incident_events SET at = :moment WHERE incident_id = :id"), params)
        await db.execute(
            text(
                "UPDATE referrals SET sent_at = CAST(:moment AS timestamptz), "
                "closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE CAST(:moment AS timestamptz) END "
                "WHERE incident_id = :id"
            ),
            params,
        )
        await db.execute(text("UPDATE sanction_decisions SET updated_at = :moment WHERE incident_id = :id"), params)
    await db.commit()


async def _sweep(engine: AsyncEngine, *, batch: int = 500, dry_run: bool = False) -> SweepReport:
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    return await anonymise_due(sessions, RULES, now(), batch=batch, dry_run=dry_run)


async def _stored_text(db: AsyncSession, incident_id: str) -> str:
    """Everything stored about the incident's content: payload, search text and every history entry."""
    row = await db.execute(
        text(
            "SELECT i.payload::text || ' ' || i.search_text || ' ' || "
            "coalesce((SELECT string_agg(e.changes::text, ' ') FROM incident_events e WHERE e.incident_id = i.id), '')"
            " FROM incidents i WHERE i.id = :id"
        ),
        {"id": uuid.UUID(incident_id)},
    )
    return str(row.scalar_one())


async def _found_by(client: Client, words: str) -> list[str]:
    return [item["id"] for item in (await client.get("/api/incidents", params={"q": words})).json()["items"]]


async def test_an_old_closed_seizure_loses_the_violators_data_and_its_history_says_so(
    client: Client, db: AsyncSession, engine: AsyncEngine
):
    _, headers = await logged_in(client, db, agency="QLTT")
    seizure = await _record(client, headers, old())
    renamed = body("seizure")["violator"] | {"name": "Hộ kinh doanh Lò Văn Bình"}
    await _correct(client, headers, seizure, violator=renamed)
    await _fine(client, headers, seizure["id"])
    await _age(db, seizure)
    assert await _found_by(client, "Lò Văn Bình") == [seizure["id"]]

    report = await _sweep(engine)

    assert dict(report.by_class) == {"seizure": 1}
    seen = (await client.get(f"/api/incidents/{seizure['id']}")).json()
    assert seen["data"]["violator"] == {"type": "household_business", "name": MARKER}
    assert seen["place"]["address"] is None and seen["place"]["unit_2025"] == "03388"
    assert seen["anonymised_at"] is not None and seen["status"] == "sanctioned"
    assert seen["goods_value_vnd"] == 32_000_000 and seen["data"]["goods"] == old()["goods"]
    assert await _found_by(client, "Lò Văn Bình") == [] and await _found_by(client, "Sâm Lai Châu") == [seizure["id"]]
    stored = await _stored_text(db, seizure["id"])
    for personal in (NAME, "Hộ kinh doanh Lò Văn Bình", ID_NUMBER, ADDRESS):
        assert personal not in stored, personal
    history = (await client.get(f"/api/incidents/{seizure['id']}/history")).json()
    assert [e["action"] for e in history] == ["created", "corrected", "sanction_added", "anonymised"]
    assert history[1]["changes"]["violator"]["new"]["name"] == MARKER  # the correction is still there, nameless
    last = history[-1]
    assert last["actor"] is None and last["version"] == seen["version"]
    assert "`seizure`, 5 năm" in last["reason"] and "`seizure`, 5 years" in last["reason"]
    assert sorted(last["changes"]["anonymised_fields"]) == [
        "location.address",
        "violator.address",
        "violator.id_number",
        "violator.name",
    ]
    assert last["changes"]["anonymised_history_entries"] == 2  # the record and the correction
    sanctions = (await client.get(f"/api/incidents/{seizure['id']}/sanctions")).json()
    assert sanctions[0]["decider_name"] == "Lò Văn Minh" and sanctions[0]["fine_vnd"] == 15_000_000  # an official


async def test_a_correction_cannot_bring_the_personal_data_back(client: Client, db: AsyncSession, engine: AsyncEngine):
    _, headers = await logged_in(client, db, agency="QLTT")
    seizure = await _record(client, headers, old())
    await _age(db, seizure)
    await _sweep(engine)
    current = (await client.get(f"/api/incidents/{seizure['id']}")).json()
    url = f"/api/incidents/{seizure['id']}"
    again = {"type": "household_business", "name": NAME, "id_number": ID_NUMBER}
    refused = {"version": current["version"], "reason": "Nhập lại", "changes": {"violator": again}}
    response = await client.patch(url, json=refused, headers=headers)
    assert response.status_code == 422 and response.json()["field"].startswith("changes.violator")
    assert "ẩn danh" in response.json()["message_vi"] and "anonymised" in response.json()["message_en"]
    assert NAME not in await _stored_text(db, seizure["id"])
    other = {"version": current["version"], "reason": "Sửa tóm tắt", "changes": {"summary": "Đã sửa tóm tắt"}}
    assert (await client.patch(url, json=other, headers=headers)).status_code == 200  # facts may still be fixed


async def test_the_page_says_the_data_was_anonymised_by_the_system(
    client: Client, db: AsyncSession, engine: AsyncEngine
):
    _, headers = await logged_in(client, db, agency="QLTT")
    seizure = await _record(client, headers, old())
    await _age(db, seizure)
    await _sweep(engine)
    page = (await client.get(f"/incidents/{seizure['id']}", headers=HTML)).text
    assert "Dữ liệu cá nhân của người vi phạm đã được ẩn danh lúc" in page
    history = page[page.index('id="history"') :]
    assert "Ẩn danh dữ liệu cá nhân" in history and "hệ thống, lúc" in history
    assert "Trường đã ẩn danh:</strong> violator.name" in history
    assert MARKER in page and NAME not in page and ID_NUMBER not in page
    english = (await client.get(f"/incidents/{seizure['id']}", headers=HTML | {"Accept-Language": "en"})).text
    assert "personal data was anonymised on" in english and "the system, at" in english


async def test_cases_still_worked_on_or_touched_lately_keep_their_data(
    settings: Settings, client: Client, db: AsyncSession, engine: AsyncEngine
):
    qltt, headers = await logged_in(client, db, agency="QLTT")
    referred, unpaid, corrected, closed = [await _record(client, headers, old()) for _ in range(4)]
    linked_old, linked_busy = await _record(client, headers, old()), await _record(client, headers, old())
    await _refer(client, headers, referred["id"])  # sent to the police, never answered
    await _fine(client, headers, unpaid["id"], status="unpaid")
    await _fine(client, headers, closed["id"])
    case = LinkedCase(created_by_id=qltt.id)
    db.add(case)
    await db.flush()
    await db.execute(
        text("UPDATE incidents SET case_id = :case WHERE id IN (:a, :b)"),
        {"case": case.id, "a": uuid.UUID(linked_old["id"]), "b": uuid.UUID(linked_busy["id"])},
    )
    await _age(db, referred, unpaid, corrected, closed, linked_old, linked_busy)
    await _correct(client, headers, corrected, storage_place="Kho số 2")  # today: the clock starts again
    await _correct(client, headers, linked_busy, storage_place="Kho số 3")  # and holds the whole linked case

    report = await _sweep(engine)

    assert dict(report.by_class) == {"seizure": 1}
    for kept in (referred, unpaid, corrected, linked_old, linked_busy):
        seen = (await client.get(f"/api/incidents/{kept['id']}")).json()
        assert seen["data"]["violator"]["name"] == NAME and seen["anonymised_at"] is None
    assert (await client.get(f"/api/incidents/{closed['id']}")).json()["data"]["violator"]["name"] == MARKER


async def test_a_referral_that_ended_long_ago_no_longer_holds_the_case(
    settings: Settings, client: Client, db: AsyncSession, engine: AsyncEngine
):
    _, headers = await logged_in(client, db, agency="QLTT")
    seizure = await _record(client, headers, old())
    referral = await _refer(client, headers, seizure["id"])
    async with AsyncTestClient(app=create_app(settings)) as police:
        _, police_headers = await logged_in(police, db, agency="CA", role="agency_staff")
        returned = await police.post(
            f"/api/referrals/{referral['id']}/actions",
            json={"action": "return", "note": "Không có dấu hiệu tội phạm"},
            headers=police_headers,
        )
        assert returned.status_code == 200, returned.text
    await _age(db, seizure)
    assert dict((await _sweep(engine)).by_class) == {"seizure": 1}


async def test_a_withdrawn_incident_is_anonymised_after_one_year_an_ordinary_one_is_not(
    client: Client, db: AsyncSession, engine: AsyncEngine
):
    _, headers = await logged_in(client, db, agency="QLTT")
    two_years = datetime(2024, 11, 1, 3, 0, tzinfo=UTC)
    recent = {"occurred_at": "2024-10-30T09:30:00+07:00", "detected_at": "2024-10-30T10:00:00+07:00"}
    mistaken, ordinary = await _record(client, headers, old(**recent)), await _record(client, headers, old(**recent))
    pulled = await client.post(
        f"/api/incidents/{mistaken['id']}/withdraw",
        json={"reason": "Ghi trùng vụ khác", "version": mistaken["version"]},
        headers=headers,
    )
    assert pulled.status_code == 200, pulled.text
    await _age(db, mistaken, ordinary, moment=two_years)

    assert dict((await _sweep(engine)).by_class) == {"withdrawn": 1}
    history = (await client.get(f"/api/incidents/{mistaken['id']}/history")).json()
    assert "`withdrawn`, 1 năm" in history[-1]["reason"]
    assert (await client.get(f"/api/incidents/{ordinary['id']}")).json()["data"]["violator"]["name"] == NAME


async def test_running_the_sweep_again_changes_nothing(client: Client, db: AsyncSession, engine: AsyncEngine):
    _, headers = await logged_in(client, db, agency="QLTT")
    seizure = await _record(client, headers, old())
    await _age(db, seizure)
    assert (await _sweep(engine)).total == 1
    first = (await client.get(f"/api/incidents/{seizure['id']}")).json()
    history = (await client.get(f"/api/incidents/{seizure['id']}/history")).json()

    again = await _sweep(engine)

    assert again.total == 0
    assert (await client.get(f"/api/incidents/{seizure['id']}")).json() == first
    assert (await client.get(f"/api/incidents/{seizure['id']}/history")).json() == history


async def test_the_yearly_report_gives_the_same_figures_before_and_after(
    settings: Settings, client: Client, db: AsyncSession, engine: AsyncEngine
):
    async with AsyncTestClient(app=create_app(settings)) as qltt:
        _, headers = await logged_in(qltt, db, agency="QLTT")
        seizure = await _record(qltt, headers, old())
        await _fine(qltt, headers, seizure["id"])
        others = [
            await _record(qltt, headers, old(kind))
            for kind in ("copyright_infringement", "advertising_violation", "online_infringement", "dispute")
        ]
        referred = await _record(qltt, headers, old())
        referral = await _refer(qltt, headers, referred["id"])
        async with AsyncTestClient(app=create_app(settings)) as police:
            _, police_headers = await logged_in(police, db, agency="CA", role="agency_staff")
            url = f"/api/referrals/{referral['id']}/actions"
            for action in ({"action": "acknowledge"}, {"action": "start"}, {"action": "close", "outcome": "KHOI_TO"}):
                response = await police.post(url, json=action, headers=police_headers)
                assert response.status_code == 200, response.text
    await _age(db, seizure, referred, *others)
    await logged_in(client, db, agency="SKHCN", role="coordinator")
    before = (await client.get("/api/reports/yearly", params={"year": YEAR})).json()
    csv_before = (await client.get("/api/reports/yearly", params={"year": YEAR, "format": "csv"})).content

    report = await _sweep(engine)

    # Every 2019 case past its 5 years lost its personal data; the dispute keeps it for 10.
    assert report.total == 5 and "dispute" not in report.by_class
    after = (await client.get("/api/reports/yearly", params={"year": YEAR})).json()
    assert [t for t in after["tables"] if t["key"] != "info"] == [t for t in before["tables"] if t["key"] != "info"]
    summary = next(t for t in after["tables"] if t["key"] == "summary")
    assert 15_000_000 in [row[-1] for row in summary["rows"]]  # the fine is still counted
    assert len((await client.get("/api/reports/yearly", params={"year": YEAR, "format": "csv"})).content) == len(
        csv_before
    )


async def test_an_incident_being_edited_is_skipped_and_anonymised_on_the_next_run(
    client: Client, db: AsyncSession, engine: AsyncEngine
):
    _, headers = await logged_in(client, db, agency="QLTT")
    incidents = [await _record(client, headers, old()) for _ in range(3)]
    await _age(db, *incidents)
    async with engine.connect() as editing:  # someone holds the first incident locked, as a correction does
        transaction = await editing.begin()
        await editing.execute(
            text("SELECT id FROM incidents WHERE id = :id FOR UPDATE"), {"id": uuid.UUID(incidents[0]["id"])}
        )
        report = await _sweep(engine, batch=1)  # one incident per transaction
        await transaction.rollback()
    assert report.total == 2
    assert (await client.get(f"/api/incidents/{incidents[0]['id']}")).json()["anonymised_at"] is None
    assert (await _sweep(engine)).total == 1
    assert (await client.get(f"/api/incidents/{incidents[0]['id']}")).json()["anonymised_at"] is not None


async def test_the_cli_dry_run_counts_per_class_and_changes_nothing(
    client: Client, db: AsyncSession, database_url: str, tmp_root: Path
):
    _, headers = await logged_in(client, db, agency="QLTT")
    seizure = await _record(client, headers, old())
    online = await _record(client, headers, old("online_infringement"))
    await _age(db, seizure, online)

    dry = _run(["anonymise-due", "--dry-run"], database_url, tmp_root)

    assert dry.returncode == 0, dry.stderr
    assert "Dry run: would anonymise the personal data of 2 incidents; nothing was changed." in dry.stdout
    assert "Chạy thử: sẽ ẩn danh dữ liệu cá nhân của 2 vụ việc" in dry.stdout
    lines = {line.split()[0]: line.split()[1] for line in dry.stdout.splitlines() if line.startswith("  ")}
    assert lines == {"seizure": "1", "online_infringement": "1"}
    assert (await client.get(f"/api/incidents/{seizure['id']}")).json()["data"]["violator"]["name"] == NAME

    done = _run(["anonymise-due"], database_url, tmp_root)
    assert done.returncode == 0, done.stderr
    assert "Anonymised the personal data of 2 incidents." in done.stdout
    assert (await client.get(f"/api/incidents/{seizure['id']}")).json()["data"]["violator"]["name"] == MARKER
    assert "of 0 incidents" in _run(["anonymise-due"], database_url, tmp_root).stdout


def test_the_cli_refuses_a_bad_retention_rule_naming_the_variable(database_url: str, tmp_root: Path):
    result = _run(["anonymise-due", "--dry-run"], database_url, tmp_root, RETENTION_YEARS="seizure=0")
    assert result.returncode == 2
    assert "configuration error: RETENTION_YEARS" in result.stderr


async def test_the_worker_run_once_anonymises_what_is_due(
    client: Client, db: AsyncSession, database_url: str, tmp_root: Path
):
    _, headers = await logged_in(client, db, agency="QLTT")
    seizure = await _record(client, headers, old())
    await _age(db, seizure)
    settings = Settings.from_env(
        {"DATABASE_URL": database_url, "SECRET_KEY": TEST_SECRET, "IPCOORD_DATA_DIR": str(tmp_root / "worker")}
    )
    await run_worker(settings, once=True, install_signal_handlers=False)
    seen = (await client.get(f"/api/incidents/{seizure['id']}")).json()
    assert seen["data"]["violator"]["name"] == MARKER and seen["anonymised_at"] is not None
