"""validators/README.md, generated from the rule packs so the reference cannot drift.

`python -m portal.validation.rules_doc` rewrites it; a test fails when it is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from portal.validation.rules.packs import PACKS, SHIPPED, VALIDATORS_DIR

INTRO = """# Validators: rule packs of Glass Wall

Generated from `validators/*.yaml` by `python -m portal.validation.rules_doc`; do not edit
by hand (a test compares this file with the packs).

Every package is checked in three layers, all in one pass over the data:

1. **Structure** (`portal/validation/table`): the Table Schema of each resource, with
   frictionless-py 5 semantics: labels (blank, duplicate, missing, extra, incorrect),
   cells (missing, extra, blank rows), types, constraints (required, minimum/maximum,
   minLength/maxLength, pattern, enum), unique fields, primary and foreign keys, byte
   count, hash and encoding. Codes and row numbers are frictionless's own
   (`type-error`, `constraint-error`, ...; the header is row 1); a differential test
   checks 320 mutated packages against frictionless-py. Profiled resources (`projects`,
   `indicators`, `observations`) get the profile schema with its codelists as `enum`s.
   A publisher's own schema cannot loosen it: every profile constraint (`required`,
   `unique`, `enum`, `minimum`/`maximum`, `pattern`) applies besides the own one, and the
   primary and foreign keys are the profile's (projects `id`; indicators `indicator_id`;
   observations `indicator_id`, `period`, `province`, `county`), so a repeated key is an
   error with its row. A table with a profile's required columns under another name is
   refused (`profile-table-misnamed`): a renamed projects table is still the projects table.
2. **Rule packs** (below): accuracy and completeness rules of each profile, rules on the
   package metadata, and rules on Persian input. Each rule has a code, a severity
   (an **error** blocks publishing; a **warning** is published with the version and
   shown publicly), a rule type (a small unit in `portal/validation/rules`) and its
   parameters. Messages, in Persian and English, are in `portal/locales`. The packs
   `revisions` (a new version against the published one; each finding needs a public
   explanation) and `signals` (distortion patterns, "worth a look") run on publish; their
   methods follow the tables.
3. **Quality score** (end of this page).

Findings give the resource, the row (as frictionless numbers it) and the field, the
offending cell only (never other columns of the row), and a suggested fix where one
exists; `glasswall validate PATH --fix OUT` applies the suggestions to a copy.
"""


# Method notes appended after the tables, in this order.
APPENDICES = ("revisions.md", "signals.md", "score.md")


def render() -> str:
    parts = [INTRO]
    for name in PACKS:
        pack = SHIPPED.pack(name)
        parts.append(f"## Pack `{name}` (`validators/{name}.yaml`)\n")
        if pack.resource:
            parts.append(
                f"Applies to the resource `{pack.resource}` of profile `{pack.profile}`.\n"
            )
        parts.append("| code | severity | type | what it checks | why | example |")
        parts.append("|---|---|---|---|---|---|")
        for rule in pack.rules:
            cells = [
                f"`{rule.code}`",
                rule.severity,
                f"`{rule.type}`",
                rule.what,
                rule.why,
                rule.example,
            ]
            parts.append("| " + " | ".join(cell.replace("|", "\\\\|") for cell in cells) + " |")
        parts.append("")
    for appendix in APPENDICES:
        parts.append((VALIDATORS_DIR / appendix).read_text(encoding="utf-8"))
    return "\n".join(parts)


def main() -> None:
    # A tool for the checkout: the shipped packs are the `validators/` folder itself.
    target = Path(str(VALIDATORS_DIR / "README.md"))
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {target}\n")


if __name__ == "__main__":
    main()
