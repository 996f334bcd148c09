"""Where everything is published: the one owner of page paths, anchors and addresses.

A page is named by the Markdown file it is made from (« territoires/etouvie.md », as MkDocs' `File.src_uri`)
and served at its public address (« territoires/etouvie/ », as `File.url`; the root is « ./ »). The registry
declares, as data, the path pattern and anchor pattern of each collection, the contract the folder of each
level of its strategy (core/structure.py); only this module fills them in. The site's own pages are named
here. Addresses are a public interface: people cite them.

Plain strings come out of here: this module stays below the Markdown layer (`markup`); the renderer
marks what it prints.
"""
from __future__ import annotations

import posixpath
from collections.abc import Mapping

from generator.core.registry import COLLECTIONS
from generator.core.structure import Structure

INDEX = "index.md"            # the page of a folder, served at the folder's address
PAGES = {"home": INDEX, "search": "recherche.md", "text": f"texte/{INDEX}", "territories": f"territoires/{INDEX}",
         "signatories": f"signataires/{INDEX}", "governance": "gouvernance.md", "annexes": "annexes.md",
         "amendments": "avenants.md", "corrections": "corrections.md", "figures": "chiffres.md", "print": "imprimer.md",
         "data": f"donnees/{INDEX}", "transcription": "transcription.md", "timeline": "chronologie.md",
         "source": "document-source.md"}
DATA_FOLDER = "donnees"       # open-data files
FEED = "flux.xml"             # Atom feed of the contract's events and revisions
PDF = "imprimer/contrat-de-ville.pdf"
SEARCH_PANEL = "recherche/types.json"  # what the search panel offers (its filters' words, the numbers shown): read by recherche.js
VERSIONS = "versions"         # one folder per past version of the contract


def _pattern(collection: str, structure: Structure) -> str:
    level = structure.of(collection)
    pattern = level.page if level else COLLECTIONS[collection].page
    assert pattern is not None, f"{collection} has no pages"
    return pattern


def collection_path(collection: str, fields: Mapping, structure: Structure) -> str:
    """The page of an entity of `collection` whose fields (its « id » among them) are `fields`, in a contract
    of that `structure`."""
    return _pattern(collection, structure).format_map(fields)


def page_path(entity, structure: Structure) -> str:
    """The page an entity is shown on (its own, or the page listing it)."""
    return collection_path(entity.collection, {**entity.data, "id": entity.id}, structure)


def former_paths(entity, structure: Structure) -> list[str]:
    """The pages an item of a level had in the folders its level declares it left (`former_folders`)."""
    level = structure.of(entity.collection)
    return [f"{folder}/{entity.id}.md" for folder in level.former] if level else []


def anchor(entity) -> str:
    """Its anchor on that page, when the page shows several entities (« annexe-3 »); else empty."""
    pattern = COLLECTIONS[entity.collection].anchor
    return pattern.format(id=entity.id) if pattern else ""


def item_anchor(id_: str) -> str:
    """The anchor of an item on a page listing items by their id, outside a collection's own pattern (a
    series on the figures page, a body on the governance page, a part on the printable page)."""
    return id_


def follow_up_anchor(entity) -> str:
    """Where the follow-up of an entity stands on its page: « suivi » on a page of its own, « suivi-<its anchor> »
    on a page it shares (a commitment on its signatory's page)."""
    own = anchor(entity)
    return f"suivi-{own}" if own else "suivi"


def print_follow_up_anchor(entity, structure: Structure) -> str:
    """Where the follow-up of an entity stands on the printable page, which shows them all: « suivi-<its anchor
    there> »."""
    return f"suivi-{print_anchor(entity, structure)}"


def note_anchor(entity) -> str:
    """Where the transcription page tells how an entity's text was read (« note-etat »)."""
    return f"note-{entity.id}"


def print_anchor(entity, structure: Structure) -> str:
    """Where an entity stands on the printable page (« imprimer-{mark}-2 », the mark of its level)."""
    level = structure.of(entity.collection)
    return (level.printed if level else COLLECTIONS[entity.collection].printed).format(id=entity.id)


