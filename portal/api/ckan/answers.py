"""Encoded answers of read-only actions, kept until the next publication.

Between two publications the same question has the same answer, so a popular
`package_show` or `package_search` is served from memory without running the action.
The key holds the catalog generation: a publication makes every older answer unreachable.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from portal.api.ckan.index import CatalogIndex

AnswerKey = tuple[tuple[int, int], str, str, str]
MAX_ANSWER_BYTES = 256 * 1024
BUDGET_BYTES = 64 * 1024 * 1024  # whatever questions arrive, the cache stays this small


class AnswerCache:
    def __init__(self) -> None:
        self._answers: OrderedDict[AnswerKey, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(
        index: CatalogIndex, base_url: str, name: str, data: dict[str, Any]
    ) -> AnswerKey | None:
        try:
            params = json.dumps(data, sort_keys=True, ensure_ascii=False)
        except (TypeError, ValueError):
            return None
        return (index.snapshot.generation, base_url, name, params)

    def get(self, key: AnswerKey | None) -> bytes | None:
        if key is None:
            return None
        with self._lock:
            body = self._answers.get(key)
            if body is not None:
                self._answers.move_to_end(key)
            return body

    def put(self, key: AnswerKey, body: bytes) -> None:
        if len(body) > MAX_ANSWER_BYTES:
            return
        with self._lock:
            if key in self._answers:
                return
            self._answers[key] = body
            self._bytes += len(body)
            while self._bytes > BUDGET_BYTES:
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped)


ANSWERS = AnswerCache()
