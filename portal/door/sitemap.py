"""`/sitemap.xml` and `/robots.txt`: every page, dataset, agency and project card a crawler
should read, each with the time it last changed (from the publication log)."""

from __future__ import annotations

from urllib.parse import urlencode
from xml.sax.saxutils import escape

from portal import pages as site
from portal.door.published import Publication
from portal.door.render import in_language

LIMIT = 50_000  # the sitemap protocol's most URLs per file
PAGES = tuple(page.path for page in site.PAGES if page.sitemap)


def addresses(publication: Publication) -> list[tuple[str, str]]:
    """(address, lastmod) of every public page, Persian form (English is its alternate)."""
    modified = publication.modified
    found = [(page, modified) for page in PAGES]
    changed: dict[str, str] = {}
    for published in publication.snapshot.datasets:
        when = published.version.created_at
        found.append((f"/dataset?dataset={published.ref}", when))
        slug = published.agency.slug
        changed[slug] = max(changed.get(slug, ""), when)
    found.extend((f"/agencies?agency={slug}", when) for slug, when in sorted(changed.items()))
    projects = publication.projects
    if not projects.empty:
        dates = {p.ref: p.version.created_at for p in publication.snapshot.datasets}
        seen: set[str] = set()
        for pid, agency, dataset in zip(
            projects["id"].astype(str), projects["agency"], projects["dataset"], strict=True
        ):
            if pid not in seen:  # a card opens the first project with its id
                seen.add(pid)
                found.append(
                    ("/projects?" + urlencode({"project": pid}), dates[f"{agency}/{dataset}"])
                )
    return found


def _entry(base: str, address: str, lastmod: str) -> str:
    fa, en = escape(base + address), escape(base + in_language(address, "en"))
    return (
        f"<url><loc>{fa}</loc><lastmod>{escape(lastmod)}</lastmod>"
        f'<xhtml:link rel="alternate" hreflang="fa" href="{fa}"/>'
        f'<xhtml:link rel="alternate" hreflang="en" href="{en}"/></url>'
    )


def sitemap(publication: Publication, base: str, part: int | None = None) -> bytes | None:
    """The sitemap; past `LIMIT` addresses, an index of `/sitemap-N.xml` parts. None when
    `part` names no part."""
    found = addresses(publication)
    parts = [found[start : start + LIMIT] for start in range(0, len(found), LIMIT)]
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if part is None and len(parts) > 1:
        items = "".join(
            f"<sitemap><loc>{escape(base)}/sitemap-{n}.xml</loc>"
            f"<lastmod>{escape(publication.modified)}</lastmod></sitemap>"
            for n in range(1, len(parts) + 1)
        )
        index = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        return f"{head}{index}{items}</sitemapindex>".encode()
    if part is not None and not 1 <= part <= len(parts):
        return None
    chosen = parts[0] if part is None else parts[part - 1]
    urlset = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
    )
    body = "".join(_entry(base, address, lastmod) for address, lastmod in chosen)
    return f"{head}{urlset}{body}</urlset>".encode()


def robots(base: str) -> bytes:
    return (
        "User-agent: *\nAllow: /\nDisallow: /publish\nDisallow: /_stcore/\n"
        f"Sitemap: {base}/sitemap.xml\n"
    ).encode()
