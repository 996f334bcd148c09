"""The whole checking pipeline: read (scan + strict load) → validate → link.

Everything is gathered before anything is decided: a contract with problems yields the
full list of problems and no model.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .load import Document, load_file
from .model import COLLECTIONS, Contract, link, reference_problems
from .problems import Problem
from .source import FOLDER as SOURCE_FOLDER, read_source
from . import trace
from .validate import validate_document

META_FILE = "contrat.yaml"


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
    files: list[tuple[Path, str, Document | None]]
    problems: list[Problem]


def read(contract_dir: Path, shown: str | None = None) -> Reading:
    """Scan the contract directory and load each YAML file strictly, once. Files are named
    `shown/relative/path` in problems (`shown` defaults to the directory as the editor types it;
    "" names them relative to the directory)."""
    contract_dir = Path(contract_dir)
    shown = display_path(contract_dir) if shown is None else shown

    def name(path: Path) -> str:
        rel = path.relative_to(contract_dir).as_posix()
        return f"{shown}/{rel}" if shown else rel

    if not contract_dir.is_dir():
        return Reading([], [Problem(shown or str(contract_dir), 1, 1, "CV306", "dossier du contrat introuvable")])
    problems: list[Problem] = []
    meta_path = contract_dir / META_FILE
    if not meta_path.is_file():
        problems.append(Problem(name(meta_path), 1, 1, "CV306",
                                f"fichier « {META_FILE} » manquant : il décrit le contrat (titre, parties, structure)"))
    for entry in sorted(contract_dir.iterdir()):
        if entry.name.startswith(".") or entry.name == META_FILE or entry.name.lower().startswith("readme"):
            continue
        if entry.name == SOURCE_FOLDER and entry.is_dir():
            continue  # the source document, read and checked against its declared checksum in check()
        if not entry.is_dir() or entry.name not in COLLECTIONS:
            problems.append(Problem(name(entry), 1, 1, "CV306",
                                    f"« {entry.name} » inattendu dans le dossier du contrat ; dossiers possibles : "
                                    + ", ".join([*COLLECTIONS, SOURCE_FOLDER])))
    paths = [(meta_path, "contrat")] if meta_path.is_file() else []
    for collection, kind in COLLECTIONS.items():
        folder = contract_dir / collection
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix == ".yaml" and path.is_file():
                    paths.append((path, kind))
                elif not path.name.startswith("."):
                    problems.append(Problem(name(path), 1, 1, "CV306",
                                            f"« {path.name} » ignoré : seuls des fichiers « .yaml » sont attendus ici"))
    files = []
    for path, kind in paths:
        doc, load_problems = load_file(path, name(path))
        problems += load_problems
        files.append((path, kind, doc))
    return Reading(files, problems)


def check(contract_dir: Path, reading: Reading | None = None) -> Result:
    """Validate and link a contract directory (read now, or already read with read())."""
    reading = reading or read(contract_dir)
    problems = list(reading.problems)
    refs, docs, meta_doc, ids, meta_raw = [], {}, None, {}, None
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
        problems += schema_problems
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
    source, source_problems = read_source(contract_dir, meta_doc)
    contract, link_problems = link(meta_doc, docs, refs, source)
    problems += source_problems + link_problems
    if contract.source is not None:
        problems += trace.check(contract.source, meta_doc, docs, COLLECTIONS)
    return Result(None if problems else contract, sorted(set(problems)))
