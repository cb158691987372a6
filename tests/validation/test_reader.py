"""The CSV reader's quote-parity scan decides between Arrow and Python's csv module."""

from __future__ import annotations

from pathlib import Path

from portal.validation.table import reader


def test_quote_parity_carries_across_chunks(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(reader, "SCAN_CHUNK", 7)  # every line spans chunks
    balanced = tmp_path / "balanced.csv"
    balanced.write_bytes(b'"id","name"\n"1","a, b"\n"2","c"\n')
    assert reader.has_odd_quotes(balanced, b'"') is False
    spanning = tmp_path / "spanning.csv"
    spanning.write_bytes(b'"id","name"\n"1","line\nbreak"\n')
    assert reader.has_odd_quotes(spanning, b'"') is True
