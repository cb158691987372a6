"""An own schema keeps the profile's constraints: the stricter of the two always applies."""

from __future__ import annotations

from typing import Any

from portal.profiles import profile_schema
from portal.profiles.constraints import keep_profile


def _field(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return next(f for f in schema["fields"] if f["name"] == name)


def _loosened() -> dict[str, Any]:
    own = profile_schema("projects")
    own.pop("primaryKey")
    for field in own["fields"]:
        field.pop("constraints", None)
    return own


def test_dropped_constraints_and_key_come_back_from_the_profile() -> None:
    effective = keep_profile(_loosened(), profile_schema("projects"))
    assert effective["primaryKey"] == ["id"]
    assert _field(effective, "id")["constraints"] == {"required": True, "unique": True}
    status = _field(effective, "status")["constraints"]
    assert status["required"] is True and "identification" in status["enum"]
    assert _field(effective, "physical_progress_pct")["constraints"] == {
        "minimum": 0,
        "maximum": 100,
    }


def test_the_stricter_of_own_and_profile_wins() -> None:
    own = profile_schema("projects")
    _field(own, "status")["constraints"]["enum"] = ["implementation", "Completed"]
    _field(own, "physical_progress_pct")["constraints"] = {"minimum": -5, "maximum": 50}
    _field(own, "budget_irr")["constraints"] = {"minimum": 1000}
    own["primaryKey"] = ["id", "province"]
    effective = keep_profile(own, profile_schema("projects"))
    assert _field(effective, "status")["constraints"]["enum"] == ["implementation"]
    assert _field(effective, "physical_progress_pct")["constraints"] == {
        "minimum": 0,
        "maximum": 50,
    }
    assert _field(effective, "budget_irr")["constraints"] == {"minimum": 1000}
    assert effective["primaryKey"] == ["id"]


def test_observations_keep_their_key_and_their_reference() -> None:
    own = profile_schema("observations")
    own.pop("primaryKey")
    own.pop("foreignKeys")
    effective = keep_profile(own, profile_schema("observations"))
    assert effective["primaryKey"] == ["indicator_id", "period", "province", "county"]
    assert effective["foreignKeys"][0]["reference"]["resource"] == "indicators"


def test_fields_beyond_the_profile_are_left_as_declared() -> None:
    own = profile_schema("projects")
    own["fields"].append({"name": "district", "type": "string", "constraints": {"maxLength": 9}})
    effective = keep_profile(own, profile_schema("projects"))
    assert _field(effective, "district")["constraints"] == {"maxLength": 9}
