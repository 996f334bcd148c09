"""The real contract and the engine around it: schemas, validation, export, command line."""
import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from generator import cli

from generator.publish import export
from generator.check.pipeline import check
from tests.conftest import CONTRACT, MINI, ROOT

SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.json"))


@pytest.fixture(scope="module")
def real():
    result = check(CONTRACT)
    assert result.problems == [], "\n".join(p.text() for p in result.problems)
    return result.contract


@pytest.mark.parametrize("schema_file", SCHEMAS, ids=[s.name for s in SCHEMAS])
def test_schema_is_valid_draft_2020_12(schema_file):
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["additionalProperties"] is False

    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, where
                for name, prop in node["properties"].items():
                    assert prop.get("title") and prop.get("description"), f"{where}.{name} sans titre ou description"
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")
    walk(schema, schema_file.name)


def test_real_contract_has_no_problem(real):
    declared = {(c["entity"], c.get("kind")): c["expected"] for c in real.meta["counts"]}
    assert declared[("axes", "strategique")] == len([a for a in real.all("axes") if a.kind == "strategique"])
    assert declared[("actions", None)] == len(real.all("actions"))


def test_every_data_file_declares_its_schema():
    for path in CONTRACT.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path}: modeline manquante"
        assert (path.parent / match.group(1)).resolve().is_file(), f"{path}: schéma introuvable"


def test_third_party_validator_accepts_the_data():
    """check-jsonschema, knowing nothing of our loader, validates every file against its schema."""
    by_schema = {}
    for path in CONTRACT.rglob("*.yaml"):
        target = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", path.read_text(encoding="utf-8").splitlines()[0]).group(1)
        by_schema.setdefault((path.parent / target).resolve(), []).append(str(path))
    for schema, files in by_schema.items():
        run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *files],
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def test_export_json_round_trips(real):
    data = json.loads(export.to_json(real))
    assert export.to_json(real) == export.to_json(check(CONTRACT).contract)  # deterministic
    assert data["contract"]["title"] == real.meta["title"]
    strategic = [a for a in data["axes"] if a["kind"] == "strategique"]
    objectives = [o for a in data["axes"] for o in a["objectives"]]
    actions = [x for o in objectives for x in o["actions"]]
    assert (len(strategic), len(objectives), len(actions)) == (5, 14, 91)
    for action in actions:
        assert action == dict(real.get("actions", action["id"]).data)
    assert [t["id"] for t in data["territories"]] == [t.id for t in real.all("territories")]
    assert data["amendments"] == []


def test_export_verbatim_titles(real):
    text = re.sub(r"\s+", " ", "\n".join(real.source))  # bold (« Structurer **et** adapter ») is kept
    for action in real.all("actions"):
        assert action.title in text or action.id == "1.1.1", action.id  # 1.1.1 is re-joined over a page break


# The real contract names no pilot, partner, place or funding, and its signed text gives no commitment to follow
# and no project of its own to a neighbourhood.
EMPTY = ("actors", "sheet_territories", "sheet_funding", "commitments", "projects", "follow_ups", "follow_up_figures")


def test_export_csv_tables(real):
    for table in export.tables_of(real):
        rows = list(csv.reader(io.StringIO(export.to_csv(real, table))))
        assert len(rows) == 1 if table in EMPTY else len(rows) > 1, table
        assert len({len(r) for r in rows}) == 1, table
    actions = list(csv.DictReader(io.StringIO(export.to_csv(real, "actions"))))
    assert [a["id"] for a in actions][:3] == ["1.1.1", "1.1.2", "1.1.3"]
    assert actions[9]["id"] == "1.1.10"


def test_export_relations_one_row_per_sheet_and_role():
    mini = check(MINI).contract
    actors = list(csv.DictReader(io.StringIO(export.to_csv(mini, "actors"))))
    assert {"fiche": "1.1.1", "acteur": "commune", "nom": "Commune de Valbourg", "role": "pilote"} in actors
    assert {"fiche": "1.1.1", "acteur": "", "nom": "Association des habitants", "role": "partenaire"} in actors
    places = list(csv.DictReader(io.StringIO(export.to_csv(mini, "sheet_territories"))))
    assert {"fiche": "1.1.1", "territoire": "centre"} in places
    sheet = next(csv.DictReader(io.StringIO(export.to_csv(mini, "actions"))))
    assert (sheet["pilote"], sheet["partenaires"], sheet["territoires"]) == (
        "Commune de Valbourg", "L'État | Association des habitants", "centre")


