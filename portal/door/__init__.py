"""The door in the glass wall: every public address answers with its content.

Server-rendered pages (from per-publication view models), the tags that make a link
travel (Open Graph, JSON-LD, sitemap), and the 404 for addresses that name nothing.
`front.Door` is the ASGI piece the composition root puts in front of the dashboard.
"""

from __future__ import annotations

__all__: list[str] = []
