"""Lai Châu boundary data and point geotagging (pure: no database, no web framework)."""
