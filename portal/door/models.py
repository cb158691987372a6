"""A server-rendered page as data: what it says, computed once per publication.

Builders (`portal.door.build_*`) fill these from the published store; the HTML renderer
only draws them. Every string is plain text: the template escapes and isolates it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class Table:
    """The first rows of a table; `note` says when there are more than shown."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    links: tuple[str, ...] = ()  # per row, the address its first cell opens ("" for none)
    note: str = ""


@dataclass(frozen=True)
class Download:
    """One published file: a stable address, its version and checksum."""

    label: str
    href: str
    version: str
    sha256: str
    size: str


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    links: tuple[Link, ...] = ()
    table: Table | None = None
    downloads: tuple[Download, ...] = ()
    anchor: str = ""


@dataclass(frozen=True)
class Travel:
    """What a shared link carries: its own title, description, address and picture."""

    title: str
    description: str
    address: str  # path and query without `lang`: the thing this page names
    image: str  # path of the page's Open Graph picture
    image_alt: str
    kind: str = "website"
    json_ld: str = ""  # schema.org JSON-LD, already safe inside a script element
    modified: str = ""  # ISO time of the publication the page shows


@dataclass(frozen=True)
class Page:
    lang: str
    travel: Travel
    heading: str
    intro: str = ""
    sample: bool = False
    figures: tuple[tuple[str, str], ...] = ()
    sections: tuple[Section, ...] = field(default_factory=tuple)
