"""Login sessions as their owner sees them: list, end one, end all the others.

The session backend (service/auth/middleware.py) records who, from where and with which browser when a
sign-in creates a session, and when it was last used on each load; this module reads and ends them.
Ending a session deletes its row: the next request carrying its cookie is anonymous on every instance.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from service.auth import events, repository
from service.auth.models import LoginSession
from service.errors import NotFound

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iOS"), ("Windows", "Windows"), ("Mac OS", "macOS"))


class SessionNotFound(NotFound):
    code = "auth.session_not_found"


def public_id_of(session_id: str) -> str:
    """The name a session is shown under (a digest: the session id itself is the secret)."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:32]


def browser_of(user_agent: str) -> str:
    """A short label such as 'Firefox 128 (Linux)' from a User-Agent header."""
    name = user_agent[:40]
    for marker, label in _BROWSERS:
        found = re.search(re.escape(marker) + r"(\d+)", user_agent)
        if found:
            name = f"{label} {found.group(1)}"
            break
    system = next((label for marker, label in _SYSTEMS if marker in user_agent), "")
    if not system and "Linux" in user_agent:
        system = "Linux"
    return f"{name} ({system})" if system else name


async def record_start(db: AsyncSession, session_id: str, user_id: uuid.UUID, *, address: str, user_agent: str) -> None:
    """Fill in who owns a session just created by a sign-in, from where and with which browser."""
    await repository.fill_in_session(db, session_id, user_id, public_id_of(session_id), address[:64], user_agent[:300])


async def list_sessions(db: AsyncSession, user_id: uuid.UUID) -> list[LoginSession]:
    """The user's live sessions, most recently used first."""
    return await repository.live_sessions(db, user_id)


async def end_session(db: AsyncSession, user_id: uuid.UUID, public_id: str) -> None:
    """End one of the user's sessions (the current one too: that is signing out)."""
    if not await repository.delete_session(db, user_id, public_id):
        raise SessionNotFound()
    await events.sessions_ended(db, user_id=user_id, actor_id=user_id, count=1, reason="one")


async def end_other_sessions(
    db: AsyncSession, user_id: uuid.UUID, keep_session_id: str | None, *, actor_id: uuid.UUID, reason: str
) -> int:
    """End every session of the user except `keep_session_id` (None: all of them); the number ended."""
    ended = await repository.delete_sessions(db, user_id, keep_session_id)
    await events.sessions_ended(db, user_id=user_id, actor_id=actor_id, count=ended, reason=reason)
    return ended