def test_cli_validate_exit_codes(mini_copy, capsys):
    assert cli.main(["validate"]) == 0
    assert "Aucun problème" in capsys.readouterr().out
    (mini_copy / "actions" / "1.1.2.yaml").write_text('id: "1.1.2"\nobjective: "1.1"\n', encoding="utf-8")
    (mini_copy / "territories" / "gare.yaml").write_text('id: "gare"\nkind: "zone"\nname: "Gare"\n', encoding="utf-8")
    assert cli.main(["validate"]) == 1
    out = capsys.readouterr().out
    assert "contract/actions/1.1.2.yaml:1:1: CV202" in out and "contract/territories/gare.yaml:2:7: CV205" in out
    assert "2 problèmes trouvés." in out
    assert cli.main(["validate", "--format", "github"]) == 1
    assert "::error file=contract/actions/1.1.2.yaml,line=1,col=1::CV202" in capsys.readouterr().out
    assert cli.main(["validate", "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert {p["code"] for p in problems} == {"CV202", "CV205"}
    assert cli.main(["export"]) == 1
    assert "Export impossible" in capsys.readouterr().err


def test_cli_usage_errors_are_french(capsys):
    assert cli.main(["validate", "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert "choix invalide" in err and "utilisation" in err
    assert cli.main([]) == 2
    assert "arguments obligatoires manquants" in capsys.readouterr().err


def test_cli_export_writes_file_whole(mini_copy, tmp_path):
    out = tmp_path / "contrat.json"
    assert cli.main(["export", "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["axes"][0]["objectives"][0]["actions"][0]["id"] == "1.1.1"
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.parametrize("output, says", [
    ("", "le nom du fichier de sortie est vide"),
    (".", "« . » désigne un dossier"),
    ("existant", "« existant » désigne un dossier"),
    ("manquant/", "« manquant/ » désigne un dossier"),
    ("manquant/contrat.json", "le dossier « manquant » n'existe pas"),
])
def test_cli_export_refuses_an_output_that_is_no_file(mini_copy, tmp_path, capsys, output, says):
    """A folder, a missing folder or an empty name: a French message, exit 2, nothing written, no traceback."""
    (tmp_path / "existant").mkdir()
    before = sorted(p for p in tmp_path.rglob("*") if "contract" not in p.parts)
    assert cli.main(["export", "--format", "csv", "-o", output]) == 2
    err = capsys.readouterr().err
    assert err.startswith("contrat : -o : ") and says in err and "Traceback" not in err
    assert sorted(p for p in tmp_path.rglob("*") if "contract" not in p.parts) == before


def test_cli_export_write_failure_leaves_nothing(mini_copy, tmp_path, capsys, monkeypatch):
    """The target turns into a folder between the check and the rename: a French message, the temporary file removed."""
    target = tmp_path / "contrat.json"
    real_replace = Path.replace

    def replace(self, other):
        Path(other).mkdir()
        return real_replace(self, other)
    monkeypatch.setattr(Path, "replace", replace)
    assert cli.main(["export", "-o", str(target)]) == 1
    assert "écriture de « " in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name != "contract"] == ["contrat.json"] and target.is_dir()


def test_module_entry_point(tmp_path):
    run = subprocess.run([sys.executable, "-m", "generator", "validate", "--contract", str(MINI)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and "Aucun problème" in run.stdout


def test_engine_is_generic():
    """Nothing in generator/ names the real contract or its sizes: another contract builds the same way."""
    for path in (ROOT / "generator").rglob("*"):
        if path.is_file() and path.suffix in {".py", ".html", ".md", ".j2", ".css", ".js"}:
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"amiens|picardie|somme", text, re.I), path
            assert not re.search(r"\b(91|14)\b", text), path
    mini = check(MINI)
    assert mini.ok and len(mini.contract.all("actions")) == 7


def test_entity_fields_are_strict(real):
    sheet = real.get("actions", "1.1.1")
    assert sheet.pilot is None  # declared by the schema, left empty by the contract
    with pytest.raises(AttributeError):
        sheet.pilote  # a misspelt name is an error, not an empty value


def test_counts_the_engine_has_no_words_for_are_named_in_french():
    from generator.site.render import Inputs, Renderer
    renderer = Renderer(Inputs(check(MINI).contract))
    assert renderer.count_label({"entity": "governance", "expected": 2}) == "instances de gouvernance"
    assert renderer.count_label({"entity": "figures", "kind": "x", "expected": 2}) == "séries de chiffres x"
    assert renderer.count_label({"entity": "governance", "expected": 1}) == "instance de gouvernance"
