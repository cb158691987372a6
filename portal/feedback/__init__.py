"""The two-way channel: citizens ask about or flag a figure; the agency answers in public.

Items live in the embedded store beside the publications, with the same durability. What a
citizen wrote is public only after the agency (or an operator) approves it; a contact
address is stored apart and never leaves the store.

This package checks and receives items; their tables, records and queries are the store's
(`portal.store.feedback`, `portal.store.feedback_records`, migrations in
`portal/store/schema/feedback.py`).
"""

__all__: list[str] = []  # a face of modules: import them by name
