"""What git knows about the contract's revisions, gathered before rendering (render stays pure).

For each amendment, the data diff of the commit that added its file: the amendment check
makes that commit carry exactly the declared changes. Without git, or for a file not yet
committed, there is no diff and the site shows the declared changes only.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from . import diff
from .model import Contract


@dataclass(frozen=True)
class History:
    commit: str | None = None                       # short id of the commit the site is built from
    diffs: dict = field(default_factory=dict)       # amendment id -> diff.Diff
    states: dict = field(default_factory=dict)      # amendment id -> (entities before, entities after) its commit
    dirty: bool = False                             # the contract folder differs from that commit


def _git(cwd: Path, *args) -> str | None:
    try:
        run = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True)
    except OSError:  # no git on this machine
        return None
    return run.stdout.strip() if run.returncode == 0 else None


def collect(contract_dir: Path, contract: Contract) -> History:
    contract_dir = contract_dir.resolve()
    top = _git(contract_dir, "rev-parse", "--show-toplevel")
    if not top:
        return History()
    repo = Path(top)
    path = contract_dir.relative_to(repo.resolve()).as_posix()
    diffs, states = {}, {}
    for amendment in contract.all("amendments"):
        commit = _git(repo, "log", "--diff-filter=A", "--format=%H", "-1", "--", f"{path}/amendments/{amendment.id}.yaml")
        if not commit:
            continue
        parent = _git(repo, "rev-parse", "--verify", "--quiet", f"{commit}^")
        before = diff.git_snapshot(repo, parent, path) if parent else diff.Snapshot("", {}, {})
        after = diff.git_snapshot(repo, commit, path)
        diffs[amendment.id] = diff.compare(before, after)
        states[amendment.id] = (before.entities, after.entities)
    dirty = _git(repo, "status", "--porcelain", "--untracked-files=all", "--", path)
    return History(_git(repo, "rev-parse", "--short", "HEAD"), diffs, states, bool(dirty))
