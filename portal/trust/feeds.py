"""Atom feeds (feedgen): every new version with its explanations and changed-figure count,
for the whole portal, one agency or one dataset; and the answered public questions.

Stored text cannot change (versions are immutable), so everything people wrote is written
here through `public_text`: isolated (FSI…PDI) so a U+202E cannot reverse the sentence
around it, and without the characters XML cannot hold, so one old answer or explanation
can never turn a feed into a 500 for good."""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING, Any

from feedgen.feed import FeedGenerator

from portal.i18n import text
from portal.public_text import isolate, xml_safe
from portal.store import feedback
from portal.store.records import Version
from portal.trust import said
from portal.trust.published import changed_figures, explained_changes

if TYPE_CHECKING:
    from portal.store import Store

LIMIT = 200  # newest entries in one feed
EPOCH = datetime.fromisoformat("2000-01-01T00:00:00+00:00")  # an empty feed's `updated`


def _time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _both(key: str, **params: Any) -> str:
    """The sentence in both languages, each name or figure in it isolated."""
    shown = {name: _said(value) for name, value in params.items()}
    return xml_safe(f"{text(key, 'fa', **shown)} — {text(key, 'en', **shown)}")


def _said(value: Any) -> Any:
    """People's text (or a name) for a feed: isolated and XML-safe; numbers stay numbers."""
    return value if isinstance(value, int | float) else xml_safe(isolate(value))


def _html(value: Any) -> str:
    return html.escape(_said("" if value is None else str(value)))


def _feed(base: str, path: str, title_key: str, **params: Any) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(f"{base}{path}")
    feed.title(_both(title_key, **params))
    feed.link(href=f"{base}{path}", rel="self")
    feed.link(href=f"{base}/", rel="alternate")
    feed.author({"name": "Glass Wall"})
    feed.language("fa")
    return feed


def _explanations_html(changes: list[dict[str, Any]]) -> str:
    items = []
    for change in changes:
        reason = change.get("reason") or {}
        why = " / ".join(_html(reason[lang]) for lang in ("fa", "en") if lang in reason)
        items.append(
            f"<li>{_html(said.explanation(change, 'fa'))} — "
            f"{_html(said.explanation(change, 'en'))}<br/><b>{why}</b></li>"
        )
    return f"<ul>{''.join(items)}</ul>" if items else ""


def _version_entry(
    feed: FeedGenerator, store: Store, base: str, version: Version, before: Version | None
) -> None:
    entry = feed.add_entry()  # prepended: the newest version comes first
    ref = f"{version.agency}/{version.dataset}"
    entry.id(f"{base}/download/{ref}/{version.number}/package.zip#{version.manifest_sha256}")
    entry.title(
        _both(
            "feed.version_title",
            agency=version.agency,
            dataset=version.dataset,
            version=version.number,
        )
    )
    entry.link(href=f"{base}/dataset?dataset={ref}&rev_to={version.number}", rel="alternate")
    entry.author({"name": xml_safe(version.agency)})
    entry.published(_time(version.created_at))
    entry.updated(_time(version.created_at))
    changes = explained_changes(store, version)
    params = {"agency": version.agency, "dataset": version.dataset, "version": version.number}
    if before is None:
        summary = _both("feed.first_version", **params)
    else:
        changed = changed_figures(store, before, version)
        summary = _both(
            "feed.version_summary",
            changed=changed,
            previous=before.number,
            explained=len(changes),
            **params,
        )
    entry.summary(summary)
    entry.content(f"<p>{html.escape(summary)}</p>{_explanations_html(changes)}", type="html")


def publications(
    store: Store, base: str, agency: str | None = None, dataset: str | None = None
) -> bytes:
    """The publications feed of the portal, one agency, or one dataset (`agency/dataset`)."""
    title: tuple[str, dict[str, str]]
    if agency is None:
        path, title = "/feeds/publications.atom", ("feed.publications", {})
    elif dataset is None:
        path, title = f"/feeds/{agency}.atom", ("feed.publications_of", {"what": agency})
    else:
        path = f"/feeds/{agency}/{dataset}.atom"
        title = ("feed.publications_of", {"what": f"{agency}/{dataset}"})
    feed = _feed(base, path, title[0], **title[1])
    chosen = [
        v
        for v in store.all_versions()
        if (agency is None or v.agency == agency) and (dataset is None or v.dataset == dataset)
    ][-LIMIT:]
    previous: dict[tuple[str, str], Version] = {}
    for version in store.all_versions():
        key = (version.agency, version.dataset)
        if version in chosen:
            _version_entry(feed, store, base, version, previous.get(key))
        previous[key] = version
    feed.updated(_time(chosen[-1].created_at) if chosen else EPOCH)
    atom: bytes = feed.atom_str(pretty=True)  # feedgen is untyped
    return atom


def answers(store: Store, base: str) -> bytes:
    """Questions the agencies answered in public, newest answer first."""
    feed = _feed(base, "/feeds/answers.atom", "feed.answers")
    answered = [
        item
        for agency in store.agencies()
        for item in store.run(feedback.public_items, agency.slug)
        if item.answer and item.answered_at
    ]
    answered.sort(key=lambda item: item.answered_at or "")
    for item in answered[-LIMIT:]:
        entry = feed.add_entry()
        reference = f"{item.agency}/{item.dataset}"
        entry.id(f"{base}/api/feedback?dataset={reference}#item-{item.id}")
        entry.title(_both("feed.answer_title", agency=item.agency, reference=reference))
        entry.link(href=f"{base}/dataset?dataset={reference}", rel="alternate")
        entry.author({"name": xml_safe(item.agency)})
        entry.published(_time(item.answered_at or item.created_at))
        entry.updated(_time(item.answered_at or item.created_at))
        entry.summary(_said(item.answer or ""))
        entry.content(
            f"<blockquote>{_html(item.message)}</blockquote><p>{_html(item.answer)}</p>",
            type="html",
        )
    newest = answered[-1].answered_at if answered else None
    feed.updated(_time(newest) if newest else EPOCH)
    atom: bytes = feed.atom_str(pretty=True)  # feedgen is untyped
    return atom
