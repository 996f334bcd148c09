"""The source document: the published text the data is transcribed from, kept in the contract
folder (`source/`) and declared in contrat.yaml with its SHA-256. Line numbers (« L123 ») point
into it. A contract that declares no source document skips every source check."""
from __future__ import annotations

import hashlib

from .load import Document
from .problems import Problem
from .tree import TooLarge, Tree, Unreadable

FOLDER = "source"
MAX_BYTES = 20 * 1024 * 1024


def read_source(tree: Tree, meta_doc: Document) -> tuple[tuple[str, ...] | None, list[Problem]]:
    """The declared source document's lines (None when none is declared or it cannot be trusted),
    from the contract folder as read by the pipeline (on disk, or from git)."""
    declared = meta_doc.data.get("source_document")
    if not declared:
        return None, []
    shown = f"{FOLDER}/{declared['file']}"

    def problem(message: str, at=("source_document", "file")) -> tuple[None, list[Problem]]:
        line, col = meta_doc.mark(at)
        return None, [Problem(meta_doc.file, line, col, "CV308", message, "$." + ".".join(at))]

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
    return tuple(text.splitlines()), []


def line_ranges(cited: str) -> list[tuple[int, int]]:
    """« L12, L20-L25 » -> [(12, 12), (20, 25)]: the one way to point into the source document
    (schemas check the form: `^L[1-9][0-9]*(-L[1-9][0-9]*)?(, …)*$`)."""
    ranges = []
    for part in cited.split(","):
        start, _, end = part.strip().partition("-")
        first = int(start[1:])
        ranges.append((first, int(end[1:]) if end else first))
    return ranges
