"""docs/exchange-schema.json is the JSON Schema of the message Structs as they are (`make docs` writes it), so
another system implements the protocol from the document, not from our code."""

from __future__ import annotations

import json
from pathlib import Path

from service.exchange.messages import schema

DOCUMENT = Path(__file__).parents[2] / "docs" / "exchange-schema.json"


def test_the_published_schema_is_the_structs_schema():
    assert json.loads(DOCUMENT.read_text()) == schema(), "run `make docs` to regenerate docs/exchange-schema.json"


def test_every_part_refuses_unknown_fields_and_node_ids_are_constrained():
    definitions = schema()["$defs"]
    assert {"Envelope", "ReferralBody", "StatusBody", "AnswerBody", "FetchBody", "SharedIncident"} <= definitions.keys()
    assert all(part.get("additionalProperties") is False for part in definitions.values() if part["type"] == "object")
    assert definitions["Envelope"]["properties"]["from_node"]["pattern"] == "^[A-Z0-9_]{2,16}$"
    assert definitions["Envelope"]["properties"]["issued_at"]["format"] == "date-time"
