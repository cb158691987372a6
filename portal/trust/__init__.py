"""Trust across versions: cross-version checks, explanations, histories, signals and feeds.

Reads published versions through `portal.store` and tables through `portal.tables.reader`;
`portal.publishing.publish` calls `check` and `signals` before it commits a version.
"""

__all__: list[str] = []  # a face of modules: import them by name
