"""`contrat nouveau`: a new contract's repository an editor can work in, whose examples cannot be published
unreplaced, never written over anything."""
import json
import os
import re
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator import cli

from generator.core import examples
from generator.core.schemas import SCHEMA_DIR
from generator.engine import new
from generator.check.pipeline import check
from tests.conftest import declare_renumbering, headings_over_nothing

SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")
KINDS = {"contrat.yaml": "contrat", "actions": "action", "axes": "axis", "objectives": "objective", "sections": "section",
         "signatories": "signatory", "territories": "territory"}


def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _edit(path: Path, *replacements: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for before, after in replacements:
        assert before in text, (path, before)
        text = text.replace(before, after, 1)
    path.write_text(text, encoding="utf-8")


def replace_examples(city: Path) -> None:
    """What the editor of a new repository does: every example replaced by what the contract says."""
    contract = city / "contract"
    _edit(contract / "contrat.yaml",
          ("Ville-Exemple 2024-2030 (À REMPLACER)", "Bourg-Neuf 2024-2030"),
          ("Ville-Exemple (À REMPLACER)", "Commune de Bourg-Neuf"),
          ("Page publique qui présente le contrat, et qui la publie (À REMPLACER)",
           "Le contrat de ville, page publiée par la commune de Bourg-Neuf"),
          ("https://www.example.org/a-remplacer", "https://www.example.org/bourg-neuf/contrat-de-ville"),
          ('consulted: "AAAA-MM-JJ"', 'consulted: "2024-11-04"'),
          ('date: "AAAA-MM-JJ"', 'date: "2024-10-15"'),
          ("D'où la date de signature est connue (À REMPLACER).", "Délibération du conseil municipal du 14 octobre 2024."),
          ("le préfet (À REMPLACER),", "la préfète,"), ("son maire (À REMPLACER),", "sa maire,"),
          ("de Ville-Exemple, consultable et cherchable, fiche par fiche (À REMPLACER).",
           "de Bourg-Neuf, consultable et cherchable, fiche par fiche."))
    for path in sorted(contract.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8").replace(" (À REMPLACER)", "").replace("Ville-Exemple", "Bourg-Neuf")
        path.write_text(text.replace("quartier-a-remplacer", "centre-bourg"), encoding="utf-8")
    (contract / "territories/quartier-a-remplacer.yaml").rename(contract / "territories/centre-bourg.yaml")


def _markers(folder: Path) -> set[str]:
    """« file:line:column » of every example marker in the values of the YAML files of `folder`, read as text."""
    return {f"{path.relative_to(folder.parent).as_posix()}:{number}:{offset + 1}"
            for path in sorted(folder.rglob("*.yaml"))
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if not line.lstrip().startswith("#")  # comments tell of them: not values
            for offset, _ in examples.find(line)}


def test_a_new_repository_refuses_each_example_until_replaced_then_builds(tmp_path, capsys, monkeypatch):
    """The editor's journey: nouveau → validate names each example → replace them → validate passes → build."""
    code, out, err = run(capsys, "nouveau", str(tmp_path / "ville"))
    assert code == 0 and "Nouveau contrat créé" in out and "contract/contrat.yaml" in out, err
    assert examples.TEXT in out and "contrat validate" in out
    city = tmp_path / "ville"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ville"]  # no staging folder left beside it
    config = (city / "mkdocs.yml").read_text(encoding="utf-8")
    assert "- contrat" in config and "hooks:" not in config
    assert list((city / "docs").glob("*.md"))  # `mkdocs serve` run directly needs a docs/ folder that git keeps
    for page in (city / "docs").glob("*.md"):  # published as they are: no example in them
        assert not examples.find(page.read_text(encoding="utf-8")) and "Exemple" not in page.read_text(encoding="utf-8")

    # Every YAML file starts with the editor's schema line, naming its kind's schema, copied beside contract/.
    assert sorted(p.name for p in (city / "schemas").iterdir()) == sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json"))
    for path in (city / "contract").rglob("*.yaml"):
        line = SCHEMA_LINE.fullmatch(path.read_text(encoding="utf-8").splitlines()[0])
        assert line, path
        schema = (path.parent / line.group(1)).resolve()
        kind = KINDS[path.name if path.parent.name == "contract" else path.parent.name]
        assert schema == (city / "schemas" / f"{kind}.schema.json").resolve() and schema.is_file(), path
        assert schema.read_bytes() == (SCHEMA_DIR / schema.name).read_bytes()

    # Validation names every example at its file, line and column, and nothing else.
    monkeypatch.chdir(city)
    placed = _markers(Path("contract"))
    assert len(placed) >= 20 and {examples.TEXT, examples.DATE, examples.ID} <= {
        m for p in Path("contract").rglob("*.yaml") for _, m in examples.find(p.read_text(encoding="utf-8"))}
    code, out, err = run(capsys, "validate")
    assert code == 1
    problems = out.splitlines()[:-1]
    assert {line.split(": CV208 ")[0] for line in problems} == placed, out
    assert all(" CV208 " in line and "est un exemple de « contrat nouveau »" in line for line in problems), out
    code, out, err = run(capsys, "build", "--sans-pdf")  # not published while an example is left
    assert code == 1 and " CV208 " in out + err and not Path("site").exists()

    # Replaced, the contract is valid, and its site builds with no example left in it.
    replace_examples(city)
    assert not _markers(Path("contract"))
    code, out, err = run(capsys, "validate")
    assert code == 0, out
    code, out, err = run(capsys, "build", "--sans-pdf")
    assert code == 0 and "Site construit" in out, out + err
    pages = [p for p in Path("site").rglob("*") if p.suffix in (".html", ".json", ".csv", ".xml", ".txt")
             and "schemas" not in p.parts]
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not examples.find(text) and "Ville-Exemple" not in text, page
    home = Path("site/index.html").read_text(encoding="utf-8")
    assert "Contrat de ville de Bourg-Neuf 2024-2030" in home and "15 octobre 2024" in home


def test_deleting_the_example_sheet_leaves_no_text_naming_it(tmp_path, capsys):
    assert run(capsys, "nouveau", str(tmp_path / "ville"))[0] == 0
    city = tmp_path / "ville"
    replace_examples(city)
    (city / "contract/actions/1.1.1.yaml").unlink()
    assert [p.code for p in check(city / "contract").problems] == ["CV305"]  # the declared count only: no CV307
    _edit(city / "contract/contrat.yaml", ('{entity: "actions", expected: 1}', '{entity: "actions", expected: 0}'))
    assert check(city / "contract").ok


NAV_LINK = re.compile(r'<a href="([^"]*)" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>', re.S)


def test_a_contract_with_empty_collections_has_no_page_and_no_heading_over_nothing(tmp_path, capsys, monkeypatch):
    """A new contract of défis without objectives, no territory, no annex, governance, figure, amendment,
    correction or timeline, and a declared part with nothing in it: none of those is in the menu or has a
    page, the home page leaves out what would be empty, and no page has a heading over nothing."""
    assert run(capsys, "nouveau", str(tmp_path / "ville"))[0] == 0
    city = tmp_path / "ville"
    replace_examples(city)
    contract = city / "contract"
    for path in ("actions/1.1.1.yaml", "objectives/1.1.yaml", "territories/centre-bourg.yaml"):
        (contract / path).unlink()
    _edit(contract / "contrat.yaml", ('{entity: "objectives", expected: 1}', '{entity: "objectives", expected: 0}'),
          ('{entity: "actions", expected: 1}', '{entity: "actions", expected: 0}'),
          ('contains: "axes"}', 'contains: "axes"}\n  - {id: "partie-2", title: "Annexes techniques"}'))
    monkeypatch.chdir(city)
    code, out, err = run(capsys, "build", "--sans-pdf")
    assert code == 0, out + err
    site = city / "site"
    for gone in ("territoires", "gouvernance", "annexes", "chiffres", "avenants", "corrections", "chronologie",
                 "document-source", "texte/partie-2"):
        assert not (site / gone).exists(), gone
        assert f"{gone}/" not in (site / "adresses.txt").read_text(encoding="utf-8").splitlines()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        menu = {label for _, label in NAV_LINK.findall(raw)}
        if page.name == "index.html" and page.parent == site:
            assert {"Accueil", "La présentation du contrat", "Signataires", "Données ouvertes", "Sources et méthode"} <= menu, menu
        assert not menu & {"Territoires", "Gouvernance", "Annexes", "Chiffres", "Avenants", "Corrections de transcription",
                           "Chronologie", "Document source", "Annexes techniques"}, (page, menu)
        assert headings_over_nothing(raw) == [], page
    home = (site / "index.html").read_text(encoding="utf-8")
    headings = [h for h in re.findall(r"<h2[^>]*>(.*?)<a class=\"headerlink\"", home)]
    assert headings == ["En chiffres", "Les axes du contrat", "Les parties au contrat"], headings
    for said_of_nothing in ("Choisir un quartier", "coup d", "Tous les territoires"):
        assert said_of_nothing not in home
    text_index = (site / "texte/index.html").read_text(encoding="utf-8")
    assert "Axes, objectifs et fiches actions" in text_index and "Annexes techniques" not in text_index
    printable = (site / "imprimer/index.html").read_text(encoding="utf-8")
    assert "Annexes techniques" not in printable and ">Annexes<" not in printable


def test_the_copied_schemas_validate_the_replaced_data_as_an_editor_would(tmp_path, capsys):
    """What yaml-language-server does with the schema line: the file, read as plain YAML, against its schema."""
    assert run(capsys, "nouveau", str(tmp_path / "ville"))[0] == 0
    city = tmp_path / "ville"
    replace_examples(city)
    for path in (city / "contract").rglob("*.yaml"):
        target = SCHEMA_LINE.fullmatch(path.read_text(encoding="utf-8").splitlines()[0]).group(1)
        schema = json.loads((path.parent / target).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(path.read_text(encoding="utf-8")))


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
    assert {p.code for p in check(folder / "contract").problems} == {"CV208"}  # its examples, until replaced
    replace_examples(folder)
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
    replace_examples(city)
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
    assert sorted(p.name for p in city.iterdir()) == [".gitignore", ".site.verrou", "README.md", "contract", "mkdocs.yml",
                                                      "schemas", "site"]


def test_a_renumbering_declared_by_an_amendment_builds_in_a_new_repository(tmp_path, capsys, monkeypatch):
    """The scaffold's mkdocs.yml has the redirects plugin: the old address of a renumbered sheet leads to its new page."""
    assert run(capsys, "nouveau", str(tmp_path / "ville"))[0] == 0
    replace_examples(tmp_path / "ville")
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
    replace_examples(tmp_path / "ville")
    monkeypatch.chdir(tmp_path / "ville")
    code, out, err = run(capsys, "build", "--sans-pdf")
    assert code == 0, err
    hint = [line for line in out.splitlines() if "adresses-publiees.txt" in line]
    assert len(hint) == 1 and "cp site/adresses.txt contract/adresses-publiees.txt" in hint[0], out
    shutil.copy("site/adresses.txt", "contract/adresses-publiees.txt")
    code, out, err = run(capsys, "build", "--sans-pdf")
    engine = f"MkDocs {version('mkdocs')}"
    assert code == 0 and out.strip() == f"Site construit dans {tmp_path / 'ville/site'} (moteur {engine})", out + err  # list up to date: nothing to say
