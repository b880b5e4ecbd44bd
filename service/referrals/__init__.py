"""Referrals between agencies: the status table, legal clocks, queues, reminders and notifications."""
