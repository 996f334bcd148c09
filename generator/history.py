"""What git knows about the contract's revisions, gathered before rendering (render stays pure).

For each amendment, the data diff of the commit that added its file: the amendment check
makes that commit carry exactly the declared changes. Without git, or for a file not yet
committed, there is no diff and the site shows the declared changes only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import diff, gitrepo, tree
from .model import Contract


@dataclass(frozen=True)
class History:
    commit: str | None = None                       # short id of the commit the site is built from
    diffs: dict = field(default_factory=dict)       # amendment id -> diff.Diff
    states: dict = field(default_factory=dict)      # amendment id -> (entities before, entities after) its commit
    dirty: bool = False                             # the contract folder differs from that commit


def collect(contract_dir: Path, contract: Contract) -> History:
    """What git knows of each amendment: the data diff of the commit that added it, read from
    git objects for the files that commit changed only (nothing re-validated), and whether the
    contract folder has uncommitted changes."""
    where = gitrepo.locate(contract_dir)
    if where is None:
        return History()
    diffs, states = {}, {}
    try:
        for amendment in contract.all("amendments"):
            added = gitrepo.commits_touching(where.repo, where.join(f"amendments/{amendment.id}.yaml"), added_only=True)
            if not added:
                continue
            commit = added[0]
            parent = gitrepo.parent(where.repo, commit)
            changed = set(gitrepo.changed_files(where.repo, parent, commit, where.path)) if parent else None
            before = _changed(where, parent, changed) if parent else diff.Snapshot("", {}, {})
            after = _changed(where, commit, changed)
            diffs[amendment.id] = diff.compare(before, after)
            states[amendment.id] = (before.entities, after.entities)
        head = gitrepo.head(contract_dir)
        return History(gitrepo.short(where.repo, head) if head else None, diffs, states, gitrepo.is_modified(where))
    except gitrepo.GitError:  # git vanished or the repository is unusable: the site shows declared changes only
        return History()


def _changed(where: gitrepo.Location, commit: str, files: set[str] | None) -> diff.Snapshot:
    """The entities of `files` (all of them when None) at a commit, as loaded, unchecked."""
    found = tree.from_git(where.repo, commit, where.path, only=files)
    return diff.read_snapshot(found, commit, validate=False) if found.exists else diff.Snapshot(commit, {}, {})
