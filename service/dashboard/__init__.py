"""The coordinator's dashboard: where things stand this morning."""
