"""`--json` output: the same data whatever its size, long lists one item per line."""

from __future__ import annotations

import json

import pytest

from portal.cli.output import LONG_LIST, print_json


@pytest.mark.parametrize("count", [0, 3, LONG_LIST + 1, 5000])
def test_print_json_round_trips(count: int, capsys: pytest.CaptureFixture[str]) -> None:
    findings = [
        {"code": "type-error", "row": i, "cell": 'a "quoted"\n{cell}', "message": {"fa": "ردیف"}}
        for i in range(count)
    ]
    data = {"valid": False, "counts": {"type-error": count}, "findings": findings, "empty": {}}
    print_json(data)
    out = capsys.readouterr().out
    assert json.loads(out) == data
    if count > LONG_LIST:  # each finding on its own line, Persian as it is
        assert len(out.splitlines()) >= count
        assert '"fa": "ردیف"' in out
