"""seed fine ceilings and crime thresholds

Versioned legal reference data of DOMAIN.md §5 (service/incidents/reference.py).

Revision ID: 7c3d5e9a1b20
Revises: f32e11b9d13a
Create Date: 2026-11-25 10:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from service.incidents.reference import crime_threshold_rows, fine_ceiling_rows

revision: str = "7c3d5e9a1b20"
down_revision: str | None = "f32e11b9d13a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

fine_ceilings = sa.table(
    "fine_ceilings",
    *(sa.column(c) for c in ("sector", "violator_type", "max_fine_vnd", "legal_basis", "valid_from", "valid_to")),
)
crime_thresholds = sa.table(
    "crime_thresholds",
    sa.column("article"),
    sa.column("acts", postgresql.ARRAY(sa.String(40))),
    *(sa.column(c) for c in ("measure", "threshold_vnd", "legal_basis", "valid_from", "valid_to")),
)


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.bulk_insert(fine_ceilings, fine_ceiling_rows())
    op.bulk_insert(crime_thresholds, crime_threshold_rows())


def downgrade() -> None:
    op.execute(crime_thresholds.delete())
    op.execute(fine_ceilings.delete())
