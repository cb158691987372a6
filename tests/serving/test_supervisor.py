"""`glasswall serve --workers 2`: two portals behind HAProxy, sticky pages, a worker killed."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from portal.config import Settings
from portal.serving.balancer import COOKIE
from portal.serving.page_client import PageClient, PageRun

DATASET = "lang=fa&dataset=mrud-yazd/infrastructure-projects"


def _run_apart(function: Any, *args: Any) -> Any:
    """Run a coroutine function in a thread of its own: in one pytest session the browser
    tests' sync Playwright keeps an event loop running in the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(function(*args))).result()


def _state(settings: Settings) -> dict[str, object]:
    return dict(json.loads((settings.home / "run" / "serve.json").read_text()))


def _cookie_of(settings: Settings, worker: str) -> str:
    """The sticky cookie's value for `worker` in this run (random at every start)."""
    config = (settings.home / "run" / "haproxy.cfg").read_text(encoding="utf-8")
    found = re.search(rf"^\s*server {worker} \S+ cookie (\S+) ", config, flags=re.MULTILINE)
    assert found is not None, config
    return found.group(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def _page(url: str, cookie: str, page: str, query: str) -> PageRun:
    async with PageClient(url, cookie=f"{COOKIE}={cookie}", timeout=90) as client:
        return await client.run(page, query)


@pytest.mark.slow
def test_pages_stick_to_a_worker_that_survives_the_death_of_another(
    balanced: str, settings: Settings
) -> None:
    state = _state(settings)
    workers = state["workers"]
    assert isinstance(workers, list) and len(workers) == 2
    # The balancer names the worker in a cookie on the dashboard's first answer; the door's
    # pages (a reader holds no session) and open data carry none.
    first = httpx.get(f"{balanced}/_stcore/host-config")
    w1 = _cookie_of(settings, "w1")
    assert w1 not in {"w1", "w2"}
    assert first.status_code == 200
    assert first.cookies.get(COOKIE) in {w1, _cookie_of(settings, "w2")}
    assert COOKIE not in httpx.get(f"{balanced}/api/3/action/package_list").cookies
    assert COOKIE not in httpx.get(f"{balanced}/").cookies
    before = _run_apart(_page, balanced, w1, "dataset", DATASET)
    assert before.ok, before
    # w1 dies under its citizen; the tab's reconnect lands on w2 and the page runs again.
    victim = int(workers[0]["pid"])
    os.kill(victim, signal.SIGKILL)
    after = _run_apart(_page, balanced, w1, "dataset", DATASET)
    assert after.ok, after
    assert after.counts() == before.counts()
    # Open data keeps answering meanwhile, and the supervisor brings w1 back.
    for _ in range(5):
        assert httpx.get(f"{balanced}/api/3/action/package_list").status_code == 200
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        restarted = _state(settings)["workers"]
        assert isinstance(restarted, list)
        if restarted[0]["restarts"] == 1 and _alive(int(restarted[0]["pid"])):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the killed worker was not restarted")
    assert not _alive(victim)