def event_anchor(event: Mapping) -> str:
    """Where a dated event stands on the timeline page."""
    return f"evenement-{event['date']}"


def line_anchor(line: int) -> str:
    """Where a line of the source document stands on its page (« L12 »)."""
    return f"L{line}"


def page_folder(collection: str, structure: Structure) -> str:
    """The folder holding the pages of a collection (« territoires »)."""
    return _pattern(collection, structure).split("/")[0]


def folder_of(path: str) -> str:
    """The folder of the page made from `path`; empty for a folder's own page (« texte/index.md »)."""
    folder, _, name = path.rpartition("/")
    return "" if name == INDEX else folder


def part_path(part_id: str) -> str:
    """The page of a part of the text: the page its sections are shown on."""
    pattern = COLLECTIONS["sections"].page
    assert pattern is not None, "sections have pages"
    return pattern.format(part=part_id)


def data_file(name: str) -> str:
    """An open-data file, served as is (« donnees/axes.csv »)."""
    return f"{DATA_FOLDER}/{name}"


def item_data(entity, structure: Structure) -> str:
    """The open-data file of one item of a level: « donnees/{folder}/{id}.json »."""
    return data_file(f"{page_folder(entity.collection, structure)}/{entity.id}.json")


def version_path(slug: str, path: str = INDEX) -> str:
    """A page of a past version's folder: its copy of page `path`, by default the version's summary."""
    return f"{VERSIONS}/{slug}/{path}"


def is_version_path(path: str) -> bool:
    return path.startswith(VERSIONS + "/")


def is_page(path: str) -> bool:
    """Whether `path` names a page (a Markdown file), not a file served as is."""
    return path.endswith(".md")


def public_url(path: str, fragment: str = "") -> str:
    """Where the page made from Markdown file `path` is served: « territoires/a.md » → « territoires/a/ »,
    the root « index.md » → « ./ » (as MkDocs' `File.url`); then « #fragment » when given."""
    if not is_page(path):
        url = path  # a data file, the feed, the PDF: served as is
    else:
        folder, _, name = path.rpartition("/")
        url = (folder + "/" if folder else "./") if name == INDEX else path[:-3] + "/"
    return url + (f"#{fragment}" if fragment else "")


def html_path(path: str) -> str:
    """The file the page made from Markdown file `path` is written to: « territoires/a.md » →
    « territoires/a/index.html », « index.md » → « index.html » (as MkDocs' `File.dest_uri`)."""
    folder, _, name = path.rpartition("/")
    stem = name.removesuffix(".md")
    parts = [folder] if folder else []
    return "/".join(parts + ([] if stem in ("index", "README") else [stem]) + ["index.html"])


def absolute(site_url: str, url: str) -> str:
    """The full address of `url` (a public address) on the site published at `site_url`; `url` itself
    when the site's address is unknown. The root « ./ » is the site's address."""
    if not site_url:
        return url
    return site_url.rstrip("/") + "/" + ("" if url == "./" else url)


def public_address(entity, structure: Structure) -> str:
    """Where an entity is published: its page's address, and its anchor there when it has one."""
    return public_url(page_path(entity, structure), anchor(entity))


def markdown_path(url: str) -> str:
    """The Markdown file a page address most likely comes from, for messages: « territoires/a/ » →
    « territoires/a.md », the root → « index.md »."""
    return INDEX if url in ("", "./") else url.rstrip("/") + ".md"


def relative(here: str, target: str, fragment: str = "") -> str:
    """Link from the page made from `here` to the file `target` (MkDocs turns .md links into addresses)."""
    mine, there = posixpath.dirname(here).split("/"), target.split("/")
    mine = [] if mine == [""] else mine
    common = 0
    while common < len(mine) and common < len(there) - 1 and mine[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(mine) - common) + there[common:]) + (f"#{fragment}" if fragment else "")
