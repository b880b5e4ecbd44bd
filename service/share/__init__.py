"""Data sharing with partner systems: partners, credentials, tokens (docs/sharing.md)."""
