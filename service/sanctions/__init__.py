"""Sanction decisions: recording them on an incident, fine ceilings, payment, and the province-wide list."""
