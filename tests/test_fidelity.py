"""Fidelity to the source document, proved by validation: the real data is valid, and each
alteration of it (the ones a transcription can suffer) makes `contrat validate` fail with a
precise message: file, line, code and the source lines concerned.
"""
import json
import shutil

import pytest

from generator.cli import main
from generator.check.pipeline import check
from generator.core.schemas import SCHEMA_DIR
from tests.conftest import CONTRACT, SOURCE

LINES = SOURCE.read_text(encoding="utf-8").splitlines()


def line_of(text: str) -> int:
    """Number of the only source line containing `text`."""
    found = [n for n, line in enumerate(LINES, 1) if text in line]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def real_copy(tmp_path, monkeypatch):
    """A writable copy of the real contract (source document included), current directory beside it."""
    shutil.copytree(CONTRACT, tmp_path / "contract")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "contract"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(capsys):
    """Run `contrat validate` as a user would: it must fail; its problems as text lines."""
    assert main(["validate", "--contract", "contract"]) == 1
    return [line for line in capsys.readouterr().out.splitlines() if ": CV" in line]


def test_real_contract_is_traced():
    result = check(CONTRACT)
    assert result.ok, [p.text() for p in result.problems]


def test_invented_sentence(real_copy, capsys):
    edit(real_copy / "sections/p1-3.yaml", "Ce principe a vocation à être concrétisé à plusieurs niveaux :",
         "Ce principe a vocation à être concrétisé à plusieurs niveaux. Il sera évalué chaque année :")
    assert problems(capsys) == [
        "contract/sections/p1-3.yaml:9:15: CV311 ligne L610 du document source (« Ce principe a vocation à être "
        "concrétisé à plusieurs niveaux : »), citée par « L606-L642 », reprise dans aucun texte de cette entité : "
        "un passage manque ou a changé ; rétablissez-le mot pour mot",
        "contract/sections/p1-3.yaml:13:3: CV310 texte introuvable dans les lignes L606-L642 du document source : "
        "« …concrétisé à plusieurs niveaux. Il sera évalué chaque année : les Préfets de Région responsables des "
        "budgets opérationne… » ; le texte doit être celui du document, mot pour mot (une correction se déclare, "
        "voir « corrections de transcription »)"]
    assert LINES[610 - 1] == "Ce principe a vocation à être concrétisé à plusieurs niveaux :"


def test_sheet_titles_swapped(real_copy, capsys):
    a, b = real_copy / "actions/1.1.2.yaml", real_copy / "actions/1.1.3.yaml"
    title_a = [line for line in a.read_text(encoding="utf-8").splitlines() if line.startswith("title:")][0]
    title_b = [line for line in b.read_text(encoding="utf-8").splitlines() if line.startswith("title:")][0]
    edit(a, title_a, title_b)
    edit(b, title_b, title_a)
    found = problems(capsys)
    assert [p.split(" ", 2)[:2] for p in found] == [
        ["contract/actions/1.1.2.yaml:5:9:", "CV310"], ["contract/actions/1.1.2.yaml:6:15:", "CV311"],
        ["contract/actions/1.1.3.yaml:5:9:", "CV310"], ["contract/actions/1.1.3.yaml:6:15:", "CV311"]]
    assert "texte introuvable dans les lignes L888-L888 du document source : « 1.1.2- Adapter l'intervention" in found[0]
    assert "ligne L888 du document source (« - 1.1.2- Créer et actualiser des outils" in found[1]
    assert "texte introuvable dans les lignes L889-L889 du document source : « 1.1.3- Créer et actualiser" in found[2]


def test_statistics_cells_swapped(real_copy, capsys):
    edit(real_copy / "statistics/insee-2011-zus.yaml",
         '- {text: "4617", value: 4617, unit: "nombre"}\n      - {text: "2907", value: 2907, unit: "nombre"}',
         '- {text: "2907", value: 2907, unit: "nombre"}\n      - {text: "4617", value: 4617, unit: "nombre"}')
    assert problems(capsys) == [
        f"contract/statistics/insee-2011-zus.yaml:22:9: CV313 ligne L{line_of('Nombre de ménages')} du document source, "
        "cellule 2 : le document imprime « 4617 », les données « 2907 » ; les cellules doivent être celles du "
        "document, dans l'ordre"]


def test_statistics_figure_altered(real_copy, capsys):
    edit(real_copy / "statistics/insee-2011-zus.yaml", '{text: "13576", value: 13576', '{text: "31576", value: 31576')
    n = line_of("Population\t13576")
    assert problems(capsys) == [
        f"contract/statistics/insee-2011-zus.yaml:15:9: CV313 ligne L{n} du document source, "
        "cellule 2 : le document imprime « 13576 », les données « 31576 » ; les cellules doivent être celles du "
        "document, dans l'ordre"]


