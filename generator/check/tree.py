"""The contract folder as a tree of entries, read without following anything.

A tree comes from disk (`from_directory`) or from a git commit (`revisions.trees.from_git`); the pipeline
reads both the same way. Only regular files and folders are read: a symbolic link, a FIFO,
a device, a submodule or an unreadable entry is a kind of its own, that the pipeline reports
as a problem without ever opening it. Files larger than a limit are not read either.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

FILE, DIR, LINK, SPECIAL, UNREADABLE = "fichier", "dossier", "lien symbolique", "fichier spécial", "illisible"
MAX_FILE_BYTES = 2 * 1024 * 1024   # a YAML file of the contract; the source document has its own limit
MAX_DEPTH = 2                      # contract/collection/file
SOURCE_FOLDER = "source"            # the signed text's folder in the contract
SOURCE_MAX_BYTES = 20 * 1024 * 1024


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


def limit_for(path: str) -> int:
    """The largest file the pipeline reads at `path`: the source document has a limit of its own."""
    return SOURCE_MAX_BYTES if path.startswith(SOURCE_FOLDER + "/") else MAX_FILE_BYTES
