"""What a citizen's browser checks on every page: axe-core, Persian leaks, direction.

Run inside the real page (Chromium) so they see what a reader sees: computed styles,
visible text and placeholders, after Streamlit has drawn everything.
"""

from __future__ import annotations

import contextlib
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

AXE = Axe()
# WCAG 2.0-2.2 A and AA; axe-core's best practices are not part of the promise.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
}


def settle(page: Page) -> None:
    """Wait until Streamlit has run the page and every Plotly chart is drawn."""
    page.wait_for_selector('[data-testid="stAppViewContainer"]')
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=30_000)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
              .every((c) => c.querySelector('.main-svg'))""",
        timeout=30_000,
    )
    # The page's own script puts Streamlit's words in Persian a moment after drawing; if
    # it never does, the leak check names what stayed English.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            """() => document.documentElement.lang !== "fa" || ![...document.querySelectorAll(
                  '[data-testid="stSkipToContent"]')].some((a) => /Skip/.test(a.textContent))""",
            timeout=10_000,
        )
    page.wait_for_timeout(300)


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical WCAG A/AA violations, one line each."""
    results = AXE.run(page, options=AXE_OPTIONS)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [str(node.get("target")) for node in violation.get("nodes", [])][:3]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


# Text that is data or a code, allowed on a Persian page in Latin script or digits.
LEAK_SCRIPT = r"""
() => {
  const allowedWords = new Set(%(words)s);
  const allowedToken = [
    /^https?:\/\//, /\//, /^[0-9a-f]{16,}$/i, /@/, /^sha256$/i,
    /^[a-z0-9.]+(-[a-z0-9.]+)+$/i,    // slugs, ids, licences: mrud-yazd-0001, CC-BY-4.0
    /^[a-z_]+\.[a-z_.]+$/i,           // file and field names: projects.csv, transport.road
    /^[a-z]+_[a-z_]+$/i,              // API names: package_show
  ];
  const isData = (el) => el.closest(
    'code, pre, [data-testid="stDataFrame"], [data-testid="stTable"], [role="grid"], ' +
    '[lang]:not(html), [data-testid="stCode"], .gw-ltr, svg, script, style, noscript, ' +
    '[data-testid="stIconMaterial"]'
  );
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden" &&
      style.display !== "none";
  };
  const persian = /[\u0600-\u06FF]/;
  const leaks = [], latinDigits = [], notRtl = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    const text = node.textContent.trim();
    if (!text || !el || !visible(el)) continue;
    if (isData(el)) continue;
    for (const token of text.split(/[\s\u00a0·:,;()«»"'؛،]+/)) {
      if (!token) continue;
      if (/[A-Za-z]{2,}/.test(token) && !allowedWords.has(token) &&
          !allowedToken.some((re) => re.test(token))) leaks.push(`${token} in «${text}»`);
      else if (/[0-9]/.test(token) && !allowedToken.some((re) => re.test(token)))
        latinDigits.push(`${token} in «${text}»`);
    }
    if (persian.test(text) && !seen.has(el)) {
      seen.add(el);
      if (getComputedStyle(el).direction !== "rtl") notRtl.push(`${el.tagName}: «${text}»`);
    }
  }
  for (const input of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
    const text = input.placeholder;
    if (visible(input) && /[A-Za-z]{2,}/.test(text)) leaks.push(`placeholder «${text}»`);
  }
  return {leaks, latinDigits, notRtl};
}
"""
ALLOWED_WORDS = [
    "English",  # the language switch names English in English
    "CSV",
    "XLSX",
    "JSON",
    "ZIP",
    "DCAT-AP",
    "API",
    "CKAN",
    "UTF-8",
    "sha256",
    "sha256sum",
    "glasswall",
    "verify",
    "Excel",
    "zip",
    "JSON-LD",
    "Atom",  # feed formats, named like CSV
    "RSS",
    "SQL",  # the query language, named like CSV and JSON
]


def persian_leaks(page: Page) -> dict[str, Any]:
    """Latin words that are not data, Latin digits outside data, Persian text not RTL."""
    script = LEAK_SCRIPT % {"words": repr(ALLOWED_WORDS)}
    result: dict[str, Any] = page.evaluate(script)
    return result


def document_language(page: Page) -> tuple[str, str]:
    lang, direction = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
    return str(lang), str(direction)


def small_targets(page: Page) -> list[str]:
    """The portal's own links and buttons (page links, downloads, the footer, the navigation)
    smaller than 24 by 24 px (WCAG 2.5.8); Streamlit's widget internals are left to axe's
    `target-size` rule, which knows the spacing exception."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll(`[data-testid="stPageLink"] a,
                   [data-testid="stDownloadButton"] button, .gw-footer a,
                   [data-testid="stSidebarNav"] a, [data-testid="stBaseButton-secondary"]`)]
          .filter((el) => {
            const box = el.getBoundingClientRect();
            return box.width > 0 && box.height > 0 && (box.width < 24 || box.height < 24);
          })
          .map((el) => `${el.tagName} «${(el.innerText || el.ariaLabel || "").trim()}» ` +
                       `${Math.round(el.getBoundingClientRect().width)}x` +
                       `${Math.round(el.getBoundingClientRect().height)}`)"""
    )
    return found


def problems(page: Page, lang: str) -> list[str]:
    """Everything wrong with the page as it stands, so one failure lists them all."""
    found = [f"axe: {v}" for v in serious_violations(page)]
    found += [f"target: {v}" for v in small_targets(page)]
    if lang == "fa":
        leaks = persian_leaks(page)
        found += [f"latin: {v}" for v in leaks["leaks"]]
        found += [f"digits: {v}" for v in leaks["latinDigits"]]
        found += [f"not rtl: {v}" for v in leaks["notRtl"]]
    return found
