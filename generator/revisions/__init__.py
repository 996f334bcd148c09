"""The contract through git: snapshots at a commit, semantic diff, amendments, history, versions."""
