"""`contrat nouveau`: a new contract's repository that validates at once, never written over anything."""
import os
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

import pytest

from generator import cli

from generator.engine import new
from generator.check.pipeline import check
from tests.conftest import declare_renumbering


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_new_repository_is_a_valid_contract_with_every_example_marked(tmp_path, capsys):
    code, out, err = run(capsys, "nouveau", str(tmp_path / "ville"))
    assert code == 0 and "Nouveau contrat créé" in out and "contract/contrat.yaml" in out, err
    city = tmp_path / "ville"
    result = check(city / "contract")
    assert result.ok, [p.text() for p in result.problems]
    for kind in ("axes", "objectives", "actions", "territories", "signatories", "sections"):
        assert len(result.contract.all(kind)) >= 1, kind
    for path in (city / "contract").rglob("*.yaml"):
        assert "à remplacer" in path.read_text(encoding="utf-8"), path
    config = (city / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- contrat" in config and "hooks:" not in config
    assert list((city / "docs").glob("*.md"))  # `mkdocs serve` run directly needs a docs/ folder that git keeps
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ville"]  # no staging folder left beside it


def test_an_empty_folder_is_filled_and_stays_the_same_folder(tmp_path, capsys, monkeypatch):
    """`contrat nouveau .` in an empty folder: a shell inside it stays in it, its mode is kept."""
    folder = tmp_path / "vide"
    folder.mkdir()
    folder.chmod(0o750)
    before = folder.stat()
    monkeypatch.chdir(folder)
    code, out, err = run(capsys, "nouveau", ".")
    assert code == 0, err
    after = folder.stat()
    assert (after.st_ino, after.st_dev, after.st_mode) == (before.st_ino, before.st_dev, before.st_mode)
    assert Path("contract/contrat.yaml").is_file() and Path("docs/a-propos.md").is_file() and Path(".gitignore").is_file()
    assert check(folder / "contract").ok
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vide"]  # no staging folder left beside it


def test_a_failure_while_filling_an_empty_folder_leaves_it_empty(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "vide"
    folder.mkdir()
    moves = []

    def rename(source, destination):
        moves.append(destination)
        if len(moves) == 3:
            raise OSError(28, "No space left on device", str(destination))
        real_rename(source, destination)

    real_rename = os.rename
    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError):
        new.create(folder)
    assert len(moves) == 3 and not list(folder.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vide"]


@pytest.mark.parametrize("existing", ["folder", "file", "link"])
def test_nothing_is_written_over_an_existing_path(tmp_path, capsys, existing):
    target = tmp_path / "ville"
    if existing == "folder":
        target.mkdir()
        (target / "notes.txt").write_text("à garder\n", encoding="utf-8")
    elif existing == "file":
        target.write_text("à garder\n", encoding="utf-8")
    else:
        (tmp_path / "ailleurs").mkdir()
        os.symlink(tmp_path / "ailleurs", target)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    code, out, err = run(capsys, "nouveau", str(target))
    assert code == 2 and out == ""
    assert err.startswith("contrat : « ") and ("n'est pas vide" in err or "n'est pas un dossier" in err
                                                or "lien symbolique" in err), err
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before
    if existing == "folder":
        assert (target / "notes.txt").read_text(encoding="utf-8") == "à garder\n"


def test_a_repository_without_docs_builds(tmp_path, capsys, monkeypatch):
    """docs/ is optional: `contrat build` needs only contract/ and mkdocs.yml, and creates no docs/."""
    assert run(capsys, "nouveau", str(tmp_path / "ville"))[0] == 0
    city = tmp_path / "ville"
    shutil.rmtree(city / "docs")
    config = (city / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.split("\nnav:")[0].replace("# repo_url: https://forge.example.org/ville/contrat", "repo_url: https://forge.example.org/ville/contrat")
    (city / "mkdocs.yml").write_text(config.replace("# edit_uri: ", "edit_uri: ") + "\n", encoding="utf-8")
    monkeypatch.chdir(city)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    code, out, err = run(capsys, "build", "--sans-pdf")
    assert code == 0 and "Site construit" in out, err
    assert not [p for p in (tmp_path / "tmp").iterdir() if "docs" in p.name]  # MkDocs' empty stand-in for docs/ is gone
    assert (city / "site/index.html").is_file() and (city / "site/fiches/1.1.1/index.html").is_file()
    assert not (city / "site/a-propos").exists()
    sheet = (city / "site/fiches/1.1.1/index.html").read_text(encoding="utf-8")
    assert 'href="https://forge.example.org/ville/contrat/edit/main/contract/actions/1.1.1.yaml"' in sheet  # edit links kept
    assert sorted(p.name for p in city.iterdir()) == [".gitignore", ".site.verrou", "README.md", "contract", "mkdocs.yml", "site"]


def test_a_renumbering_declared_by_an_amendment_builds_in_a_new_repository(tmp_path, capsys, monkeypatch):
    """The scaffold's mkdocs.yml has the redirects plugin: the old address of a renumbered sheet leads to its new page."""
    assert run(capsys, "nouveau", str(tmp_path / "ville"))[0] == 0
    contract = tmp_path / "ville/contract"
    def edit(path, *replacements):
        text = (contract / path).read_text(encoding="utf-8")
        for before, after in replacements:
            assert before in text
            text = text.replace(before, after)
        (contract / path).write_text(text, encoding="utf-8")

    # Sheet 1.1.1 moved to a new objective 1.2, as sheet 1.2.1.
    shutil.copy(contract / "objectives/1.1.yaml", contract / "objectives/1.2.yaml")
    edit("objectives/1.2.yaml", ('id: "1.1"', 'id: "1.2"'))
    (contract / "actions/1.1.1.yaml").rename(contract / "actions/1.2.1.yaml")
    edit("actions/1.2.1.yaml", ('id: "1.1.1"', 'id: "1.2.1"'), ('objective: "1.1"', 'objective: "1.2"'))
    edit("sections/preambule.yaml", ("1.1.1", "1.2.1"))
    edit("contrat.yaml", ('{entity: "objectives", expected: 1}', '{entity: "objectives", expected: 2}'))
    declare_renumbering(contract, "actions/1.1.1", "actions/1.2.1", "Fiche renumérotée.", "renumérotée")
    monkeypatch.chdir(tmp_path / "ville")
    code, out, err = run(capsys, "build", "--sans-pdf")
    assert code == 0 and "Site construit" in out, err
    redirect = (tmp_path / "ville/site/fiches/1.1.1/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../1.2.1/">' in redirect


def test_the_first_build_says_how_to_start_the_published_address_list(tmp_path, capsys, monkeypatch):
    assert run(capsys, "nouveau", str(tmp_path / "ville"))[0] == 0
    monkeypatch.chdir(tmp_path / "ville")
    code, out, err = run(capsys, "build", "--sans-pdf")
    assert code == 0, err
    hint = [line for line in out.splitlines() if "adresses-publiees.txt" in line]
    assert len(hint) == 1 and "cp site/adresses.txt contract/adresses-publiees.txt" in hint[0], out
    shutil.copy("site/adresses.txt", "contract/adresses-publiees.txt")
    code, out, err = run(capsys, "build", "--sans-pdf")
    engine = f"MkDocs {version('mkdocs')}"
    assert code == 0 and out.strip() == f"Site construit dans {tmp_path / 'ville/site'} (moteur {engine})", out + err  # list up to date: nothing to say
