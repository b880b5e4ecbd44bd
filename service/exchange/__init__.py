"""Referrals beyond the province: ipcoord instances exchange cases with signed messages (docs/exchange.md)."""
