"""Retention: violators' personal data in closed cases is anonymised past its class's rule; the figures stay."""
