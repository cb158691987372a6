"""Derived downloads: spreadsheet-safe CSV, JSON records, XLSX, filtered rows, package.zip.

The raw `.csv` is always the exact published object; everything here is computed from
it, streamed row by row where the format allows, so memory stays flat.
"""

__all__: list[str] = []  # a face of modules: import them by name
