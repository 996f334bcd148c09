"""Search index: one entry per page, built from the data (not the HTML), read by docs/javascripts/recherche.js.

Folding accents and plurals happens in the browser for both the index and the query, so that
`decrochage` finds « décrochage » and `ecoles` finds « école ».
"""
from __future__ import annotations

import json
import re

from .model import Contract
from .render import Page, page_path, public_url

INDEX_PATH = "recherche-index.json"
EXCLUDED = {"imprimer.md"}  # the printable contract repeats every other page
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|[#>*_`|]|<[^>]+>|\{[^}]*\}|\\")


def plain(markdown: str) -> str:
    text = _MARKUP.sub(lambda m: m.group(1) or " ", markdown)
    return re.sub(r"\s+", " ", text).strip()


def index_json(contract: Contract, pages: dict[str, Page]) -> str:
    ids = {}
    for collection in ("actions", "objectives", "axes"):
        for e in contract.all(collection):
            ids[page_path(e)] = e.id
    entries = []
    for path, page in pages.items():
        if path in EXCLUDED:
            continue
        entries.append({"url": public_url(path), "title": page.title, "id": ids.get(path, ""), "text": plain(page.markdown)})
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
