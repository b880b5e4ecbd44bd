"""audit trail: append-only, hash-chained audit_events, the anchors of its pruning, and the triggers that guard them

Revision ID: 9c4e1a7b2d55
Revises: 6b22b7c22ade
Create Date: 2026-12-06 19:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "9c4e1a7b2d55"
down_revision: str | None = "6b22b7c22ade"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One round trip per append: takes the append lock, reads the chain's last hash with a snapshot taken after the lock
# (each statement of a VOLATILE PL/pgSQL function takes its own under READ COMMITTED), draws the id under the same
# lock (ids follow the chain), and chains the row: hash = SHA-256 of "<hash before>:<id>:<SHA-256 of the content>",
# the content's digest computed by the service over its canonical form (service/audit/chain.py). Refused under
# REPEATABLE READ or SERIALIZABLE, whose older snapshot could fork the chain.
AUDIT_APPEND = """
CREATE FUNCTION audit_append(
    lock_key bigint, content_digest text, p_at timestamptz, p_event text, p_actor_id uuid, p_actor_name text,
    p_record_type text, p_record_ids jsonb, p_fields jsonb, p_address text, p_user_agent text, p_request_id text,
    p_detail jsonb
) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_prev text;
    v_id bigint;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'audit appends need READ COMMITTED, not %', current_setting('transaction_isolation');
    END IF;
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT e.hash INTO v_prev FROM audit_events e ORDER BY e.id DESC LIMIT 1;
    IF v_prev IS NULL THEN
        SELECT a.through_hash INTO v_prev FROM audit_anchors a ORDER BY a.id DESC LIMIT 1;
    END IF;
    v_prev := coalesce(v_prev, repeat('0', 64));
    v_id := nextval(pg_get_serial_sequence('audit_events', 'id'));
    INSERT INTO audit_events (id, at, event, actor_id, actor_name, record_type, record_ids, fields, address,
                              user_agent, request_id, detail, prev_hash, hash)
    VALUES (v_id, p_at, p_event, p_actor_id, p_actor_name, p_record_type, p_record_ids, p_fields, p_address,
            p_user_agent, p_request_id, p_detail, v_prev,
            encode(sha256(convert_to(v_prev || ':' || v_id::text || ':' || content_digest, 'UTF8')), 'hex'));
    RETURN v_id;
END
$$
"""

EVENTS_GUARD = """
CREATE FUNCTION audit_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit_events is append-only: UPDATE of row % refused', OLD.id;
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'audit_events is append-only: TRUNCATE refused';
    END IF;
    IF OLD.id > coalesce((SELECT max(a.through_id) FROM audit_anchors a), 0) THEN
        RAISE EXCEPTION 'audit_events: row % is newer than the latest anchor; only the retention job deletes, '
            'at the oldest end, after recording an anchor', OLD.id;
    END IF;
    RETURN OLD;
END
$$
"""

ANCHORS_GUARD = """
CREATE FUNCTION audit_anchors_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_anchors is append-only: % refused', TG_OP;
END
$$
"""


def upgrade() -> None:
    # Never wait long for a lock on a live database: fail and retry the deploy instead.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.String(length=60), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("actor_name", sa.String(length=100), nullable=True),
        sa.Column("record_type", sa.String(length=40), nullable=True),
        sa.Column("record_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("fields", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=200), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    op.create_index("ix_audit_events_actor_id_id", "audit_events", ["actor_id", "id"], unique=False)
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"], unique=False)
    op.create_index("ix_audit_events_event_id", "audit_events", ["event", "id"], unique=False)
    op.create_index("ix_audit_events_record_ids", "audit_events", ["record_ids"], postgresql_using="gin")
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("through_id", sa.BigInteger(), nullable=False),
        sa.Column("through_hash", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_anchors")),
        sa.UniqueConstraint("through_id", name=op.f("uq_audit_anchors_through_id")),
    )
    op.execute(AUDIT_APPEND)
    op.execute(EVENTS_GUARD)
    op.execute(ANCHORS_GUARD)
    op.execute(
        "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_guard()"
    )
    op.execute(
        "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_guard()"
    )
    op.execute(
        "CREATE TRIGGER audit_anchors_append_only BEFORE UPDATE OR DELETE ON audit_anchors "
        "FOR EACH ROW EXECUTE FUNCTION audit_anchors_guard()"
    )
    op.execute(
        "CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_anchors_guard()"
    )


def downgrade() -> None:
    op.drop_table("audit_anchors")
    op.drop_table("audit_events")
    op.execute("DROP FUNCTION audit_anchors_guard()")
    op.execute("DROP FUNCTION audit_events_guard()")
    op.execute(
        "DROP FUNCTION audit_append(bigint, text, timestamptz, text, uuid, text, text, jsonb, jsonb, text, text, text, "
        "jsonb)"
    )
