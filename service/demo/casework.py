"""Demo referrals in every status, a mediation case with its sessions, and sanction decisions paid and unpaid.

Every step goes through the real service functions (refer, act, add_session, add_sanction, update_payment), so
statuses, clocks, events, history and notifications are what a user would have made. The demo is loaded in one
moment, though, while its stories took weeks: each step is then dated back to its day in the story (the
referral's timestamps, its clocks recomputed from the rules as the service does, and the event just written).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.mediation import MediationSessionIn
from schemas.referrals import (
    AcknowledgeIn,
    CloseIn,
    ReferralActionIn,
    ReferralIn,
    ReferralType,
    RefuseIn,
    ReturnIn,
    StartIn,
)
from schemas.sanctions import PaymentUpdate, SanctionIn
from service.calendar.repository import Rules, load_rules
from service.clock import local_day, now
from service.demo import repository
from service.demo.catalogue import DEMO_LABEL
from service.demo.incidents import Stored, demo_principal
from service.demo.kinds import VN_TZ
from service.incidents.models import Incident
from service.referrals import mediation
from service.referrals import service as referrals
from service.referrals.clocks import set_clocks
from service.referrals.models import Referral
from service.sanctions import service as sanctions

RECEIVERS = {"CA": "demo.ca", "QLTT": "demo.qltt", "SVHTTDL": "demo.svhttdl", "SKHCN": "demo.coordinator",
             "HQ": "demo.hq", "HOA_GIAI": "demo.hoagiai"}  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One action of the receiver, `day` days after the referral was sent ("due+n": n days after its clock)."""

    action: ReferralActionIn
    day: int | str


@dataclass(frozen=True)
class Story:
    """A referral from the recording agency of a demo incident to another agency, and what the receiver did."""

    sender: str  # demo username
    kind: str  # incident kind to pick
    to: str  # receiving agency code
    type: ReferralType
    message: str
    sent: int | str  # days before the demo's day, or "due-tomorrow": sent so that its clock runs out tomorrow
    steps: list[Step] = field(default_factory=list)
    nth: int = 0  # which incident of that user and kind


def _note(text: str) -> str:
    return f"{text} {DEMO_LABEL}"


ACK, START = AcknowledgeIn(), StartIn()
STORIES = [
    Story("demo.qltt", "seizure", "CA", "CHUYEN_HO_SO_HINH_SU", _note("Hàng hóa trị giá trên 200 triệu đồng"), 40,
          [Step(ACK, 1), Step(START, 2)], nth=-1),  # overdue: the legal clock ran out long ago
    Story("demo.hq", "seizure", "CA", "CHUYEN_HO_SO_HINH_SU", _note("Lô hàng có dấu hiệu tội phạm"), 0),
    Story("demo.ca", "seizure", "QLTT", "TRA_HO_SO_XU_PHAT", _note("Không khởi tố, trả hồ sơ để xử phạt"), 70,
          [Step(ACK, 1), Step(START, 2), Step(CloseIn(outcome="HOAN_THANH", note=_note("Đã xử phạt")), 12)]),
    Story("demo.hq", "customs_suspension", "QLTT", "CHUYEN_THAM_QUYEN", _note("Chuyển xử lý hàng nội địa"), 9),
    Story("demo.qltt", "online_infringement", "SVHTTDL", "PHOI_HOP_XAC_MINH", _note("Đề nghị phối hợp xác minh"),
          "due-tomorrow", [Step(ACK, 0)]),
    Story("demo.qltt", "seizure", "SVHTTDL", "CHUYEN_THAM_QUYEN", _note("Đề nghị xử lý theo thẩm quyền"), 20,
          [Step(RefuseIn(note=_note("Không thuộc thẩm quyền của Sở")), 2)], nth=3),
    Story("demo.svhttdl", "copyright_infringement", "SKHCN", "TRUNG_CAU_GIAM_DINH",
          _note("Đề nghị giám định quyền tác giả"), "due-tomorrow", [Step(ACK, 0), Step(START, 0)]),
    Story("demo.qltt", "seizure", "SKHCN", "TRUNG_CAU_GIAM_DINH", _note("Đề nghị giám định nhãn hiệu"), 90,
          [Step(ACK, 1), Step(START, 1), Step(CloseIn(outcome="HOAN_THANH", note=_note("Đã có kết luận")), "due+6")],
          nth=5),  # closed late
    Story("demo.ca", "seizure", "HQ", "PHOI_HOP_XAC_MINH", _note("Xác minh nguồn gốc lô hàng"), 3, [Step(ACK, 1)]),
    Story("demo.coordinator", "customs_suspension", "HQ", "PHOI_HOP_XAC_MINH", _note("Đề nghị bổ sung hồ sơ"), 30,
          [Step(ReturnIn(note=_note("Hồ sơ đã được Hải quan xử lý xong")), 1)], nth=1),
    Story("demo.hq", "customs_suspension", "SKHCN", "TRUNG_CAU_GIAM_DINH", _note("Xác định hàng giả mạo"), 25,
          [Step(ACK, 1), Step(START, 1), Step(CloseIn(outcome="HOAN_THANH", note=_note("Đã trả lời")), 5)], nth=2),
    Story("demo.coordinator", "dispute", "HOA_GIAI", "CHUYEN_HOA_GIAI", _note("Các bên đồng ý hòa giải"), 16,
          [Step(ACK, 1), Step(START, 2)], nth=-1),
]  # fmt: skip


def _at(day: date, hour: int) -> datetime:
    """That hour of that day in Lai Châu, but never later than now (a demo loaded early in the morning)."""
    return min(datetime.combine(day, time(hour, 0), tzinfo=VN_TZ), now() - timedelta(minutes=1))


