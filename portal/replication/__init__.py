"""Replication: read-only copies fed by a writer, and checks of a portal from outside."""
