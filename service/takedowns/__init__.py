"""Takedown requests to online platforms, their clocks, and the evidence captured of each URL (issue 20)."""
