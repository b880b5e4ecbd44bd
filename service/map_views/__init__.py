"""Coordination maps over HTTP (API and pages): incidents as figures, hotspots and density scoped to the caller.

The pure geo core (boundaries, Gi*, hexagons, folium parts) is the top-level `maps` package."""
