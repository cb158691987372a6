"""One module per part of the portal that owns tables: `MIGRATIONS`, a tuple of SQL steps.

Add a module to add a part; append a step to change one. See `portal.store.migrations`.
"""

__all__: list[str] = []  # a face of modules: import them by name
