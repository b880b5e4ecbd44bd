"""The demo's platforms and takedown requests: one request per demo online shop, sent through the real service,
in different states (done, acknowledged, running, one overdue), so the takedown pages have something to show."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from schemas.takedowns import AnswerIn, PlatformIn, PlatformKind, TakedownIn
from service.clock import now
from service.demo.incidents import Stored, demo_principal
from service.takedowns import platforms, service
from service.takedowns.reminders import mark_overdue

# (name, kind, registration number) of the demo's platforms; the registrations are made up (demo).
PLATFORMS: list[tuple[str, PlatformKind, str]] = [
    ("Facebook", "social_network", ""),
    ("TikTok Shop", "e_commerce", "0000000001/TMĐT (demo)"),
    ("Shopee", "e_commerce", "0000000002/TMĐT (demo)"),
    ("Zalo", "social_network", ""),
]
BASIS = "Nghị định 17/2023/NĐ-CP, Điều 113; Luật Sở hữu trí tuệ, Điều 198"


async def load_takedowns(session: AsyncSession, stored: list[Stored]) -> int:
    """Record the demo platforms, then a sent request for each online incident; returns how many requests."""
    admin = await demo_principal(session, "demo.admin")
    ids = {}
    for name, kind, registration in PLATFORMS:
        data = PlatformIn(
            name=name,
            kind=kind,
            registration_number=registration,
            contact=f"legal@{name.lower().replace(' ', '')}.example",
            valid_from=date(2020, 1, 1),
        )
        ids[name] = (await platforms.add_platform(session, admin, data)).id
    online = [s for s in stored if s.incident.kind == "online_infringement"]
    for index, item in enumerate(online):
        principal = await demo_principal(session, item.username)
        payload = item.incident.payload
        body = TakedownIn(
            platform_id=ids.get(str(payload.get("platform")), ids["Facebook"]),
            urls=[str(payload["url"])],
            legal_basis=BASIS,
            measures=["remove", "provide_seller_data"],
            send=True,
        )
        request = await service.draft_request(session, principal, item.incident.id, body)
        if index == 0:
            answer = AnswerIn(outcome="done", answered_at=now(), text="Đã gỡ bỏ gian hàng (demo).")
            await service.record_answer(session, principal, request.id, answer)
        elif index == 1:
            await service.record_answer(
                session, principal, request.id, AnswerIn(outcome="acknowledged", answered_at=now())
            )
        elif index == 2 and request.sent_at and request.action_due_at and request.report_due_at:
            # Sent two days ago and not answered: the sweep marks it overdue, as it would have.
            request.sent_at -= timedelta(days=2)
            request.action_due_at -= timedelta(days=2)
            request.report_due_at -= timedelta(days=2)
            await session.flush()
            await mark_overdue(session, now())
    return len(online)
