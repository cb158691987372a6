"""Rule packs as data: `validators/{projects,indicators,metadata,input,revisions,signals}.yaml`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from portal.validation.report import Severity

# The shipped rule packs: the top-level `validators/` folder, packaged as `portal/rulepacks`.
VALIDATORS_DIR: Traversable = files("portal") / "rulepacks"
PACKS = ("projects", "indicators", "metadata", "input", "revisions", "signals")


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    type: str
    params: dict[str, Any]
    what: str
    why: str
    example: str


@dataclass(frozen=True)
class Pack:
    profile: str
    resource: str | None
    rules: tuple[Rule, ...] = field(default_factory=tuple)

    def of_type(self, *types: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.type in types]


class RulePacks:
    """The rule packs of one folder, each read once: the shipped ones (`SHIPPED`) or an
    operator's (the `validators` setting, through `rule_packs`). Passed to whatever
    validates, so two portals in one process (or two tests) never share a switch."""

    def __init__(self, folder: Traversable) -> None:
        self.folder = folder
        self._packs: dict[str, Pack] = {}
        self._boxes: dict[str, tuple[float, float, float, float]] | None = None

    def __repr__(self) -> str:
        return f"RulePacks({str(self.folder)!r})"

    def pack(self, name: str) -> Pack:
        if name not in self._packs:
            self._packs[name] = _read_pack(self.folder / f"{name}.yaml")
        return self._packs[name]

    def province_boxes(self) -> dict[str, tuple[float, float, float, float]]:
        """Approximate bounding boxes (south, north, west, east) of the 31 provinces."""
        if self._boxes is None:
            self._boxes = _read_boxes(self.folder / "province_boxes.csv")
        return self._boxes

    def open_licenses(self) -> set[str]:
        """The licences the metadata pack counts as open (the score's reusability)."""
        rule = next(r for r in self.pack("metadata").rules if r.type == "license_open")
        return {str(name) for name in rule.params["open"]}


SHIPPED = RulePacks(VALIDATORS_DIR)


@cache
def rule_packs(folder: Path | None) -> RulePacks:
    """The packs of the `validators` setting: `folder`, or the shipped ones; one object per
    folder, so each is read once however many publications use it."""
    return SHIPPED if folder is None else RulePacks(folder)


def _read_pack(path: Traversable) -> Pack:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml
    rules = tuple(
        Rule(
            code=str(item["code"]),
            severity=item["severity"],
            type=str(item["type"]),
            params=dict(item.get("params") or {}),
            what=str(item["what"]),
            why=str(item["why"]),
            example=str(item["example"]),
        )
        for item in data["rules"]
    )
    return Pack(str(data["profile"]), data.get("resource"), rules)


def _read_boxes(path: Traversable) -> dict[str, tuple[float, float, float, float]]:
    boxes = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        code, south, north, west, east = line.split(",")
        boxes[code] = (float(south), float(north), float(west), float(east))
    return boxes
