"""The structural layer: one tabular resource against its Table Schema, frictionless-exact.

`scalar` holds the reference semantics for one cell; `vector` applies them to whole
Arrow columns with fast paths; `reader` turns a CSV into batches; `header` checks the
labels; `integrity` the unique, primary and foreign keys; `validate` runs them all.
"""

__all__: list[str] = []  # a face of modules: import them by name
