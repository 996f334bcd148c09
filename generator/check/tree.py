"""The contract folder as a tree of entries, read without following anything.

A tree comes from disk (`from_directory`) or from a git commit (`from_git`); the pipeline
reads both the same way. Only regular files and folders are read: a symbolic link, a FIFO,
a device, a submodule or an unreadable entry is a kind of its own, that the pipeline reports
as a problem without ever opening it. Files larger than a limit are not read either.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.revisions import gitrepo

FILE, DIR, LINK, SPECIAL, UNREADABLE = "fichier", "dossier", "lien symbolique", "fichier spécial", "illisible"
MAX_FILE_BYTES = 2 * 1024 * 1024   # a YAML file of the contract; the source document has its own limit
MAX_DEPTH = 2                      # contract/collection/file


class TooLarge(Exception):
    pass


class Unreadable(Exception):
    pass


@dataclass
class Tree:
    """Entries by relative path (« actions/1.1.1.yaml »), each with its kind, and a reader."""
    label: str                                            # how the tree is named in messages
    kinds: dict[str, str] = field(default_factory=dict)   # relative path -> FILE, DIR, LINK, SPECIAL, UNREADABLE
    root: Path | None = None                              # the folder on disk, for a tree read from disk
    _contents: dict[str, bytes] = field(default_factory=dict, repr=False)
    _sizes: dict[str, int] = field(default_factory=dict, repr=False)
    exists: bool = True

    def children(self, folder: str = "") -> list[str]:
        """Names of the entries directly inside `folder` ("" for the top), sorted."""
        prefix = folder + "/" if folder else ""
        return sorted(p[len(prefix):] for p in self.kinds if p.startswith(prefix) and "/" not in p[len(prefix):])

    def kind(self, path: str) -> str | None:
        return self.kinds.get(path)

    def read(self, path: str, limit: int = MAX_FILE_BYTES) -> bytes:
        """The bytes of a regular file. Raises TooLarge or Unreadable, never follows a link."""
        if self.kinds.get(path) != FILE:
            raise Unreadable(path)
        if self._sizes.get(path, 0) > limit:
            raise TooLarge(path)
        if path in self._contents:
            return self._contents[path]
        if self.root is None:
            raise Unreadable(path)
        return _read_file(self.root / path, limit)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISDIR(mode):
        return DIR
    if stat.S_ISREG(mode):
        return FILE
    return SPECIAL


def from_directory(root: Path) -> Tree:
    """The folder as it is on disk, down to MAX_DEPTH levels (deeper entries are not listed)."""
    root = Path(root)
    found = Tree(str(root), root=root)
    try:
        top = os.lstat(root)
    except OSError:
        found.exists = False
        return found
    if not stat.S_ISDIR(top.st_mode):
        found.exists = False
        return found

    def walk(folder: Path, rel: str, depth: int):
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            if rel:
                found.kinds[rel] = UNREADABLE
            else:
                found.exists = False
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden entries are neither read nor reported
            path = f"{rel}/{entry.name}" if rel else entry.name
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                found.kinds[path] = UNREADABLE
                continue
            kind = _kind(info.st_mode)
            found.kinds[path] = kind
            if kind == FILE:
                found._sizes[path] = info.st_size
                if not os.access(entry.path, os.R_OK, follow_symlinks=False):
                    found.kinds[path] = UNREADABLE
            elif kind == DIR and depth < MAX_DEPTH:
                walk(Path(entry.path), path, depth + 1)

    walk(root, "", 1)
    return found


def _read_file(path: Path, limit: int) -> bytes:
    """Open without following a link or blocking on a FIFO; read only a regular file within limit."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        raise Unreadable(str(path)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(str(path))
        if info.st_size > limit:
            raise TooLarge(str(path))
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError:
        raise Unreadable(str(path)) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise TooLarge(str(path))
    return data


def from_git(repo: Path, commit: str, path: str, only: set[str] | None = None) -> Tree:
    """The folder `path` of the repository at a commit, read from git objects (nothing extracted).
    A commit without that folder gives a tree that does not exist. With `only`, the tree holds
    just those files (relative paths) and the folders above them."""
    entries = gitrepo.tree(repo, commit, path)
    if entries is not None and only is not None:
        folders = {f.rsplit("/", 1)[0] for f in only if "/" in f}
        entries = [e for e in entries if e.path in only or e.path in folders]
    if entries is None:
        return Tree(f"{commit}:{path}", exists=False)
    return from_entries(f"{commit}:{path}", entries, lambda objects: gitrepo.blobs(repo, objects))


def readable(entry: gitrepo.Entry) -> bool:
    """Whether a tree entry is a file the pipeline reads (within its depth, not hidden, not too large)."""
    return (entry.is_file and entry.path.count("/") < MAX_DEPTH and not any(p.startswith(".") for p in entry.path.split("/"))
            and (entry.size or 0) <= _limit_for(entry.path))


def from_entries(label: str, entries: list[gitrepo.Entry], read: Callable[[list[str]], Mapping[str, bytes]]) -> Tree:
    """A tree of git entries; `read` gives the contents of the blobs of the files to read."""
    found = Tree(label)
    wanted = []
    for entry in entries:
        if entry.path.count("/") >= MAX_DEPTH or any(part.startswith(".") for part in entry.path.split("/")):
            continue
        kind = FILE if entry.is_file else DIR if entry.is_dir else LINK if entry.mode == gitrepo.MODE_LINK else SPECIAL
        found.kinds[entry.path] = kind
        if kind == FILE:
            found._sizes[entry.path] = entry.size or 0
            if readable(entry):
                wanted.append(entry)
    contents = read([e.object for e in wanted])
    for entry in wanted:
        if entry.object in contents:
            found._contents[entry.path] = contents[entry.object]
    return found


def _limit_for(path: str) -> int:
    from generator.check.source import FOLDER, MAX_BYTES
    return MAX_BYTES if path.startswith(FOLDER + "/") else MAX_FILE_BYTES
