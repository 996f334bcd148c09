"""The one place that runs git: read-only questions about the repository that holds a contract.

Every revision given by a user is checked before use (`rev-parse --verify --end-of-options`),
and a revision starting with « - » is refused outright, so that no text becomes a git option.
Files are read from git objects (`ls-tree`, `cat-file --batch`), never extracted to disk;
a symbolic link or a submodule in a tree is reported, never followed.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path


class GitError(ValueError):
    """A revision or repository git cannot use; the message is French, for the person who typed it."""


# Modes of tree entries (git's own numbers) and what they are.
MODE_FILE, MODE_EXECUTABLE, MODE_LINK, MODE_DIR = "100644", "100755", "120000", "040000"  # others (160000: submodule) are refused


@dataclass(frozen=True)
class Entry:
    """One entry of a git tree, below the folder that was listed."""
    path: str    # relative to the listed folder, with « / »
    mode: str    # one of the MODE_ constants (a symlink is MODE_LINK: its target is never read)
    object: str  # object id
    size: int | None  # size of a blob in bytes (None for a folder or submodule)

    @property
    def is_file(self) -> bool:
        return self.mode in (MODE_FILE, MODE_EXECUTABLE)

    @property
    def is_dir(self) -> bool:
        return self.mode == MODE_DIR


def _run(repo: Path, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    """git -C repo ARGS, without any pager, prompt or locale-dependent output."""
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", LC_ALL="C")
    try:
        return subprocess.run(["git", "-C", str(repo), "-c", "core.quotepath=off", *args],
                              input=input, capture_output=True, env=env)
    except OSError as exc:  # no git on this machine
        raise GitError(f"git est introuvable ou ne peut pas être lancé ({exc.strerror})") from None


def _out(repo: Path, *args: str) -> str | None:
    run = _run(repo, *args)
    return run.stdout.decode("utf-8", "replace").strip() if run.returncode == 0 else None


@dataclass(frozen=True)
class Location:
    """A folder tracked by git: the repository's top folder and the folder's path inside it."""
    repo: Path
    path: str  # « / »-separated, relative to repo ("" for the top folder itself)

    def join(self, relative: str) -> str:
        """A path below the folder, relative to the repository."""
        return f"{self.path}/{relative}" if self.path else relative


def locate(folder: Path, tracked: bool = True) -> Location | None:
    """The repository that tracks `folder` (None when it is not in a work tree, or, with
    `tracked`, when git tracks no file in it)."""
    folder = Path(folder).resolve()
    start = folder if folder.is_dir() else folder.parent
    try:
        top = _out(start, "rev-parse", "--show-toplevel")
    except GitError:
        return None
    if not top:
        return None
    repo = Path(top).resolve()
    try:
        path = folder.relative_to(repo).as_posix()
    except ValueError:
        return None
    path = "" if path == "." else path
    if tracked:
        files = _run(repo, "ls-files", "-z", "--", path or ".")
        if files.returncode != 0 or not files.stdout:
            return None
    return Location(repo, path)


def location(folder: Path) -> Location:
    """The repository holding `folder` (tracked or not yet), for commands that need git: a French
    GitError when there is none."""
    found = locate(folder, tracked=False)
    if found is None:
        raise GitError(f"« {folder} » n'est pas dans un dépôt git")
    return found


def commit(repo: Path, ref: str) -> str:
    """The full id of the commit `ref` names. Refuses a ref starting with « - » (it would be
    read as an option) and anything that does not name a commit."""
    if not ref or ref.startswith("-"):
        raise GitError(f"révision git refusée : « {ref} » (une révision ne commence pas par « - »)")
    found = _out(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}")
    if not found:
        raise GitError(f"révision git inconnue : « {ref} »")
    return found


def short(repo: Path, commit_id: str) -> str:
    """A short, unambiguous form of a commit id."""
    return _out(repo, "rev-parse", "--short", "--verify", "--end-of-options", commit(repo, commit_id)) or commit_id[:12]


def is_modified(where: Location) -> bool:
    """Whether the work tree of the folder differs from HEAD (changed, added or untracked files;
    True when git cannot tell)."""
    run = _run(where.repo, "status", "--porcelain", "-z", "--untracked-files=all", "--", where.path or ".")
    return run.returncode != 0 or bool(run.stdout)


def tree(repo: Path, commit_id: str, path: str) -> list[Entry] | None:
    """Every entry (files, folders, links) below `path` at a commit, recursively; None when the
    commit has no such folder."""
    commit_id = commit(repo, commit_id)
    spec = f"{commit_id}:{path}" if path else f"{commit_id}^{{tree}}"
    run = _run(repo, "ls-tree", "-r", "-t", "-z", "--long", "--end-of-options", spec)
    if run.returncode != 0:  # no such path at that commit, or a file rather than a folder
        return None
    entries = []
    for record in run.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, _kind, obj, size = meta.decode("ascii").split(maxsplit=3)
        entries.append(Entry(name.decode("utf-8", "replace"), mode, obj, int(size) if size.strip().isdigit() else None))
    return entries


@dataclass(frozen=True)
class FileChange:
    """A file a commit changed, as `git log --raw` gives it: its mode and blob before and after
    (mode « 000000 » on the side where it does not exist)."""
    path: str     # relative to the folder that was asked about
    status: str   # « A », « M », « D », « T »…
    old_mode: str
    old_object: str
    new_mode: str
    new_object: str


@dataclass(frozen=True)
class Commit:
    id: str
    parents: tuple[str, ...]
    changes: tuple[FileChange, ...]  # the files below the folder that differ from its first parent

    @property
    def short(self) -> str:
        """Its id cut short for people (`--no-abbrev`, needed for the blobs, makes git's own %h whole)."""
        return self.id[:12]


def log(repo: Path, path: str) -> list[Commit]:
    """Every commit that changed something below `path`, newest first, each with the files it
    changed there (merges without files, as `git log` shows them), in one `git log` call."""
    run = _run(repo, "log", "-z", "--root", "--no-renames", "--raw", "--no-abbrev", "--format=%x01%H %P", "--", path or ".")
    if run.returncode != 0:
        raise GitError("lecture de l'historique git impossible : " + run.stderr.decode("utf-8", "replace").strip())
    prefix = path + "/" if path else ""
    found: list[tuple[str, tuple[str, ...], list[FileChange]]] = []
    tokens = iter(run.stdout.split(b"\0"))
    for token in tokens:  # a path token always follows its « :mode mode obj obj status » token
        token = token.lstrip(b"\n")
        if token.startswith(b"\x01"):
            id_, *parents = token[1:].decode("ascii").split()
            found.append((id_, tuple(parents), []))
        elif token.startswith(b":") and found:
            old_mode, new_mode, old_object, new_object, status = token[1:].decode("ascii").split()
            name = next(tokens, b"").decode("utf-8", "replace")
            if name.startswith(prefix):
                found[-1][2].append(FileChange(name[len(prefix):], status, old_mode, old_object, new_mode, new_object))
    return [Commit(id_, parents, tuple(changes)) for id_, parents, changes in found]


def _cat_file(repo: Path, mode: str, objects: list[str]) -> bytes:
    """What one `git cat-file` call in `mode` (--batch or --batch-check) prints for `objects`."""
    run = _run(repo, "cat-file", mode, input=b"".join(o.encode("ascii") + b"\n" for o in objects))
    if run.returncode != 0:
        raise GitError("lecture des objets git impossible : " + run.stderr.decode("utf-8", "replace").strip())
    return run.stdout


def blob_sizes(repo: Path, objects: list[str]) -> dict[str, int]:
    """Sizes of blobs by object id, in one `cat-file --batch-check` call (nothing read)."""
    if not objects:
        return {}
    found = {}
    for line in _cat_file(repo, "--batch-check", objects).decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit():
            found[parts[0]] = int(parts[2])
    return found


def blobs(repo: Path, objects: list[str]) -> dict[str, bytes]:
    """Contents of blobs by object id, in one `cat-file --batch` call."""
    if not objects:
        return {}
    out, pos, found = _cat_file(repo, "--batch", objects), 0, {}
    for obj in objects:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("ascii").split()
        pos = end + 1
        if len(header) != 3:  # "<obj> missing"
            continue
        size = int(header[2])
        found[obj] = out[pos:pos + size]
        pos += size + 1
    return found
