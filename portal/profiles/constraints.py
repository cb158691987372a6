"""A publisher's own schema keeps every constraint of the profile it claims.

An own Table Schema may add titles, descriptions and stricter constraints, but it cannot
loosen the profile: without this, a schema that drops `primaryKey` lets a second row
shadow a published project, and one that drops an `enum` lets a status move back
unnoticed (`""`, `Identification`). So the effective schema is the own one with the
profile's constraints laid over it (whichever of the two is stricter), and its primary
and foreign keys are the profile's: the data is always checked against both.
"""

from __future__ import annotations

import copy
from typing import Any

_NUMBER = (int, float)


def _stricter(key: str, own: Any, profile: Any) -> Any:
    """The value of one constraint that satisfies both the own schema and the profile."""
    if own is None:
        return profile
    if key in ("required", "unique"):
        return bool(own) or bool(profile)
    if key == "enum" and isinstance(own, list):
        allowed = set(map(str, profile))
        return [value for value in own if str(value) in allowed]
    if key in ("minimum", "minLength") and isinstance(own, _NUMBER):
        return max(own, profile)
    if key in ("maximum", "maxLength") and isinstance(own, _NUMBER):
        return min(own, profile)
    return profile  # a pattern (or anything else) of the profile's own is kept as it is


def _foreign_keys(own: Any, profile: list[dict[str, Any]]) -> list[Any]:
    kept = list(own) if isinstance(own, list) else []
    return kept + [key for key in profile if key not in kept]


def keep_profile(own: dict[str, Any], profile: dict[str, Any]) -> dict[str, Any]:
    """`own` with every constraint, primary key and foreign key of `profile` enforced."""
    effective = copy.deepcopy(own)
    rules = {str(f["name"]): f.get("constraints") or {} for f in profile.get("fields", [])}
    for field in effective.get("fields", []):
        if not isinstance(field, dict) or str(field.get("name")) not in rules:
            continue
        wanted = rules[str(field.get("name"))]
        if not wanted:
            continue
        constraints = field.get("constraints")
        constraints = dict(constraints) if isinstance(constraints, dict) else {}
        for key, value in wanted.items():
            constraints[key] = _stricter(key, constraints.get(key), value)
        field["constraints"] = constraints
    if profile.get("primaryKey"):
        effective["primaryKey"] = list(profile["primaryKey"])
    if profile.get("foreignKeys"):
        effective["foreignKeys"] = _foreign_keys(own.get("foreignKeys"), profile["foreignKeys"])
    return effective
