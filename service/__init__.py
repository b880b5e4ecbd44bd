"""ipcoord: Lai Châu's IP-enforcement coordination service."""

__version__ = "0.1.0"
