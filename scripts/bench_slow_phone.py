#!/usr/bin/env python3
"""Benchmark: what a phone on a slow network sees, page by page (real Chromium, CDP).

    python scripts/bench_slow_phone.py [--name slow-phone]

Lighthouse's mobile network (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip) through
`Network.emulateNetworkConditions`, a 390 px viewport, a cold cache per page. For each
public page: the time until its heading and its headline figures are visible, the first
contentful paint, the bytes on the wire until the heading shows, and, for the home page,
everything moved until the dashboard has drawn its own headline figures.
Results: bench-results/NAME.json and NAME.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from bench_crowd import publish  # noqa: E402
from bench_output import write_results  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from portal.serving.launch import CHROMIUM_FLAGS, free_port, start_server, wait_until_healthy  # noqa: E402

SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
PAGES = [
    "/",
    "/projects",
    "/projects?project=mrud-yazd-0001",
    "/dataset",
    "/dataset?dataset=mrud-yazd/infrastructure-projects",
    "/indicators",
    "/agencies",
    "/about",
]


PAINTS = """() => new Promise((done) => {
  const found = {};
  const finish = () => done(found);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) found[e.name || e.entryType] = e.startTime;
  }).observe({type: "paint", buffered: true});
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) found["largest-contentful-paint"] = e.startTime;
  }).observe({type: "largest-contentful-paint", buffered: true});
  setTimeout(finish, 500);
})"""


def measure(browser: object, base: str, address: str, dashboard: bool) -> dict:
    """Times from the start of navigation, as the page's own performance timeline says;
    bytes are those of the requests finished before the first contentful paint (headers
    and compressed bodies, as CDP counts them)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    done: list[tuple[float, int]] = []  # (when, bytes on the wire) per finished request
    clock: dict[str, float] = {}

    def sent(event: dict) -> None:
        clock.setdefault("offset", float(event["wallTime"]) - float(event["timestamp"]))

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on(
        "Network.loadingFinished",
        lambda e: done.append((float(e["timestamp"]), int(e["encodedDataLength"]))),
    )
    page.goto(base + address, wait_until="commit", timeout=120_000)
    page.wait_for_function(
        "() => performance.getEntriesByName('first-contentful-paint').length > 0",
        timeout=120_000,
    )
    page.wait_for_selector(".gw-door h1", timeout=120_000)  # still the server's page
    paints = page.evaluate(PAINTS)
    origin = page.evaluate("performance.timeOrigin") / 1000
    first = paints["first-contentful-paint"] / 1000
    painted_at = origin + first - clock["offset"]  # on the network's clock
    row = {
        "page": address,
        "first_contentful_paint_s": round(first, 2),
        "largest_contentful_paint_s": round(paints.get("largest-contentful-paint", 0) / 1000, 2),
        "kb_before_first_paint": round(sum(n for t, n in done if t <= painted_at) / 1024, 1),
    }
    if dashboard:
        page.wait_for_selector('[data-testid="stMetricValue"]', timeout=300_000)
        page.wait_for_timeout(3000)
        row["dashboard_s"] = round(page.evaluate("performance.now()") / 1000, 1)
        row["kb_with_dashboard"] = round(sum(n for _, n in done) / 1024)
        row["requests_with_dashboard"] = len(done)
    context.close()
    return row


def markdown(rows: list[dict]) -> str:
    lines = [
        "Lighthouse mobile network (1.6 Mbit/s, 150 ms RTT), 390 px, cold cache, real Chromium.",
        "",
        "| page | first contentful paint s | largest contentful paint s | KB before first paint |",
        "|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| `{r['page']}` | {r['first_contentful_paint_s']} | "
            f"{r['largest_contentful_paint_s']} | {r['kb_before_first_paint']} |"
        )
    home = rows[0]
    if "kb_with_dashboard" in home:
        lines += [
            "",
            f"Home with the dashboard drawn: {home['dashboard_s']} s, "
            f"{home['kb_with_dashboard']} KB in {home['requests_with_dashboard']} requests.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--name", default="slow-phone")
    parser.add_argument("--out", type=Path, default=REPO / "bench-results")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-phone-") as tmp:
        home = Path(tmp) / "var"
        publish(home, None)
        port = free_port()
        with (Path(tmp) / "server.log").open("w") as log:
            server = start_server(home, port, log)
            try:
                base = f"http://127.0.0.1:{port}"
                if not wait_until_healthy(base, timeout=120):
                    sys.exit((Path(tmp) / "server.log").read_text())
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
                    )
                    rows = [measure(browser, base, p, p == "/") for p in PAGES]
                    browser.close()
            finally:
                server.terminate()
                server.wait(timeout=30)
    write_results(args.name, {"pages": rows}, markdown(rows), args.out)


if __name__ == "__main__":
    main()
