"""Read-only SQL over every published table (CKAN's `datastore_search_sql`, the SQL page)."""

__all__: list[str] = []  # a face of modules: import them by name
