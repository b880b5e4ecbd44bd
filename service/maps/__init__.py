"""Coordination maps: figures, hotspots and density from incidents, as data and (later) pages."""
