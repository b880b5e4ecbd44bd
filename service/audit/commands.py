"""`ipcoord audit verify`: recompute the chain over the whole table and name the first row that breaks it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import create_async_engine

from service.audit.service import Verdict, verify
from service.db import async_url
from service.i18n import Language, both, message
from service.migrate import check_migrated

LANGUAGES: tuple[Language, ...] = ("vi", "en")


async def verify_database(database_url: str) -> Verdict:
    """The verdict over the database's audit trail (its schema must be at head)."""
    engine = create_async_engine(async_url(database_url), pool_size=1)
    try:
        await check_migrated(engine)
        async with engine.connect() as connection:
            return await verify(connection)
    finally:
        await engine.dispose()


def report(verdict: Verdict) -> tuple[int, list[str]]:
    """The exit status (0 intact, 1 broken) and the lines to print, Vietnamese first."""
    if verdict.broken is None:
        lines = []
        for lang in LANGUAGES:
            since = "" if verdict.anchor_id is None else message("audit.cli.since", lang, anchor=verdict.anchor_id)
            lines.append(message("audit.cli.intact", lang, rows=verdict.rows, head=verdict.head_hash, since=since))
        return 0, lines
    code = f"audit.cli.{verdict.broken.reason}"
    return 1, list(both(code, id=verdict.broken.id, checked=verdict.rows))
