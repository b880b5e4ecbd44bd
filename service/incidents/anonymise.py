"""Anonymising an incident's payload and the copies of it in its history (pure).

Personal data of violators and parties, where the input schemas (schemas/incidents.py) put it:

| Path | Kinds | Becomes |
| --- | --- | --- |
| ``violator.name`` | every kind | the marker |
| ``violator.id_number``, ``violator.tax_code``, ``violator.address`` | every kind | dropped |
| ``location.address`` | every kind | dropped (the GPS point and units stay: the maps are figures) |
| ``parties[i].name`` | dispute | the marker (the role stays) |
| ``requester_name`` | customs_suspension | the marker |
| ``seller_account`` | online_infringement | the marker |
| ``advertiser`` | advertising_violation | the marker |

Everything else is kept: ``violator.type`` (fine ceilings and reports depend on it), goods lines, values, codes,
units, dates, decisions, the right holder, and the free texts written by staff (``summary``, ``claim``,
``content``), which this module cannot tell apart from facts (docs/retention.md says so).

The marker is a valid value of every field it replaces, so an anonymised payload still validates as its kind.
"""

from __future__ import annotations

import copy
from typing import Any

from service import i18n

MARKER = "[" + " / ".join(i18n.both("retention.marker")) + "]"
NAMED_FIELDS = ("requester_name", "seller_account", "advertiser")  # top-level names replaced by the marker
VIOLATOR_DROPPED = ("id_number", "tax_code", "address")
# Top-level fields of the payload that hold personal data: a correction's diff of one of these is scrubbed too.
PERSONAL_FIELDS = frozenset({"violator", "location", "parties", *NAMED_FIELDS})


def _present(value: Any) -> bool:
    return value is not None and value != ""


def anonymise_payload(payload: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A copy of the payload without personal data, and the paths of the fields changed (never their values)."""
    result = copy.deepcopy(payload)
    changed: list[str] = []
    violator = result.get("violator")
    if isinstance(violator, dict):
        if _present(violator.get("name")) and violator["name"] != MARKER:
            violator["name"] = MARKER
            changed.append("violator.name")
        for key in VIOLATOR_DROPPED:
            if key in violator:
                if _present(violator[key]):
                    changed.append(f"violator.{key}")
                del violator[key]
    location = result.get("location")
    if isinstance(location, dict) and "address" in location:
        if _present(location["address"]):
            changed.append("location.address")
        del location["address"]
    parties = result.get("parties")
    if isinstance(parties, list):
        for index, party in enumerate(parties):
            if isinstance(party, dict) and _present(party.get("name")) and party["name"] != MARKER:
                party["name"] = MARKER
                changed.append(f"parties[{index}].name")
    for key in NAMED_FIELDS:
        if _present(result.get(key)) and result[key] != MARKER:
            result[key] = MARKER
            changed.append(key)
    return result, changed


def personal_values(payload: dict[str, Any]) -> set[str]:
    """The personal strings a payload (or a copy of one) holds: what must not survive anywhere in its history."""
    values: set[str] = set()
    violator = payload.get("violator")
    if isinstance(violator, dict):
        values |= {str(violator[k]) for k in ("name", *VIOLATOR_DROPPED) if _present(violator.get(k))}
    location = payload.get("location")
    if isinstance(location, dict) and _present(location.get("address")):
        values.add(str(location["address"]))
    parties = payload.get("parties")
    if isinstance(parties, list):
        values |= {str(p["name"]) for p in parties if isinstance(p, dict) and _present(p.get("name"))}
    values |= {str(payload[k]) for k in NAMED_FIELDS if _present(payload.get(k))}
    values.discard(MARKER)
    return values


def _field_value(key: str, value: Any) -> Any:
    """One top-level field's value anonymised as it would be inside a payload (None when it would be dropped)."""
    return anonymise_payload({key: value})[0].get(key)


def _replace_values(value: Any, personal: set[str]) -> Any:
    """Any string equal to a personal value, at any depth, becomes the marker (free text is left as it is)."""
    if isinstance(value, str):
        return MARKER if value in personal else value
    if isinstance(value, dict):
        return {k: _replace_values(v, personal) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_values(v, personal) for v in value]
    return value


def history_personal_values(changes: dict[str, Any]) -> set[str]:
    """The personal strings one history entry holds: a whole payload, or the old and new sides of a correction."""
    values = personal_values(changes)
    for key in PERSONAL_FIELDS & changes.keys():
        diff = changes[key]
        if isinstance(diff, dict) and set(diff) == {"old", "new"}:
            values |= personal_values({key: diff["old"]}) | personal_values({key: diff["new"]})
    return values


def scrub_changes(action: str, changes: dict[str, Any], personal: set[str]) -> dict[str, Any]:
    """A history entry's changes without personal data.

    The ``created`` entry holds the whole payload: it is anonymised exactly like the payload. In any other entry a
    correction's ``{field: {old, new}}`` of a personal field has both sides anonymised (the entry still says that
    field was corrected, no longer from what to what), and any other string equal to one of `personal`
    (the values gathered from the payload and from every entry of the history) becomes the marker. Free text that
    merely contains a name is left as it is.
    """
    if action == "created":
        return anonymise_payload(changes)[0]
    scrubbed: dict[str, Any] = {}
    for key, value in changes.items():
        if key in PERSONAL_FIELDS and isinstance(value, dict) and set(value) == {"old", "new"}:
            old, new = _field_value(key, value["old"]), _field_value(key, value["new"])
            scrubbed[key] = {"old": _replace_values(old, personal), "new": _replace_values(new, personal)}
        else:
            scrubbed[key] = _replace_values(value, personal)
    return scrubbed
