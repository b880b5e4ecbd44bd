"""Fixtures shared by the HTTP tests of several domains."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from service.app import create_app
from service.settings import Settings
from tests.builders import logged_in


@pytest.fixture
async def police(settings: Settings, db: AsyncSession) -> AsyncIterator[AsyncTestClient[Litestar]]:
    """A second browser: a CA (police) staff member, logged in."""
    async with AsyncTestClient(app=create_app(settings)) as other:
        await logged_in(other, db, agency="CA", role="agency_staff")
        yield other
