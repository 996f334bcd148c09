"""Site search: what each page tells the index (its kind, its number), and the Pagefind run over the built site.

Pagefind (a maintained search engine for static sites, its binary shipped in the `pagefind[bin]` wheel)
folds accents, stems French, highlights excerpts and splits its index in chunks that the browser loads
on demand. generator/site/theme/javascripts/recherche.js queries it through its JS API.
"""
from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

from generator.core.model import Contract
from generator.core.registry import COLLECTIONS
from generator.site.reading import fold
from generator.site.urls import PAGES, folder_of, is_version_path, page_folder, page_path

BUNDLE = "pagefind"
NOT_INDEXED = {PAGES["print"], PAGES["search"]}  # the printable contract repeats every page; the search page is a form
# Filter values (« type » filter): the first folder of a page's path decides its kind.
KINDS = {page_folder(c.name): c.search for c in COLLECTIONS.values() if c.search}
# Page parts that are not content: permalink signs, breadcrumbs, pagers, download links, charts (their
# table, which follows them, is indexed).
EXCLUDED_SELECTORS = ".headerlink, .cv-breadcrumb, .cv-pager, .cv-data-link, .cv-print-only, .md-source-file, .cv-chart"


def filters(contract: Contract) -> dict[str, dict[str, str | list[str]]]:
    """Filters of the pages, by page path. Numbered pages (axes, objectives, sheets): their own number and
    their parent's, so that « 2.4 » finds the objective first, then its sheets, without reading the word
    index. Territories: their names (« nom »), so that the search page can find the one whose name is
    nearest to a query with a typo (« Pierre Rolin »), from the list of names alone."""
    out: dict[str, dict[str, str | list[str]]] = {}
    for kind in COLLECTIONS.values():
        for e in contract.all(kind.name) if kind.short else ():  # collections shown with a number (« Fiche 2.4.3 »)
            parent = contract.parent_of(e)
            out[page_path(e)] = {"numero": e.id} | ({"parent": parent.id} if parent else {})
    for t in contract.all("territories"):
        out.setdefault(page_path(t), {})["nom"] = list(dict.fromkeys([t.name, *(t.variants or [])]))
    return out


def examples(contract: Contract) -> dict[str, str]:
    """Examples the search page gives (HTML-escaped, for its raw HTML), taken from the contract itself: a
    priority neighbourhood, preferably a short name with accents (else capitals), and how it is typed
    without them; a sheet number and its objective's."""
    territories = contract.all("territories")
    names = [t.data["name"] for t in territories if t.data["kind"] == "quartier-prioritaire"] or \
        [t.data["name"] for t in territories] or ["Égalité"]
    name = min(names, key=lambda n: (fold(n) == n.lower(), fold(n) == n, len(n)))  # accents first, then short
    sheets = contract.all("actions")
    sheet = sheets[0].id if sheets else "1.1.1"
    objective = sheets[0].data["objective"] if sheets else "1.1"
    values = {"quartier": name, "quartier_saisi": fold(name), "fiche": sheet, "fiche_tirets": sheet.replace(".", "-"),
              "objectif": objective}
    return {f"exemple_{key}": html.escape(value) for key, value in values.items()}


def page_fields(src_uri: str, numbered: dict[str, dict[str, str | list[str]]]) -> dict[str, str | list[str]] | None:
    """Index fields of the page made from `src_uri` (« fiches/2.4.3.md » → type fiche, numero 2.4.3,
    parent 2.4); None for a page kept out of the index."""
    if src_uri in NOT_INDEXED or is_version_path(src_uri):  # past versions: reached by links only
        return None
    return {"type": KINDS.get(folder_of(src_uri), "texte"), **numbered.get(src_uri, {})}


def description(title: str, content: str, limit: int = 160) -> str:
    """A page's summary for search engines and sharing cards: its title, then the start of its first
    paragraph of text (navigation left out), cut at a word."""
    body = re.sub(r"<nav\b.*?</nav>|<h1\b.*?</h1>", "", content, flags=re.S)
    # the first paragraph of text: not a styled one (print-only lines), not a lone link (downloads)
    first = next((m for m in re.finditer(r"<p>(.*?)</p>", body, re.S)
                  if not re.fullmatch(r"\s*<a\b[^>]*>.*?</a>\s*", m.group(1), re.S)), None)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", first.group(1))).split()) if first else ""
    title = " ".join(html.unescape(title).split())
    summary = f"{title}. {text}" if text and not text.startswith(title) else (text or title)
    if len(summary) <= limit:
        return summary
    return summary[:limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def index_site(site_dir: Path) -> None:
    """Writes the search bundle into `site_dir`/pagefind (no network: the binary comes with the wheel)."""
    run = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", BUNDLE,
                          "--exclude-selectors", EXCLUDED_SELECTORS, "--silent"],
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise RuntimeError("Pagefind n'a pas pu indexer le site :\n" + (run.stderr or run.stdout))
