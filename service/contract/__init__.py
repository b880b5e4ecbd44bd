"""The published contract: the input boundary every request passes (boundary.py) and the OpenAPI document
derived from the routes (openapi.py, links.py)."""
