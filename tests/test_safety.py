"""Safe on untrusted pull requests and careless commands (issue 10): each finding is a test here
or a folder of tests/cases/invalid/."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import cli, diff, gitrepo, history, pipeline
from tests.conftest import MINI


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    repo = tmp_path / "depot"
    shutil.copytree(MINI, repo / "contract")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "user.name", "Test")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "version initiale")
    monkeypatch.chdir(repo)
    return repo


def run(capsys, *args):
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# -- git: one module, refs checked, trees read from objects -----------------------------------

@pytest.mark.parametrize("args", [
    ("diff", "--", "--output=victime.txt"),
    ("diff", "main", "--", "--output=victime.txt"),
    ("amendment", "check", "--base=--output=victime.txt"),
    ("amendment", "draft", "--base=--output=victime.txt"),
])
def test_a_ref_never_becomes_a_git_option(repo, capsys, args):
    victim = repo / "victime.txt"
    victim.write_text("à garder\n", encoding="utf-8")
    code, out = run(capsys, *args)
    assert code == 2
    assert "révision git refusée : « --output=victime.txt »" in out
    assert victim.read_text(encoding="utf-8") == "à garder\n"


def test_an_unknown_ref_is_a_usage_error(repo, capsys):
    code, out = run(capsys, "diff", "n-existe-pas")
    assert (code, out.strip()) == (2, "contrat : révision git inconnue : « n-existe-pas »")


def test_gitrepo_refuses_option_like_refs(repo):
    with pytest.raises(gitrepo.GitError, match="refusée"):
        gitrepo.commit(repo, "-h")
    assert gitrepo.commit(repo, "main") == git(repo, "rev-parse", "HEAD").strip()


def test_gitrepo_helpers(repo, tmp_path):
    where = gitrepo.locate(repo / "contract")
    assert where == gitrepo.Location(repo.resolve(), "contract")
    assert gitrepo.head(repo / "contract") == git(repo, "rev-parse", "HEAD").strip()
    untracked = repo / "ailleurs"
    untracked.mkdir()
    assert gitrepo.locate(untracked) is None and gitrepo.head(untracked) is None
    assert gitrepo.head(tmp_path / "hors-depot") is None
    assert not gitrepo.is_modified(where)
    (repo / "contract/actions/1.1.1.yaml").write_text("id: \"1.1.1\"\n", encoding="utf-8")
    assert gitrepo.is_modified(where)
    git(repo, "commit", "-qam", "deux")
    assert len(gitrepo.commits_touching(repo, "contract/actions/1.1.1.yaml")) == 2
    assert len(gitrepo.commits_touching(repo, "contract/actions/1.1.1.yaml", added_only=True)) == 1
    entries = {e.path: e for e in gitrepo.tree(repo, "HEAD", "contract")}
    assert entries["actions"].is_dir and entries["actions/1.1.1.yaml"].is_file
    blob = gitrepo.blobs(repo, [entries["actions/1.1.1.yaml"].object])
    assert list(blob.values()) == [b'id: "1.1.1"\n']
    assert gitrepo.tree(repo, "HEAD", "absent") is None


def test_only_gitrepo_runs_git():
    generator = Path(__file__).resolve().parent.parent / "generator"
    runners = sorted(p.name for p in generator.glob("*.py") if "subprocess" in p.read_text(encoding="utf-8"))
    assert runners == ["gitrepo.py"]


def test_a_committed_symlink_is_a_problem_not_a_crash_nor_a_leak(repo, capsys, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text('id: "1.1.9"\ntitle: "CONTENU SECRET"\n', encoding="utf-8")
    (repo / "contract/actions/1.1.9.yaml").symlink_to(secret)
    (repo / "contract/actions/passwd.yaml").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "liens")
    code, out = run(capsys, "diff", "main~1", "main")
    assert code == 0, out
    assert "actions/1.1.9.yaml:1:1: CV401 lien symbolique refusé" in out
    assert "CONTENU SECRET" not in out and "root:" not in out
    code, out = run(capsys, "amendment", "check", "--base", "main~1")
    assert code == 1 and "CV401" in out and "CONTENU SECRET" not in out


def test_history_reads_a_tree_with_a_symlink(repo, tmp_path):
    amendments = repo / "contract/amendments"
    amendments.mkdir()
    (amendments / "1.yaml").write_text(AMENDMENT, encoding="utf-8")
    (repo / "contract/actions/lien.yaml").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "avenant et lien")
    snap = diff.git_snapshot(repo, "HEAD", "contract")
    assert [p.code for p in snap.problems if p.file == "actions/lien.yaml"] == ["CV401"]
    assert "CV401" in {p.code for p in pipeline.check(repo / "contract").problems}
    clean = tmp_path / "propre"
    shutil.copytree(MINI, clean)
    shutil.copytree(amendments, clean / "amendments")
    contract = pipeline.check(clean).contract
    found = history.collect(repo / "contract", contract)
    assert found.commit == git(repo, "rev-parse", "--short", "HEAD").strip()
    assert "CV401" in {p.code for problems in found.diffs["1"].problems.values() for p in problems}


AMENDMENT = """id: "1"
kind: "rectification"
title: "Révision n°1"
date: "2025-03-14"
summary: "Essai."
changes:
  - {entity: "actions/1.1.1", operation: "modify", reason: "essai"}
"""
