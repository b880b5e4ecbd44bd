"""Demo users, a year of demo incidents up to the day it is loaded, referrals, mediation and sanctions (development
only): a first look at the whole product on any day."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from maps.geotag import Geotagger
from service.auth import repository as users
from service.auth import service
from service.clock import local_day, now
from service.demo.casework import load_referrals, load_sanctions
from service.demo.incidents import last_moment, load_demo_incidents
from service.demo.takedowns import load_takedowns

DEMO_PASSWORD = "demo-password-2025"  # noqa: S105 - printed to the developer on purpose; refused in production
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("demo.admin", "Quản trị viên (demo)", "SKHCN", "admin"),
    ("demo.coordinator", "Điều phối viên SKHCN (demo)", "SKHCN", "coordinator"),
    ("demo.qltt", "Kiểm soát viên QLTT (demo)", "QLTT", "inspector"),
    ("demo.svhttdl", "Chuyên viên SVHTTDL (demo)", "SVHTTDL", "agency_staff"),
    ("demo.ca", "Trưởng phòng Cảnh sát kinh tế (demo)", "CA", "agency_head"),
    ("demo.hq", "Công chức Hải quan Ma Lù Thàng (demo)", "HQ", "inspector"),
    ("demo.hoagiai", "Hòa giải viên (demo)", "HOA_GIAI", "agency_staff"),
]


class DemoLoaded(NamedTuple):
    """What load_demo created: usernames, and how many incidents and referrals (0 when already there)."""

    users: list[str]
    incidents: int
    referrals: int = 0
    sanctions: int = 0
    takedowns: int = 0


async def _create_users(session: AsyncSession) -> list[str]:
    created = []
    for username, full_name, agency, role in DEMO_USERS:
        if await users.get_user_by_username(session, username) is None:
            await service.create_user(
                session, username=username, password=DEMO_PASSWORD, agency_code=agency, role=role, full_name=full_name
            )
            created.append(username)
    return created


async def load_demo(
    session: AsyncSession, tagger: Geotagger | None = None, *, today: date | None = None, at: datetime | None = None
) -> DemoLoaded:
    """Create the demo users that do not exist yet, then, unless already loaded, the demo as of `today`.

    `today` (a Lai Châu day; default: today) is the day the demo's year ends; nothing in it happens after `at`
    (default: now, or the end of `today` when that is earlier).
    """
    users = await _create_users(session)
    moment = at or now()
    today = today or local_day(moment)
    stored = await load_demo_incidents(session, tagger or Geotagger.from_bundled(), today, last_moment(today, moment))
    if not stored:
        return DemoLoaded(users, 0)
    referrals = await load_referrals(session, stored, today)
    sanctions = await load_sanctions(session, stored)
    takedowns = await load_takedowns(session, stored)
    return DemoLoaded(users, len(stored), len(referrals), sanctions, takedowns)