def test_paragraph_dropped(real_copy, capsys):
    path = real_copy / "sections/p1-3.yaml"
    paragraph = [line for line in path.read_text(encoding="utf-8").splitlines()
                 if line.startswith("  Dans le cadre de la préparation du contrat de ville")][0]
    edit(path, paragraph + "\n\n", "")
    found = problems(capsys)
    assert [p.split(" ", 4)[:4] for p in found] == [
        ["contract/sections/p1-3.yaml:9:15:", "CV311", "ligne", "L616"],
        ["contract/sections/p1-3.yaml:9:15:", "CV311", "ligne", "L618"],
        ["contract/sections/p1-3.yaml:11:3:", "CV310", "texte", "introuvable"]]
    assert LINES[616 - 1].startswith("Dans le cadre de la préparation du contrat de ville")
    assert "citée par « L606-L642 », reprise dans aucun texte de cette entité" in found[0]


def test_sheet_moved_to_another_objective(real_copy, capsys):
    old = real_copy / "actions/1.1.13.yaml"
    text = old.read_text(encoding="utf-8").replace('id: "1.1.13"', 'id: "1.2.9"').replace('objective: "1.1"', 'objective: "1.2"')
    old.unlink()
    (real_copy / "actions/1.2.9.yaml").write_text(text, encoding="utf-8")
    assert problems(capsys) == [
        "contract/actions/1.2.9.yaml:4:8: CV314 le numéro imprimé « 1.1.13- » (lignes L899-L899 du document source) "
        "n'est pas celui de « 1.2.9 » : l'entité a changé de numéro ou de place ; le numéro est celui du document"]


def test_state_signer_changed(real_copy, capsys):
    edit(real_copy / "signatories/etat.yaml", 'signer: {name: "Nicole KLEIN"', 'signer: {name: "Nicole KLEMM"')
    assert problems(capsys) == [
        "contract/signatories/etat.yaml:16:17: CV310 texte introuvable dans les lignes L101, L1732-L1734 du document "
        "source : « Nicole KLEMM » ; le texte doit être celui du document, mot pour mot (une correction se déclare, "
        "voir « corrections de transcription »)"]


def test_corrections_are_listed_publicly_not_as_revisions(real_site):
    page = (real_site / "corrections/index.html").read_text(encoding="utf-8")
    for number in range(1, 6):
        assert f'id="correction-{number}"' in page
    assert "Structurer <strong>et</strong> adapter" in page  # what differed, shown as the document prints it
    revisions = (real_site / "avenants/index.html").read_text(encoding="utf-8")
    assert "Aucun avenant" in revisions and "correction-1" not in revisions
    sheet = (real_site / "fiches/1.2.2/index.html").read_text(encoding="utf-8")  # corrected by correction 2
    history = sheet.split('id="historique"')[1].split("</ul>")[0]
    assert "Version initiale du 20 février 2015" in history and "orrection" not in history


def test_schemas_say_what_is_ours():
    """Every editorial mark says which kind; every derived value names the field it is derived from."""
    def walk(schema, siblings=()):
        if schema.get("x-editorial"):
            yield schema, siblings
        for sub in schema.get("properties", {}).values():
            yield from walk(sub, tuple(schema["properties"]))
        if isinstance(schema.get("items"), dict):
            yield from walk(schema["items"], siblings)

    marked = 0
    for path in SCHEMA_DIR.glob("*.schema.json"):
        for schema, siblings in walk(json.loads(path.read_text(encoding="utf-8"))):
            marked += 1
            assert schema["x-editorial-kind"] in ("note", "forme d'affichage", "interprétation", "dérivé", "information extérieure"), path.name
            if schema["x-editorial-kind"] == "dérivé":
                assert schema["x-derived-from"].split("[")[0] in siblings, path.name
    assert marked >= 20


@pytest.mark.parametrize("kind", ["pied-de-page", "separateur", "sommaire", "ligne-vide"])
def test_a_deleted_paragraph_declared_page_furniture_is_refused(real_copy, capsys, kind):
    # A careful forger deletes a paragraph and declares its line not content, with a plausible reason.
    section = real_copy / "sections/p1-3.yaml"
    paragraph = next(line for line in section.read_text(encoding="utf-8").splitlines(True)
                     if line.startswith("  Dans le cadre de la préparation du contrat de ville"))
    edit(section, paragraph, "")
    assert LINES[616 - 1].startswith("Dans le cadre de la préparation") and LINES[618 - 1].startswith("(dispositifs et crédits)")
    edit(real_copy / "contrat.yaml", "not_content:\n",
         f'not_content:\n  - {{kind: "{kind}", lines: "L616-L618", reason: "Pied de page : numéro de page."}}\n')
    found = problems(capsys)
    assert [line.split(": ")[1][:62] for line in found if line.startswith("contract/contrat.yaml:")] == [
        "CV311 la ligne L616 du document source (« Dans le cadre de la "], found


def test_real_not_content_claims_are_typed():
    kinds = [item["kind"] for item in check(CONTRACT).contract.meta["not_content"]]
    assert kinds == ["sommaire", "pied-de-page", "separateur", "titre-courant"]
