"""A CKAN-compatible Action API over the published catalog (read-only)."""
