#!/usr/bin/env python3
"""What a phone on a slow network shows 2.5 s after a link is opened: screenshots for the README.

    python scripts/slow_phone_screenshots.py --base http://127.0.0.1:PORT --label after
                                             [--at 2.5] [--out docs/screenshots]

The same conditions as scripts/bench_slow_phone.py (Lighthouse's mobile network through
CDP, a 390 px viewport, a cold cache), for any running portal, so that a checkout from
before the server-rendered pages can be shown beside today's. For home, a dataset and a
project card: a screenshot of the viewport `--at` seconds after navigation began
(docs/screenshots/slow-phone-PAGE-LABEL.png), the bytes on the wire by then, and the times
at which a heading and the headline figures became visible (the dashboard's metric tiles or
the server's figures, whichever comes first; a page without either has no figures time) with
the bytes moved by then. Results: bench-results/slow-phone-screenshots-LABEL.{json,md}.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from bench_output import write_results  # noqa: E402
from bench_slow_phone import SLOW_4G  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as NotDrawn  # noqa: E402

from portal.serving.launch import CHROMIUM_FLAGS  # noqa: E402

PAGES = {
    "home": "/?lang=fa",
    "dataset": "/dataset?dataset=mrud-yazd/infrastructure-projects&lang=fa",
    "project": "/projects?project=mrud-yazd-0001&lang=fa",
}
# When a heading and the headline figures were first on screen, whoever drew them (the
# server's page or the dashboard), checked every animation frame from the document's start.
WATCH = """
window.__seen = {};
const visible = (selector) => [...document.querySelectorAll(selector)]
  .some((e) => e.innerText.trim() && e.offsetParent);
const frame = () => {
  const now = performance.now();
  if (!window.__seen.heading && visible("h1")) window.__seen.heading = now;
  if (!window.__seen.figures && visible('.gw-figures, [data-testid="stMetricValue"]'))
    window.__seen.figures = now;
  if (!(window.__seen.heading && window.__seen.figures)) requestAnimationFrame(frame);
};
requestAnimationFrame(frame);
"""


def _seen(page: Page, limit_s: float) -> dict[str, float | None]:
    """Seconds since navigation at which the heading and the figures showed (None: not
    within `limit_s`)."""
    with contextlib.suppress(NotDrawn):
        page.wait_for_function(
            "() => window.__seen && window.__seen.heading && window.__seen.figures",
            timeout=limit_s * 1000,
        )
    seen = page.evaluate("window.__seen || {}")
    return {k: round(seen[k] / 1000, 2) if seen.get(k) else None for k in ("heading", "figures")}


def shoot(browser: Browser, base: str, name: str, address: str, args: argparse.Namespace) -> dict:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fa-IR")
    page = context.new_page()
    page.add_init_script(WATCH)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    done: list[tuple[float, int]] = []  # (monotonic when, bytes on the wire)
    cdp.on(
        "Network.loadingFinished",
        lambda e: done.append((time.monotonic(), int(e["encodedDataLength"]))),
    )
    started = time.monotonic()
    page.goto(base + address, wait_until="commit", timeout=120_000)
    page.wait_for_timeout(max(0.0, args.at - (time.monotonic() - started)) * 1000)
    shot = args.out / f"slow-phone-{name}-{args.label}.png"
    page.screenshot(path=str(shot))
    taken = time.monotonic()
    seen = _seen(page, args.limit)

    def kb_by(seconds: float | None) -> float | None:
        if seconds is None:
            return None
        return round(sum(n for t, n in done if t - started <= seconds) / 1024, 1)

    row = {
        "page": name,
        "address": address,
        "screenshot": str(shot.relative_to(REPO)) if shot.is_relative_to(REPO) else str(shot),
        "shot_at_s": round(taken - started, 2),
        "kb_by_shot": kb_by(taken - started),
        "heading_s": seen["heading"],
        "kb_by_heading": kb_by(seen["heading"]),
        "figures_s": seen["figures"],
        "kb_by_figures": kb_by(seen["figures"]),
    }
    context.close()
    print(row, flush=True)
    return row


def markdown(label: str, rows: list[dict]) -> str:
    lines = [
        f"`{label}`: Lighthouse mobile network (1.6 Mbit/s, 150 ms RTT), 390 px, cold cache, "
        "real Chromium; screenshot at the time given.",
        "",
        "| page | screenshot at s | KB by then | heading visible s | KB by heading "
        "| figures visible s | KB by figures |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['page']} | {r['shot_at_s']} | {r['kb_by_shot']} | {r['heading_s']} | "
            f"{r['kb_by_heading']} | {r['figures_s']} | {r['kb_by_figures']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--base", required=True, help="a running portal, e.g. http://127.0.0.1:8501"
    )
    parser.add_argument("--label", required=True, help="before / after: in the file names")
    parser.add_argument("--at", type=float, default=2.5, help="seconds after navigation")
    parser.add_argument("--limit", type=float, default=90.0, help="longest wait for figures")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--results", type=Path, default=REPO / "bench-results")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS
        )
        rows = [shoot(browser, args.base, n, a, args) for n, a in PAGES.items()]
        browser.close()
    name = f"slow-phone-screenshots-{args.label}"
    write_results(
        name, {"label": args.label, "pages": rows}, markdown(args.label, rows), args.results
    )


if __name__ == "__main__":
    main()