async def _date_back(session: AsyncSession, referral: Referral, moment: datetime, rules: Rules) -> None:
    """Move the referral's latest step and its event to `moment`; the clocks follow, as the service sets them."""
    if referral.status == "sent":
        referral.sent_at = moment
    elif referral.version == 2 and referral.acknowledged_at is not None:  # just acknowledged
        referral.acknowledged_at = moment
    if referral.closed_at is not None:
        referral.closed_at = moment
    ack_day = referral.acknowledged_at.astimezone(VN_TZ).date() if referral.acknowledged_at else None
    set_clocks(referral, rules, referral.sent_at.astimezone(VN_TZ).date(), ack_day)
    for event in await repository.events_after(session, referral.id, moment):
        event.at = moment
    await session.flush()


def _sent_day(story: Story, today: date, rules: Rules) -> date:
    """The day the story's referral was sent; for "due-tomorrow", the latest day whose clock ends after today."""
    if isinstance(story.sent, int):
        return today - timedelta(days=story.sent)
    probe = Referral(type=story.type, status="acknowledged")
    for back in range(1, 60):
        sent = today - timedelta(days=back)
        set_clocks(probe, rules, sent, sent)
        if probe.due_on is not None and probe.due_on <= today + timedelta(days=1):
            return sent + timedelta(days=1) if probe.due_on <= today else sent
    return today


def _step_day(step: Step, sent: date, referral: Referral, today: date) -> date:
    if isinstance(step.day, int):
        return min(sent + timedelta(days=step.day), today)
    return min((referral.due_on or sent) + timedelta(days=int(step.day.removeprefix("due+"))), today)


async def _tell(session: AsyncSession, story: Story, incident: uuid.UUID, today: date, rules: Rules) -> Referral:
    sender = await demo_principal(session, story.sender)
    data = ReferralIn(incident_id=incident, to_agency=story.to, type=story.type, message=story.message)
    referral = await referrals.refer(session, sender, data)
    sent = _sent_day(story, today, rules)
    await _date_back(session, referral, _at(sent, 8), rules)
    receiver = await demo_principal(session, RECEIVERS[story.to])
    for hour, step in enumerate(story.steps, start=9):
        day = _step_day(step, sent, referral, today)
        referral = await referrals.act(session, receiver, referral.id, step.action)
        await _date_back(session, referral, _at(day, hour), rules)
    return referral


def _pick(stored: list[Stored], story: Story) -> uuid.UUID:
    matching = [s.incident.id for s in stored if s.username == story.sender and s.incident.kind == story.kind]
    if story.sender == "demo.coordinator" and not matching:
        matching = [s.incident.id for s in stored if s.incident.kind == story.kind]
    return matching[story.nth]


async def _sessions(session: AsyncSession, referral: Referral, today: date) -> None:
    """Two sessions of the mediation case so far."""
    mediator = await demo_principal(session, RECEIVERS["HOA_GIAI"])
    sent = referral.sent_at.astimezone(VN_TZ).date()
    for held_on, minutes in ((sent + timedelta(days=5), "Các bên trình bày yêu cầu"),
                             (min(sent + timedelta(days=12), today), "Các bên thống nhất một phần")):  # fmt: skip
        data = MediationSessionIn(held_on=held_on, place="Tòa án nhân dân tỉnh Lai Châu", minutes=_note(minutes))
        await mediation.add_session(session, mediator, referral.id, data)


async def load_referrals(session: AsyncSession, stored: list[Stored], today: date) -> list[Referral]:
    """The demo referrals; the mediation case gets its sessions."""
    rules = await load_rules(session, today)
    made = []
    for story in STORIES:
        referral = await _tell(session, story, _pick(stored, story), today, rules)
        if story.type == "CHUYEN_HOA_GIAI":
            await _sessions(session, referral, today)
        made.append(referral)
    return made


SANCTIONS = [("paid", 4_000_000), ("paid", 6_500_000), ("unpaid", 3_000_000), ("unpaid", 7_500_000)]


def _national_record_fields(incident: Incident, k: int) -> dict[str, Any]:
    if k % 2 or sanctions.violator_type_of(incident) == "organisation":
        return {}
    return {"violator_birth_date": date(1980 + 3 * k, 3, 14), "violator_sex": "female" if k else "male"}


async def load_sanctions(session: AsyncSession, stored: list[Stored]) -> int:
    """Sanction decisions on older market surveillance seizures: some paid (the change kept in history), some not."""
    qltt = await demo_principal(session, "demo.qltt")
    seizures = [s.incident for s in stored if s.username == "demo.qltt" and s.incident.kind == "seizure"]
    for k, (status, fine) in enumerate(SANCTIONS):
        incident = seizures[2 * k + 1]
        decided_on = incident.occurred_at.astimezone(VN_TZ).date() + timedelta(days=5)
        data = SanctionIn(
            number=f"{k + 1:02d}/QĐ-XPHC (demo)",
            decided_on=decided_on,
            decider_name="Nguyễn Văn A. (demo)",
            decider_title="Chi cục trưởng Chi cục QLTT",
            acts=incident.payload["infringement_acts"],
            principal_sanction="PHAT_TIEN",
            additional_sanctions=["TICH_THU"],
            fine_vnd=fine,
            # Half the decisions hold what the national record asks of a person (docs/national-record.md).
            **_national_record_fields(incident, k),
        )
        record = await sanctions.add_sanction(session, qltt, incident.id, data)
        if status == "paid":
            reason = _note("Đã nộp phạt vào Kho bạc")
            paid_on = min(decided_on + timedelta(days=7), local_day(now()))
            update = PaymentUpdate(payment_status="paid", reason=reason, executed_on=paid_on)
            await sanctions.update_payment(session, qltt, incident.id, record.decision.id, update)
    return len(SANCTIONS)
