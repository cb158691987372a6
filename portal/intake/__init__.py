"""Intake: an upload (folder, zip, workbook, CSV) unpacked, bounded and built into a package."""

__all__: list[str] = []
