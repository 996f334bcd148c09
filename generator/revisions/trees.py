"""Trees at a commit: the contract folder as git holds it, read from git objects (nothing extracted)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from generator.check.tree import DIR, FILE, LINK, MAX_DEPTH, SPECIAL, Tree, limit_for
from generator.revisions import gitrepo


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
            and (entry.size or 0) <= limit_for(entry.path))


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
