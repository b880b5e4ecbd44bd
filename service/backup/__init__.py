"""Backups that restore: one archive with a consistent database dump, the attachments and their SHA-256 sums."""
