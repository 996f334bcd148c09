"""What git knows about the contract's revisions, gathered before rendering (render stays pure).

For each amendment, the data diff of the commit that added its file: the amendment check
makes that commit carry exactly the declared changes. Without git, for a file not yet
committed, or for a file added with the contract itself (a repository importing its contract
with its amendments), there is no diff and the site shows the declared changes only.

Git is read once: one `git log` gives every commit of the contract folder with the files it
changed, then the blobs of the amendments' commits are read in one `cat-file` call.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.check.pipeline import META_FILE
from generator.check.validate import conforms
from generator.core import registry
from generator.core.model import Contract
from generator.revisions import diff, gitrepo, trees

ABSENT = "0" * 6  # the mode `git log --raw` gives a file on the side where it does not exist


@dataclass(frozen=True)
class Refused:
    """Data of a past commit that today's schemas refuse: the versions made of it are not shown."""
    key: str     # « actions/1.1.1 »
    where: str   # « à l'état abc1234 du dépôt », for people


@dataclass(frozen=True)
class History:
    commit: str | None = None                       # short id of the commit the site is built from
    diffs: dict = field(default_factory=dict)       # amendment id -> diff.Diff
    states: dict = field(default_factory=dict)      # amendment id -> (entities before, after) its commit; Refused for data today's schemas refuse
    dirty: bool = False                             # the contract folder differs from that commit


def collect(contract_dir: Path, contract: Contract) -> History:
    """What git knows of each amendment: the data diff of the commit that added it, read from
    git objects for the files that commit changed only, and whether the contract folder has
    uncommitted changes."""
    where = gitrepo.locate(contract_dir)
    if where is None:
        return History()
    try:
        added: dict[str, gitrepo.Commit] = {}
        for commit in gitrepo.log(where.repo, where.path):  # newest first: the latest addition wins
            for change in commit.changes:
                if change.status == "A":
                    added.setdefault(change.path, commit)
        commits = {a.id: added[file] for a in contract.all("amendments")
                   if (file := f"amendments/{a.id}.yaml") in added and not _imports(added[file])}
        sides: dict[str, tuple[list[gitrepo.Entry], ...]] = {id_: (_entries(c, before=True), _entries(c, before=False)) for id_, c in commits.items()}
        objects = sorted({e.object for pair in sides.values() for side in pair for e in side if e.is_file})
        sizes = gitrepo.blob_sizes(where.repo, objects)
        sides = {id_: tuple([e if not e.is_file else gitrepo.Entry(e.path, e.mode, e.object, sizes.get(e.object, 0))
                             for e in side] for side in pair) for id_, pair in sides.items()}
        contents = gitrepo.blobs(where.repo, sorted({e.object for pair in sides.values() for side in pair
                                                     for e in side if trees.readable(e)}))
        diffs, states = {}, {}
        for id_, commit in commits.items():
            before, after = (_snapshot(label, side, contents) for label, side in zip((commit.short + "^", commit.short), sides[id_]))
            diffs[id_] = diff.compare(before, after)
            states[id_] = (_checked(before.entities, f"juste avant l'état {commit.short} du dépôt"),
                           _checked(after.entities, f"à l'état {commit.short} du dépôt"))
        return History(gitrepo.short(where.repo, "HEAD"), diffs, states, gitrepo.is_modified(where))
    except gitrepo.GitError:  # git vanished or the repository is unusable: the site shows declared changes only
        return History()


def _imports(commit: gitrepo.Commit) -> bool:
    """A commit that adds the contract itself (a root commit, or one importing the folder): there
    is nothing before it to compare with."""
    return not commit.parents or any(c.path == META_FILE and c.status == "A" for c in commit.changes)


def _entries(commit: gitrepo.Commit, before: bool) -> list[gitrepo.Entry]:
    """The files a commit changed as tree entries on one side (with the folders above them)."""
    files = [gitrepo.Entry(c.path, *((c.old_mode, c.old_object) if before else (c.new_mode, c.new_object)), None)
             for c in commit.changes]
    files = [f for f in files if f.mode != ABSENT]
    folders = {f.path.rsplit("/", 1)[0] for f in files if "/" in f.path}
    return [gitrepo.Entry(f, gitrepo.MODE_DIR, "", None) for f in sorted(folders)] + files


def _snapshot(label: str, entries: list[gitrepo.Entry], contents: dict[str, bytes]) -> diff.Snapshot:
    """The entities of those files, as loaded, unchecked."""
    found = trees.from_entries(label, entries, lambda objects: contents)
    return diff.read_snapshot(found, label, validate=False)


def _checked(entities: dict, where: str) -> dict:
    """The entities, with those today's schemas refuse replaced by a Refused marker."""
    return {key: data if (kind := registry.schema_kind(key)) is None or conforms(data, kind) else Refused(key, where)
            for key, data in entities.items()}
