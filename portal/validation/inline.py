"""Inline schema and dialect files into the descriptor, so a stored version is self-contained."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from portal.intake.descriptor_safety import normalized, resource_label
from portal.validation.report import Finding


def inline_references(
    descriptor: dict[str, Any], root: Path
) -> tuple[dict[str, Any], list[Finding]]:
    effective = copy.deepcopy(descriptor)
    findings = []
    for index, resource in enumerate(effective["resources"]):
        for key in ("schema", "dialect"):
            reference = resource.get(key)
            if not isinstance(reference, str):
                continue
            try:
                loaded = json.loads((root / normalized(reference)).read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, ValueError) as error:
                findings.append(
                    Finding.make(
                        "reference-unreadable",
                        "error",
                        resource=resource_label(resource, index),
                        field=key,
                        file=reference,
                        reason=str(error)[:200],
                    )
                )
                continue
            resource[key] = loaded
    return effective, findings
