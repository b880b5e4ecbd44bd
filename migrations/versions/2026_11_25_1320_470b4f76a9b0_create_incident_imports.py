"""create incident imports: uploaded files, the mapping each agency last used, rows already stored

Revision ID: 470b4f76a9b0
Revises: c2db05c4c1f3
Create Date: 2026-11-25 13:20:00
"""

from collections.abc import Sequence

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "470b4f76a9b0"
down_revision: str | None = "c2db05c4c1f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "import_mappings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agency_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("columns", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("defaults", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_by_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_import_mappings_agency_id_agencies")),
        sa.ForeignKeyConstraint(["updated_by_id"], ["users.id"], name=op.f("fk_import_mappings_updated_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_mappings")),
        sa.UniqueConstraint("agency_id", name=op.f("uq_import_mappings_agency_id")),
    )
    op.create_table(
        "incident_imports",
        sa.Column("id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("agency_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("uploaded_by_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("file_format", sa.String(length=10), nullable=False),
        sa.Column("encoding", sa.String(length=20), nullable=False),
        sa.Column("delimiter", sa.String(length=1), nullable=False),
        sa.Column("columns", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("rows", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("mapping", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("stored_count", sa.Integer(), nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("committed_by_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('uploaded', 'mapped', 'committed')", name=op.f("ck_incident_imports_status")),
        sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=op.f("fk_incident_imports_agency_id_agencies")),
        sa.ForeignKeyConstraint(
            ["committed_by_id"], ["users.id"], name=op.f("fk_incident_imports_committed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name=op.f("fk_incident_imports_uploaded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_imports")),
    )
    op.create_index(op.f("ix_incident_imports_agency_id"), "incident_imports", ["agency_id"], unique=False)
    op.create_index(op.f("ix_incident_imports_sha256"), "incident_imports", ["sha256"], unique=False)
    # A row of a file is stored once, whoever uploads the file again: (sha256, row_number) is its key.
    op.create_table(
        "imported_rows",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("import_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("incident_id", advanced_alchemy.types.guid.GUID(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["incident_imports.id"], name=op.f("fk_imported_rows_import_id_incident_imports")
        ),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_imported_rows_incident_id_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_rows")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_imported_rows_incident_id")),
        sa.UniqueConstraint("sha256", "row_number", name=op.f("uq_imported_rows_sha256")),
    )
    op.create_index(op.f("ix_imported_rows_import_id"), "imported_rows", ["import_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_imported_rows_import_id"), table_name="imported_rows")
    op.drop_table("imported_rows")
    op.drop_index(op.f("ix_incident_imports_sha256"), table_name="incident_imports")
    op.drop_index(op.f("ix_incident_imports_agency_id"), table_name="incident_imports")
    op.drop_table("incident_imports")
    op.drop_table("import_mappings")
