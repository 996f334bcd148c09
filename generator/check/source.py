"""The source document: the published text the data is transcribed from, kept in the contract
folder (`source/`) and declared in contrat.yaml with its SHA-256. Line numbers (« L123 ») point
into it. A contract that declares no source document skips every source check."""
from __future__ import annotations

import bisect
import hashlib
from functools import lru_cache

from generator.check.tree import SOURCE_FOLDER, SOURCE_MAX_BYTES, TooLarge, Tree, Unreadable
from generator.core import codes
from generator.core.load import Document
from generator.core.problems import Problem

FOLDER, MAX_BYTES = SOURCE_FOLDER, SOURCE_MAX_BYTES


def read_source(tree: Tree, meta_doc: Document) -> tuple[tuple[str, ...] | None, list[Problem]]:
    """The declared source document's lines (None when none is declared or it cannot be trusted),
    from the contract folder as read by the pipeline (on disk, or from git)."""
    declared = meta_doc.data.get("source_document")
    if not declared:
        return None, []
    shown = f"{FOLDER}/{declared['file']}"

    def problem(message: str, at=("source_document", "file")) -> tuple[None, list[Problem]]:
        line, col = meta_doc.mark(at)
        return None, [Problem(meta_doc.file, line, col, codes.SOURCE_DOCUMENT, message, "$." + ".".join(at))]

    try:
        raw = tree.read(shown, MAX_BYTES)
    except TooLarge:
        return problem(f"document source « {shown} » trop gros (plus de {MAX_BYTES // 1024 // 1024} Mio)")
    except Unreadable:
        return problem(f"document source « {shown} » introuvable (ou n'est pas un fichier ordinaire) : "
                       f"placez le texte du contrat dans le dossier « {FOLDER}/ » du contrat")
    digest = hashlib.sha256(raw).hexdigest()
    if digest != declared["sha256"]:
        return problem(f"l'empreinte SHA-256 de « {shown} » est {digest}, le contrat déclare {declared['sha256']} : "
                       "le document source a changé ; s'il doit changer, mettez à jour l'empreinte", ("source_document", "sha256"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return problem(f"document source « {shown} » : pas en UTF-8 (octet {exc.start})")
    lines = tuple(text.splitlines())
    return lines, _page_problems(meta_doc, len(lines))


def _page_problems(meta_doc: Document, count: int) -> list[Problem]:
    """The page markers: each on a line of the document, in the order of the lines, pages never going back."""
    found, previous = [], None
    for i, marker in enumerate(meta_doc.data["source_document"].get("pages") or ()):
        n, at = int(marker["line"][1:]), ("source_document", "pages", i, "line")
        message = None
        if n > count:
            message = f"repère de page « {marker['line']} » hors du document source, qui compte {count} lignes"
        elif previous and (n <= previous[0] or marker["page"] < previous[1] + previous[2]):
            message = (f"repère de page « {marker['line']} » (page {marker['page']}) dans le désordre : après le repère "
                       f"« L{previous[0]} » (page {previous[1]}{', pied de page' if previous[2] else ''}), les lignes "
                       "vont en croissant et les pages ne reculent pas (après un pied de page, la page suivante)")
        if message:
            line, col = meta_doc.mark(at)
            found.append(Problem(meta_doc.file, line, col, codes.SOURCE_LINES, message, "$." + ".".join(map(str, at))))
        previous = (n, marker["page"], int(bool(marker.get("footer"))))
    return found


@lru_cache(maxsize=8)
def _markers(pages: tuple) -> tuple[list[int], list[tuple[int, bool]]]:
    ordered = sorted(pages)
    return [n for n, _, _ in ordered], [(page, footer) for _, page, footer in ordered]


def page_of(declared: dict | None, line: int) -> tuple[int, int] | None:
    """The printed pages a line of the source document stands on, from the declared page markers: (first, last),
    equal when the page is known, else the two pages it lies between; None when the markers do not tell (no
    marker on one side, or more than three pages possible)."""
    pages = tuple((int(m["line"][1:]), m["page"], bool(m.get("footer"))) for m in (declared or {}).get("pages") or ())
    if not pages:
        return None
    lines, marks = _markers(pages)
    at = bisect.bisect_left(lines, line)
    after = marks[at][0] if at < len(lines) else None              # the page of the next marker (this line's own)
    if after is not None and lines[at] == line:
        return after, after
    if at == 0 or after is None:
        return None
    page, footer = marks[at - 1]
    first = page + 1 if footer else page
    return (first, after) if first <= after <= first + 2 else None


def line_ranges(cited: str) -> list[tuple[int, int]]:
    """« L12, L20-L25 » -> [(12, 12), (20, 25)]: the one way to point into the source document
    (schemas check the form: `^L[1-9][0-9]*(-L[1-9][0-9]*)?(, …)*$`)."""
    ranges = []
    for part in cited.split(","):
        start, _, end = part.strip().partition("-")
        first = int(start[1:])
        ranges.append((first, int(end[1:]) if end else first))
    return ranges
