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
_folder: list[Traversable] = [VALIDATORS_DIR]
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


def use_rule_packs(folder: Path | None) -> None:
    """Read rule packs from `folder` (the `validators` setting) instead of the shipped ones.

    Rule packs are part of the program, like the profiles; the composition root may point
    them at an operator's folder once, before anything validates.
    """
    chosen = folder if folder is not None else VALIDATORS_DIR
    if chosen != _folder[0]:
        _folder[0] = chosen
        load_pack.cache_clear()
        province_boxes.cache_clear()


@cache
def load_pack(name: str) -> Pack:
    with (_folder[0] / f"{name}.yaml").open(encoding="utf-8") as handle:
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


@cache
def province_boxes() -> dict[str, tuple[float, float, float, float]]:
    """Approximate bounding boxes (south, north, west, east) of the 31 provinces."""
    boxes = {}
    lines = (_folder[0] / "province_boxes.csv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        code, south, north, west, east = line.split(",")
        boxes[code] = (float(south), float(north), float(west), float(east))
    return boxes
