"""`contrat nouveau`: a new contract's repository that validates at once, never written over anything."""
import os

import pytest

from generator import cli
from generator.pipeline import check


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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ville"]  # no staging folder left beside it


def test_an_empty_folder_is_filled(tmp_path, capsys):
    (tmp_path / "vide").mkdir()
    assert run(capsys, "nouveau", str(tmp_path / "vide"))[0] == 0
    assert (tmp_path / "vide/contract/contrat.yaml").is_file()


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
