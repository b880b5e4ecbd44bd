"""Demo users for a first look at ipcoord (development only; incidents come with later modules)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import repository, service

DEMO_PASSWORD = "demo-password-2025"  # noqa: S105 - printed to the developer on purpose; refused in production
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("demo.admin", "Quản trị viên (demo)", "SKHCN", "admin"),
    ("demo.coordinator", "Điều phối viên SKHCN (demo)", "SKHCN", "coordinator"),
    ("demo.qltt", "Kiểm soát viên QLTT (demo)", "QLTT", "inspector"),
    ("demo.svhttdl", "Chuyên viên SVHTTDL (demo)", "SVHTTDL", "agency_staff"),
    ("demo.ca", "Trưởng phòng Cảnh sát kinh tế (demo)", "CA", "agency_head"),
    ("demo.hq", "Công chức Hải quan Ma Lù Thàng (demo)", "HQ", "inspector"),
]


async def load_demo(session: AsyncSession) -> list[str]:
    """Create the demo users that do not exist yet; returns the usernames created."""
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
    return created
