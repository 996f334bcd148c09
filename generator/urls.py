"""Where everything is published: the one owner of page paths, anchors and addresses.

A page is named by the Markdown file it is made from (« fiches/1.1.1.md », as MkDocs' `File.src_uri`)
and served at its public address (« fiches/1.1.1/ », as `File.url`). Entities' pages come from the
registry; the site's own pages are named here. Addresses are a public interface: people cite them.
"""
from __future__ import annotations

import posixpath

from .markup import markdown
from .registry import COLLECTIONS

PAGES = {"home": "index.md", "search": "recherche.md", "text": "texte/index.md", "territories": "territoires/index.md",
         "signatories": "signataires/index.md", "governance": "gouvernance.md", "annexes": "annexes.md",
         "amendments": "avenants.md", "corrections": "corrections.md", "figures": "chiffres.md", "print": "imprimer.md",
         "data": "donnees/index.md", "transcription": "transcription.md", "timeline": "chronologie.md",
         "source": "document-source.md"}
DATA_FOLDER = "donnees"       # open-data files
FEED = "flux.xml"             # Atom feed of the contract's events and revisions
PDF = "imprimer/contrat-de-ville.pdf"
VERSIONS = "versions"         # one folder per past version of the contract


def page_path(entity) -> str:
    """The page an entity is shown on (its own, or the page listing it)."""
    return COLLECTIONS[entity.collection].path(entity)


@markdown
def anchor(entity) -> str:
    """Its anchor on that page, when the page shows several entities (« annexe-3 »); else empty."""
    return COLLECTIONS[entity.collection].anchor_of(entity)


def part_path(part_id: str) -> str:
    """The page of a part of the text: the page its sections are shown on."""
    pattern = COLLECTIONS["sections"].page
    assert pattern is not None
    return pattern.format_map({"part": part_id})


def sheet_data(action_id: str) -> str:
    return f"{DATA_FOLDER}/fiches/{action_id}.json"


def version_prefix(slug: str) -> str:
    return f"{VERSIONS}/{slug}/"


def public_url(path: str) -> str:
    """Where the page made from Markdown file `path` is served: « fiches/1.1.1.md » → « fiches/1.1.1/ »."""
    if not path.endswith(".md"):
        return path  # a data file, the feed, the PDF: served as is
    folder, _, name = path.rpartition("/")
    if name == "index.md":
        return folder + "/" if folder else ""
    return path[:-3] + "/"


@markdown
def relative(here: str, target: str, fragment: str = "") -> str:
    """Link from the page made from `here` to the file `target` (MkDocs turns .md links into addresses)."""
    mine, there = posixpath.dirname(here).split("/"), target.split("/")
    mine = [] if mine == [""] else mine
    common = 0
    while common < len(mine) and common < len(there) - 1 and mine[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(mine) - common) + there[common:]) + (f"#{fragment}" if fragment else "")
