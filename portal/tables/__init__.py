"""Tables: the one reader of a published table and the one search over rows."""

__all__: list[str] = []
