"""Notifications: an outbox written with each event, delivered by email and signed webhooks."""
