"""calendar revision: one number raised by every change to holidays or deadline_rules (rules cached per process);
the incident list's indexes: (kind, recorded_at, id) and (unit_2025, recorded_at, id) replace kind and unit_2025

Revision ID: 5d2c8e7a41b9
Revises: 5d2a8c1e7b90
Create Date: 2026-12-06 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d2c8e7a41b9"
down_revision: str | None = "5d2a8c1e7b90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A statement-level trigger: a new number per INSERT/UPDATE/DELETE/TRUNCATE statement, in the writer's
# transaction, so others see it exactly when they see the change. The number comes from a sequence, which never
# gives a number twice: a rolled-back change's number is never the revision of other data. It starts at a random
# point, so two databases (tests, a restored copy) do not count through the same numbers.
BUMP = """
CREATE FUNCTION calendar_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO calendar_revision (id, revision) VALUES (1, nextval('calendar_revision_seq'))
    ON CONFLICT (id) DO UPDATE SET revision = EXCLUDED.revision;
    RETURN NULL;
END;
$$
"""
TABLES = ("holidays", "deadline_rules")


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "calendar_revision",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("revision", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_revision")),
    )
    op.execute("CREATE SEQUENCE calendar_revision_seq")
    op.execute("SELECT setval('calendar_revision_seq', 1 + floor(random() * 2 ^ 52)::bigint)")
    op.execute("INSERT INTO calendar_revision (id, revision) VALUES (1, nextval('calendar_revision_seq'))")
    op.execute(BUMP)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_bump_calendar_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION calendar_revision_bump()"
        )

    op.drop_index("ix_incidents_kind", table_name="incidents")
    op.drop_index("ix_incidents_unit_2025", table_name="incidents")
    op.create_index("ix_incidents_kind_recorded", "incidents", ["kind", "recorded_at", "id"], unique=False)
    op.create_index("ix_incidents_unit_recorded", "incidents", ["unit_2025", "recorded_at", "id"], unique=False)


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.drop_index("ix_incidents_unit_recorded", table_name="incidents")
    op.drop_index("ix_incidents_kind_recorded", table_name="incidents")
    op.create_index("ix_incidents_unit_2025", "incidents", ["unit_2025"], unique=False)
    op.create_index("ix_incidents_kind", "incidents", ["kind"], unique=False)
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_bump_calendar_revision ON {table}")
    op.execute("DROP FUNCTION calendar_revision_bump()")
    op.execute("DROP SEQUENCE calendar_revision_seq")
    op.drop_table("calendar_revision")
