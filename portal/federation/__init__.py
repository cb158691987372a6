"""Federation with CKAN portals: push the catalog into one, pull packages from one."""

__all__: list[str] = []  # a face of modules: import them by name
