"""Published metadata in the shapes others read: CKAN dicts, DCAT-AP, schema.org."""

__all__: list[str] = []  # a face of modules: import them by name
