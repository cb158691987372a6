"""A CKAN-compatible Action API over the published catalog (read-only)."""

__all__: list[str] = []  # a face of modules: import them by name
