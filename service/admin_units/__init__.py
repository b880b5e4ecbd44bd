"""The administrative-unit registry of both generations, and geotagging."""
