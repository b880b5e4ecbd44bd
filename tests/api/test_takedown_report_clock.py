"""The report clock of a takedown request (72 hours after sending), swept like the action clock, with the time
shifted: the recording agency is reminded before it runs out; a late report is marked once on the timeline (the
system, the status kept) and its heads and SKHCN are told once each, in words about the report; a request the
platform reported on (partly done) is not chased."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.clock import now
from service.notifications.email import compose
from service.notifications.models import OutboxMessage
from service.notifications.preferences import Recipient
from service.settings import Settings
from service.takedowns.reminders import run_sweeps
from tests.api.test_takedowns import _online_incident, _platform, _request
from tests.builders import logged_in

Client = AsyncTestClient[Litestar]
HTML = {"Accept": "text/html"}


async def _sent(client: Client, headers: dict[str, str], platform_id: str) -> dict[str, Any]:
    incident = await _online_incident(client, headers)
    url = f"/api/incidents/{incident['id']}/takedowns"
    created = await client.post(url, json=_request(platform_id), headers=headers)
    assert created.status_code == 201, created.text
    return dict(created.json())


def _report(counts: dict[str, int]) -> tuple[int, int, int]:
    return counts["reports_late"], counts["report_escalations"], counts["report_reminders"]


async def _messages(db: AsyncSession, takedown_id: str) -> list[OutboxMessage]:
    rows = (await db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    return [m for m in rows if m.payload.get("takedown_id") == takedown_id]


def _email(message: OutboxMessage) -> tuple[str, str]:
    recipient = Recipient(user_id=uuid.uuid4(), email="head@example.gov.vn")
    email = compose("ipcoord@localhost", recipient, 1, message.kind, message.payload, None)
    return str(email["Subject"]), str(email.get_content())


async def test_a_late_report_is_reminded_marked_once_and_escalated_once(
    settings: Settings, client: Client, db: AsyncSession
):
    platform = await _platform(settings, db)
    _, headers = await logged_in(client, db)
    takedown = await _sent(client, headers, platform["id"])
    reported = await _sent(client, headers, platform["id"])
    answer = {"outcome": "partly_done", "answered_at": now().isoformat(), "text": "Đã gỡ một đường dẫn."}
    assert (await client.post(f"/api/takedowns/{reported['id']}/answer", json=answer, headers=headers)).is_success
    sent_at = now()

    before = await run_sweeps(db, sent_at + timedelta(hours=67))  # 5 hours before the report is due
    assert _report(before) == (0, 0, 1)  # only the request without a report is chased
    assert before["overdue"] == 1  # its action clock ran out long ago (the reported one is partly done)
    assert _report(await run_sweeps(db, sent_at + timedelta(hours=67, minutes=15))) == (0, 0, 0)
    late = sent_at + timedelta(hours=73)
    assert _report(await run_sweeps(db, late)) == (1, 2, 0)
    for minutes in (15, 30):  # every later sweep, and a second worker, finds nothing new
        assert _report(await run_sweeps(db, late + timedelta(minutes=minutes))) == (0, 0, 0)
    await db.commit()

    messages = await _messages(db, takedown["id"])
    report = [m for m in messages if m.payload["clock"] == "takedown_report"]
    assert sorted(m.kind for m in report) == ["escalation", "escalation", "reminder"]
    assert {tuple(m.payload["roles"]) for m in report if m.kind == "escalation"} == {
        ("agency_head",),
        ("coordinator", "agency_head"),
    }
    for message in report:
        subject, text = _email(message)
        assert "báo cáo" in subject and "report" in subject.lower() and "takedown request" in subject
        assert "referral" not in text
    assert [m for m in await _messages(db, reported["id"]) if m.payload["clock"] == "takedown_report"] == []

    shown = (await client.get(f"/api/takedowns/{takedown['id']}")).json()
    assert shown["status"] == "overdue"  # a late report changes no status
    timeline = (await client.get(f"/api/takedowns/{takedown['id']}/events")).json()
    report_late = [e for e in timeline if e["action"] == "report_late"]
    assert len(report_late) == 1 and report_late[0]["actor"] is None
    assert report_late[0]["from_status"] == report_late[0]["to_status"] == "overdue"
    page = await client.get(f"/takedowns/{takedown['id']}", headers=HTML)
    assert "quá hạn báo cáo kết quả: nền tảng chưa báo cáo" in page.text
    other = (await client.get(f"/api/takedowns/{reported['id']}/events")).json()
    assert all(e["action"] != "report_late" for e in other)
