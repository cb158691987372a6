"""The embedded store: `$GLASSWALL_HOME/{catalog.sqlite, objects/, log.jsonl}`.

Its face is `portal.store.store`: `reading(home)` for a page run or a request,
`writing(home)` for a command that changes an existing store, named queries on `Store`,
`store.run(...)` for the queries and commands of the other store modules (`agencies` holds
agencies, `members`, `drafts`, `releases`, `feedback`...), `store.transaction()` for what
commits together. Schema changes in `portal.store.migrations` (each part's steps in
`portal/store/schema/`); file names in `portal.store.files`; copies in `portal.store.backup`.
"""

from __future__ import annotations

from portal.store.store import Store, reading, resource_spec, writing

__all__ = ["Store", "reading", "resource_spec", "writing"]
