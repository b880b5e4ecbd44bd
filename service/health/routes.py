"""GET /health: the service is up and its database answers."""

from __future__ import annotations

from litestar import Response, get
from sqlalchemy import text

from schemas.base import Schema
from schemas.errors import ErrorBody
from service import __version__
from service.db import DbSession
from service.errors import error_response


class HealthOut(Schema, kw_only=True):
    """Service and database status."""

    status: str
    database: str
    version: str


@get("/health", tags=["health"])
async def health(db_session: DbSession) -> Response[HealthOut] | Response[ErrorBody]:
    """Tình trạng dịch vụ / Service and database status (no login needed)."""
    try:
        await db_session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach PostgreSQL is "unavailable", never a 500
        return error_response(503, "health.database_down")
    return Response(HealthOut(status="ok", database="ok", version=__version__))
