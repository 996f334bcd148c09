"""What git knows about the contract's revisions, gathered before rendering (render stays pure).

For each amendment, the data diff of the commit that added its file: the amendment check
makes that commit carry exactly the declared changes. Without git, or for a file not yet
committed, there is no diff and the site shows the declared changes only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import diff, gitrepo
from .model import Contract


@dataclass(frozen=True)
class History:
    commit: str | None = None                       # short id of the commit the site is built from
    diffs: dict = field(default_factory=dict)       # amendment id -> diff.Diff


def collect(contract_dir: Path, contract: Contract) -> History:
    where = gitrepo.locate(contract_dir)
    if where is None:
        return History()
    diffs = {}
    try:
        for amendment in contract.all("amendments"):
            added = gitrepo.commits_touching(where.repo, where.join(f"amendments/{amendment.id}.yaml"), added_only=True)
            if not added:
                continue
            commit = added[0]
            parent = gitrepo.parent(where.repo, commit)
            before = diff.git_snapshot(where.repo, parent, where.path) if parent else diff.Snapshot("", {}, {})
            diffs[amendment.id] = diff.compare(before, diff.git_snapshot(where.repo, commit, where.path))
        head = gitrepo.head(contract_dir)
        return History(gitrepo.short(where.repo, head) if head else None, diffs)
    except gitrepo.GitError:  # git vanished or the repository is unusable: the site shows declared changes only
        return History()
