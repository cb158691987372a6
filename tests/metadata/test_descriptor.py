"""The typed descriptor says what published descriptors hold: every declared key that a
shipped package carries has the declared kind (mypy trusts these records at the boundary)."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import pytest

from portal.metadata.descriptor import Descriptor, License, ResourceSpec, SchemaField
from tests.packages import DATASETS

PACKAGES = sorted(DATASETS.glob("*/datapackage.json"))


def _kind(hint: object) -> tuple[type, ...]:
    """The runtime classes a hint allows at its outer level (`list[str] | str` -> list, str)."""
    options = typing.get_args(hint) if typing.get_origin(hint) is typing.Union else (hint,)
    kinds = tuple(typing.get_origin(o) or o for o in options)
    return tuple(dict if typing.is_typeddict(k) else k for k in kinds)  # a record is a dict


def _conforms(record: dict[str, object], declared: type) -> list[str]:
    hints = typing.get_type_hints(declared)
    return [
        f"{key}: {type(value).__name__}"
        for key, value in record.items()
        if key in hints and not isinstance(value, _kind(hints[key]))
    ]


@pytest.mark.parametrize("path", PACKAGES, ids=lambda p: p.parent.name)
def test_a_shipped_descriptor_has_the_declared_kinds(path: Path) -> None:
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert _conforms(descriptor, Descriptor) == []
    for licence in descriptor.get("licenses", []):
        assert _conforms(licence, License) == []
    for resource in descriptor["resources"]:
        assert _conforms(resource, ResourceSpec) == []
        for field in (resource.get("schema") or {}).get("fields", []):
            assert _conforms(field, SchemaField) == []


def test_a_wrong_kind_is_noticed() -> None:
    assert _conforms({"sample": "yes", "keywords": ["x"]}, Descriptor) == ["sample: str"]
