"""The whole checking pipeline: read (scan + strict load) → validate → link.

Everything is gathered before anything is decided: a contract with problems yields the
full list of problems and no model.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.check import rawhtml, trace
from generator.check.link import link, reference_problems
from generator.check.source import FOLDER as SOURCE_FOLDER, read_source
from generator.check.tree import DIR, FILE, LINK, MAX_FILE_BYTES, SPECIAL, UNREADABLE, TooLarge, Tree, Unreadable, from_directory
from generator.check.validate import Reference, validate_document
from generator.core import codes
from generator.core.load import Document, load_bytes
from generator.core.model import Contract
from generator.core.problems import Problem
from generator.core.registry import COLLECTIONS

META_FILE = "contrat.yaml"
ADDRESSES_FILE = "adresses-publiees.txt"  # the site's addresses as last published (addresses.py)


@dataclass(frozen=True)
class Result:
    contract: Contract | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def display_path(path: Path) -> str:
    """Paths as an editor types them: relative to the current directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative.replace(os.sep, "/")


@dataclass(frozen=True)
class Reading:
    """The contract directory read: every file with its kind and loaded document (None if unreadable)."""
    files: list[tuple[PurePosixPath, str, Document | None]]  # path relative to the contract folder
    problems: list[Problem]
    tree: Tree


def read(contract: Path | Tree, shown: str | None = None) -> Reading:
    """Scan the contract folder (on disk, or a tree read from git) and load each YAML file
    strictly, once. Files are named `shown/relative/path` in problems (`shown` defaults to the
    folder as the editor types it; "" names them relative to the folder). Links, special and
    unreadable entries are problems, never followed nor opened."""
    tree = contract if isinstance(contract, Tree) else from_directory(Path(contract))
    if shown is None:
        shown = display_path(tree.root) if tree.root is not None else tree.label

    def name(rel: str) -> str:
        return f"{shown}/{rel}" if shown else rel

    if not tree.exists:
        return Reading([], [Problem(shown or tree.label, 1, 1, codes.FOLDER_LAYOUT, "dossier du contrat introuvable")], tree)
    problems: list[Problem] = []
    for rel, refused in sorted(tree.kinds.items()):
        if refused in (LINK, SPECIAL, UNREADABLE):
            problems.append(Problem(name(rel), 1, 1, *_REFUSED[refused]))
    if tree.kind(META_FILE) is None:
        problems.append(Problem(name(META_FILE), 1, 1, codes.FOLDER_LAYOUT,
                                f"fichier « {META_FILE} » manquant : il décrit le contrat (titre, parties, structure)"))
    for entry in tree.children():
        kind = tree.kind(entry)
        if entry.startswith(".") or entry == META_FILE or entry.lower().startswith("readme") or kind not in (FILE, DIR):
            continue
        if entry == ADDRESSES_FILE and kind == FILE:
            continue  # not data: read and checked by the site build
        if entry == SOURCE_FOLDER and kind == DIR:
            continue  # the source document, read and checked against its declared checksum in check()
        if kind != DIR or entry not in COLLECTIONS:
            problems.append(Problem(name(entry), 1, 1, codes.FOLDER_LAYOUT,
                                    f"« {entry} » inattendu dans le dossier du contrat ; dossiers possibles : "
                                    + ", ".join([*COLLECTIONS, SOURCE_FOLDER])))
    paths = [(META_FILE, "contrat")] if tree.kind(META_FILE) == FILE else []
    for collection in COLLECTIONS:
        kind = COLLECTIONS[collection].schema
        if tree.kind(collection) == DIR:
            for entry in tree.children(collection):
                rel = f"{collection}/{entry}"
                if entry.endswith(".yaml") and tree.kind(rel) == FILE:
                    paths.append((rel, kind))
                elif not entry.startswith(".") and tree.kind(rel) in (FILE, DIR):
                    problems.append(Problem(name(rel), 1, 1, codes.FOLDER_LAYOUT,
                                            f"« {entry} » ignoré : seuls des fichiers « .yaml » sont attendus ici"))
    files = []
    for rel, kind in paths:
        try:
            doc, load_problems = load_bytes(tree.read(rel), name(rel))
        except TooLarge:
            doc, load_problems = None, [Problem(name(rel), 1, 1, codes.TOO_LARGE,
                                                f"fichier trop gros (plus de {MAX_FILE_BYTES // 1024 // 1024} Mio) : il n'a pas été lu")]
        except Unreadable:
            doc, load_problems = None, [Problem(name(rel), 1, 1, *_REFUSED[UNREADABLE])]
        problems += load_problems
        files.append((PurePosixPath(rel), kind, doc))
    return Reading(files, problems, tree)


_REFUSED = {
    LINK: (codes.NOT_A_FILE, "lien symbolique refusé : le dossier du contrat ne contient que des fichiers et des dossiers "
                    "ordinaires ; remplacez le lien par le fichier lui-même"),
    SPECIAL: (codes.NOT_A_FILE, "fichier spécial refusé (tube, périphérique, sous-module…) : seuls des fichiers et des dossiers "
                       "ordinaires sont lus"),
    UNREADABLE: (codes.UNREADABLE, "fichier ou dossier illisible (droits d'accès ?) : il n'a pas été lu"),
}


def check(contract: Path | Tree, reading: Reading | None = None) -> Result:
    """Validate and link a contract folder or tree (read now, or already read with read())."""
    reading = reading or read(contract)
    problems = list(reading.problems)
    refs: list[Reference] = []
    docs: dict[str, list[Document]] = {}
    meta_doc: Document | None = None
    ids: dict[str, set[str]] = {}
    meta_raw: dict | None = None
    for path, kind, doc in reading.files:
        if doc is None:
            ids.setdefault(path.parent.name, set()).add(path.stem)  # unreadable, yet referable
            continue
        if kind == "contrat":
            meta_raw = doc.data if isinstance(doc.data, dict) else {}
        else:
            # An id that is not valid text still names its file: refer to it by file name.
            id_ = doc.data.get("id") if isinstance(doc.data, dict) else None
            ids.setdefault(path.parent.name, set()).add(id_ if isinstance(id_, str) else path.stem)
        schema_problems, doc_refs = validate_document(doc, kind)
        problems += schema_problems + rawhtml.problems(doc)
        refs += doc_refs
        if schema_problems:
            continue
        if kind == "contrat":
            meta_doc = doc
        else:
            docs.setdefault(path.parent.name, []).append(doc)
    if meta_doc is None or problems:
        # Numbering and counts need every document valid; references can still be checked.
        if meta_raw is None:  # parts are unknown: do not report every section's part
            refs = [r for r in refs if r.target != "parts"]
        return Result(None, sorted(set(problems + reference_problems(refs, ids, meta_raw or {}))))
    source, source_problems = read_source(reading.tree, meta_doc)
    linked, link_problems = link(meta_doc, docs, refs, source)
    problems += source_problems + link_problems
    if linked.source is not None:
        problems += trace.check(linked.source, meta_doc, docs)
    return Result(None if problems else linked, sorted(set(problems)))
