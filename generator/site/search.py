"""Site search: what each page tells the index (its kind, its number), and the Pagefind run over the built site.

Pagefind (a maintained search engine for static sites, its binary shipped in the `pagefind[bin]` wheel)
folds accents, stems French, highlights excerpts and splits its index in chunks that the browser loads
on demand. generator/site/theme/javascripts/recherche.js queries it through its JS API.
"""
from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

from generator.core.model import Contract
from generator.core.registry import COLLECTIONS
from generator.core.structure import Level, capital, listed, to_the
from generator.site.reading import fold
from generator.site.urls import PAGES, is_version_path, page_path, public_address

BUNDLE = "pagefind"
NOT_INDEXED = {PAGES["print"], PAGES["search"]}  # the printable contract repeats every page; the search page is a form
TEXT = "texte"  # the « type » filter value of the pages that are no entity's own (the text, the site's pages)
TEXT_WORDS = ("texte", "textes")  # how the search panel names them
# Page parts that are not content: permalink signs, breadcrumbs, pagers, download links, charts (their
# table, which follows them, is indexed).
# Numbers the panel knows, with their pages (about 40 bytes each): items beyond, of the deepest levels, are
# found by the words of their titles, their numbers included, as any other query.
MAX_NUMBERS = 5_000
EXCLUDED_SELECTORS = ".headerlink, .cv-breadcrumb, .cv-pager, .cv-data-link, .cv-print-only, .md-source-file, .cv-chart"


def filters(contract: Contract) -> dict[str, dict[str, str | list[str]]]:
    """Filters of the pages, by page path. Every entity's own page: its kind (« type »: the value its level
    declares, or its collection's). Pages of the levels of the strategy: their own number and their
    parent's, so that « 2.4 » finds the item first, then its children, without reading the word index.
    Territories: their names (« nom »), so that the search page can find the one whose name is nearest to
    a query with a typo (« Pierre Rolin »), from the list of names alone."""
    out: dict[str, dict[str, str | list[str]]] = {}
    structure = contract.structure
    for kind in COLLECTIONS.values():
        level = structure.of(kind.name)
        for e in contract.all(kind.name) if level or (kind.search and kind.page) else ():
            fields: dict[str, str | list[str]] = {"type": level.search if level else kind.search}
            if level:  # shown with a number (« Fiche 2.4.3 »)
                parent = contract.parent_of(e)
                fields |= {"numero": contract.number_of(e)} | ({"parent": contract.number_of(parent)} if parent else {})
            out[page_path(e, structure)] = fields
    for t in contract.all("territories"):
        out.setdefault(page_path(t, structure), {})["nom"] = list(dict.fromkeys([t.name, *(t.variants or [])]))
    return out


def panel(contract: Contract) -> str:
    """What the search panel offers (recherche.js reads it, at urls.SEARCH_PANEL), in the contract's words: the
    « type » filters of its pages, the deepest level's first, each with its label (« Fiches », « Axes et
    objectifs »: levels that share a value are searched together) and the tag of its results (« Fiche action »,
    « Axe ou objectif »); the type whose pages people cite, the deepest level's (their titles count double in
    the ranking); and, for each level, the words that may come before one of its numbers (« fiche 2.4.3 »,
    « défi III ») and its items' numbers as shown (« 2.4.3 », « B », « III »), each with its page and how many
    items it holds, the first MAX_NUMBERS of the contract in all, top levels first."""
    structure = contract.structure
    levels = [level for level in structure.levels if contract.all(level.slot)]
    shared: dict[str, list[Level]] = {}
    for level in reversed(levels):
        shared.setdefault(level.search, []).insert(0, level)
    kinds = [(value, capital(listed([lv.brief_plural for lv in group])), capital(listed([lv.name for lv in group], " ou ")))
             for value, group in shared.items()]
    kinds += [(kind.search, capital(kind.plural), capital(kind.singular)) for kind in COLLECTIONS.values()
              if kind.search and kind.page and kind.search not in shared and contract.all(kind.name)]
    kinds.append((TEXT, capital(TEXT_WORDS[1]), capital(TEXT_WORDS[0])))
    numbers, room = [], MAX_NUMBERS
    for level in structure.levels:
        items = contract.all(level.slot)[:room]
        room -= len(items)
        words = {word.lower() for word in (level.short, level.label, level.name, level.singular)}
        numbers.append({"words": sorted(words, key=lambda w: (-len(w), w)),
                        "numbers": [[contract.number_of(e), public_address(e, structure), len(contract.children_of(e))]
                                    for e in items]})
    return json.dumps({"kinds": [{"value": value, "label": label, "tag": tag} for value, label, tag in kinds],
                       "levels": numbers, "cited": levels[-1].search if levels else ""}, ensure_ascii=False) + "\n"


def examples(contract: Contract) -> dict[str, str]:
    """Examples the search page gives (HTML-escaped, for its raw HTML), taken from the contract itself: a
    priority neighbourhood, preferably a short name with accents (else capitals), and how it is typed
    without them; the number of an item of the deepest level, how it may be typed, and its parent's (the
    words of the contract's levels: « fiche 1.1.1 » leads to « la fiche »)."""
    territories = contract.all("territories")
    names = [t.data["name"] for t in territories if t.data["kind"] == "quartier-prioritaire"] or \
        [t.data["name"] for t in territories] or ["Égalité"]
    name = min(names, key=lambda n: (fold(n) == n.lower(), fold(n) == n, len(n)))  # accents first, then short
    values = {"quartier": name, "quartier_saisi": fold(name)}
    out = {f"exemple_{key}": html.escape(value) for key, value in values.items()}
    levels = [level for level in contract.structure.levels if contract.all(level.slot)] or list(contract.structure.levels)
    if not levels:
        return out | {"exemple_niveau": "", "exemple_numero": "", "exemple_numeros": ""}
    deepest = levels[-1]
    items = contract.all(deepest.slot)
    item = items[0] if items else None
    number = contract.number_of(item) if item else "1"
    parent = contract.parent_of(item) if item else None

    def code(text: str) -> str:
        return f"<code>{html.escape(text)}</code>"
    forms = [code(number)] + ([code(number.replace(".", "-"))] if "." in number else []) + [code(f"{deepest.short.lower()} {number}")]
    said = f"{listed(forms, ' ou ')} mènent {html.escape(to_the(deepest.the), quote=False)}"
    if parent is not None:
        above = contract.structure.level(parent.collection)
        said += f", {code(f'{above.short.lower()} {contract.number_of(parent)}')} {html.escape(to_the(above.the), quote=False)}"
    return out | {"exemple_niveau": html.escape(deepest.short.lower()), "exemple_numero": html.escape(number),
                  "exemple_numeros": said}


def page_fields(src_uri: str, numbered: dict[str, dict[str, str | list[str]]]) -> dict[str, str | list[str]] | None:
    """Index fields of the page made from `src_uri` (an item's page → its type, numero 2.4.3, parent 2.4; see
    `filters`); None for a page kept out of the index."""
    if src_uri in NOT_INDEXED or is_version_path(src_uri):  # past versions: reached by links only
        return None
    fields = dict(numbered.get(src_uri, {}))
    return {"type": fields.pop("type", TEXT), **fields}


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
