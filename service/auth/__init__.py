"""Agencies, users, login sessions, API tokens and access guards."""
