"""What the background workers report about themselves: one row per worker process, kept after it stops."""

from __future__ import annotations

from datetime import datetime

from advanced_alchemy.base import BigIntBase
from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


class WorkerHeartbeat(BigIntBase):
    """A worker process (host and pid) and the last time it was seen working against the database."""

    __tablename__ = "worker_heartbeats"

    name: Mapped[str] = mapped_column(String(200), unique=True)  # "<host>:<pid>"
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # The queue's waiting jobs when the worker last looked: a growing number means work is piling up.
    queue_depth: Mapped[int] = mapped_column(Integer, default=0)
