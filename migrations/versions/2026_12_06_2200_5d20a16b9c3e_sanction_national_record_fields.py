"""sanction decisions: the national record's fields (Decree 20/2016/NĐ-CP, Art. 9)

Revision ID: 5d20a16b9c3e
Revises: eee748925220
Create Date: 2026-12-06 22:00:00

The violator's date of birth and sex, an organisation's registration number and legal representative, and the
day the decision was carried out: optional, added to the sanction form.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d20a16b9c3e"
down_revision: str | None = "eee748925220"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("violator_birth_date", sa.Date()),
    ("violator_sex", sa.String(length=10)),
    ("registration_number", sa.String(length=60)),
    ("legal_representative", sa.String(length=200)),
    ("executed_on", sa.Date()),
)


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    for name, type_ in COLUMNS:
        op.add_column("sanction_decisions", sa.Column(name, type_, nullable=True))
    op.create_check_constraint(
        op.f("ck_sanction_decisions_violator_sex_known"), "sanction_decisions", "violator_sex IN ('male', 'female')"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_sanction_decisions_violator_sex_known"), "sanction_decisions", type_="check")
    for name, _ in reversed(COLUMNS):
        op.drop_column("sanction_decisions", name)
