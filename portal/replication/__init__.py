"""Replication: read-only copies fed by a writer, and checks of a portal from outside."""

__all__: list[str] = []
