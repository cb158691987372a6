"""Glass Wall: a Persian-first transparency open-data portal.

The data flows one way: intake -> validation -> store -> (web, api, ckan).
"""

from __future__ import annotations

__all__ = [
    "__version__",
]

__version__ = "0.1.0"
