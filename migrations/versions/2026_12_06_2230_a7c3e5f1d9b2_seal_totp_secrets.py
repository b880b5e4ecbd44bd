"""seal TOTP keys at rest: totp_secrets.secret becomes a Fernet token (service.db.SealedString)

Revision ID: a7c3e5f1d9b2
Revises: 5d20a16b9c3e
Create Date: 2026-12-06 22:30:00

The key is the process's FIELD_ENCRYPTION_KEY (or the one derived from SECRET_KEY): run the migration with the
app's environment, as `ipcoord migrate` does. Plain keys written before are sealed here; downgrading opens them.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op
from cryptography.fernet import Fernet

revision: str = "a7c3e5f1d9b2"
down_revision: str | None = "5d20a16b9c3e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FERNET_PREFIX = "gA"


def _fernet() -> Fernet:
    # The running process's key, handed in by migrations/env.py; derived as advanced-alchemy's FernetBackend does.
    key: str = context.config.attributes["field_key"]()
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.alter_column("totp_secrets", "secret", type_=sa.String(), existing_type=sa.String(length=64))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, secret FROM totp_secrets")).all()
    plain = [(row.id, row.secret) for row in rows if not row.secret.startswith(FERNET_PREFIX)]
    if plain:
        fernet = _fernet()
        for ident, secret in plain:
            sealed = fernet.encrypt(secret.encode()).decode()
            connection.execute(sa.text("UPDATE totp_secrets SET secret = :s WHERE id = :i"), {"s": sealed, "i": ident})


def downgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, secret FROM totp_secrets")).all()
    sealed = [(row.id, row.secret) for row in rows if row.secret.startswith(FERNET_PREFIX)]
    if sealed:
        fernet = _fernet()
        for ident, secret in sealed:
            opened = fernet.decrypt(secret.encode()).decode()
            connection.execute(sa.text("UPDATE totp_secrets SET secret = :s WHERE id = :i"), {"s": opened, "i": ident})
    op.alter_column("totp_secrets", "secret", type_=sa.String(length=64), existing_type=sa.String())
