"""The audit trail: an append-only, hash-chained record of security and accountability events (docs/audit.md)."""
