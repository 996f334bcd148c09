"""`contrat nouveau DOSSIER`: a new contract's repository, from the scaffold shipped in the package.

The scaffold (generator/engine/scaffold/) is a minimal contract — one axis, objective, sheet, territory,
two signatories, a preamble — with its mkdocs.yml, a hand-written page and a README. Every example value
it gives carries a marker of core.examples (« À REMPLACER »…): validation names each one (CV208) and the
site does not build until all are replaced, so that no example is ever published. Each YAML file starts
with the editor's schema line, pointing to the engine's JSON Schemas copied into `schemas/`, so that
completion works offline. Everything is written
in a hidden folder beside the target, then renamed into place; an existing empty folder keeps
its identity and gets the staged entries one by one. A folder that is not empty is never written
into, and a failed or interrupted run leaves nothing half-made.
"""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from generator.core.schemas import SCHEMA_DIR

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"
DOTFILES = {"gitignore": ".gitignore"}  # package data leaves hidden files out: stored without their dot
SCHEMAS = "schemas"  # where the new repository keeps its copy of the schemas, beside contract/


class Refused(Exception):
    """A target folder `contrat nouveau` must not write into; the message says why, in French."""


def create(target: Path) -> list[str]:
    """Make `target` a new contract repository; returns the files written (relative, sorted)."""
    target = Path(os.path.abspath(target))
    if target.is_symlink():
        raise Refused(f"« {target} » est un lien symbolique : indiquez un dossier nouveau")
    if target.exists() and not target.is_dir():
        raise Refused(f"« {target} » existe et n'est pas un dossier")
    if target.is_dir() and any(target.iterdir()):
        raise Refused(f"« {target} » existe et n'est pas vide : rien n'a été écrit. Indiquez un dossier nouveau ou vide")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".en-cours", dir=target.parent))
    try:
        written = []
        copies = [(source, source.relative_to(SCAFFOLD)) for source in sorted(SCAFFOLD.rglob("*"))]
        copies += [(source, Path(SCHEMAS, source.name)) for source in sorted(SCHEMA_DIR.glob("*.schema.json"))]
        for source, relative in copies:
            if source.is_file():
                relative = relative.with_name(DOTFILES.get(relative.name, relative.name))
                (staging / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, staging / relative)
                written.append(relative.as_posix())
        if target.is_dir():  # an empty folder, perhaps the current one: filled, but kept itself (inode, mode)
            _fill(staging, target)
        else:
            staging.chmod(0o755)  # mkdtemp makes it private
            os.rename(staging, target)  # fails if anything appeared there meanwhile
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(written)


def _fill(staging: Path, target: Path) -> None:
    """Move the staged entries into the empty `target` one by one, then remove `staging`; on any
    failure, remove those already moved (written by this run), so that `target` is empty again."""
    moved = []
    try:
        for entry in sorted(staging.iterdir()):
            destination = target / entry.name
            if os.path.lexists(destination):  # appeared meanwhile: never replaced
                raise FileExistsError(errno.EEXIST, f"« {entry.name} » y est apparu pendant la création", str(destination))
            os.rename(entry, destination)
            moved.append(destination)
    except BaseException:
        for path in moved:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise
    staging.rmdir()
