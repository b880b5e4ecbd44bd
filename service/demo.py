"""Demo users and a year of demo incidents for a first look at ipcoord (development only)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession

from maps.geotag import Geotagger
from service.auth import repository, service
from service.demo_incidents import load_demo_incidents

DEMO_PASSWORD = "demo-password-2025"  # noqa: S105 - printed to the developer on purpose; refused in production
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("demo.admin", "Quản trị viên (demo)", "SKHCN", "admin"),
    ("demo.coordinator", "Điều phối viên SKHCN (demo)", "SKHCN", "coordinator"),
    ("demo.qltt", "Kiểm soát viên QLTT (demo)", "QLTT", "inspector"),
    ("demo.svhttdl", "Chuyên viên SVHTTDL (demo)", "SVHTTDL", "agency_staff"),
    ("demo.ca", "Trưởng phòng Cảnh sát kinh tế (demo)", "CA", "agency_head"),
    ("demo.hq", "Công chức Hải quan Ma Lù Thàng (demo)", "HQ", "inspector"),
]


class DemoLoaded(NamedTuple):
    """What load_demo created: usernames, and how many incidents (0 when they were already there)."""

    users: list[str]
    incidents: int


async def load_demo(session: AsyncSession, tagger: Geotagger | None = None) -> DemoLoaded:
    """Create the demo users that do not exist yet, then the demo incidents unless already loaded."""
    created = []
    for username, full_name, agency, role in DEMO_USERS:
        if await repository.get_user_by_username(session, username) is None:
            await service.create_user(
                session,
                username=username,
                password=DEMO_PASSWORD,
                agency_code=agency,
                role=role,
                full_name=full_name,
            )
            created.append(username)
    incidents = await load_demo_incidents(session, tagger or Geotagger.from_bundled())
    return DemoLoaded(created, incidents)
