"""Incidents of every kind: recording, geotagging, corrections, history, attachments, sanctions."""
