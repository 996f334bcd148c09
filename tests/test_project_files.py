"""Files around the code that editors and CI rely on: workflows, editor settings, hooks, docs."""
import json
import re
import subprocess
import sys

import yaml

from generator.cli import _parser
from generator.check.pipeline import check
from generator.core.registry import COLLECTIONS
from tests.conftest import ROOT


def test_workflows_are_valid():
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert len(workflows) == 2
    run = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                          *map(str, workflows)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    steps = " ".join(yaml.safe_load(w.read_text(encoding="utf-8")).__str__() for w in workflows)
    for command in ("contrat validate --format github", "contrat amendment check --base", "contrat build",
                    "contrat diff", "GITHUB_STEP_SUMMARY", "deploy-pages"):
        assert command in steps, command


def test_editor_settings_cover_every_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    schemas = {p.relative_to(ROOT).as_posix() for p in (ROOT / "schemas").glob("*.schema.json")}
    assert set(settings) == schemas
    folders = {g.split("/")[1] for globs in settings.values() for g in globs}
    assert folders == set(COLLECTIONS) | {"contrat.yaml"}


def test_pre_commit_runs_the_validator():
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert hooks[0]["entry"] == "contrat validate"


def test_every_command_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    commands = _parser()._subparsers._group_actions[0].choices
    for name in commands:
        assert f"contrat {name}" in readme + contributing, name
    assert readme.splitlines()[3:5] == ["make serve   # installe tout, construit le site et le sert sur http://127.0.0.1:8000",
                                        "make test    # installe tout (dont Chromium de Debian) et lance tous les tests"]


def test_the_engine_names_no_place_or_institution_of_the_contract_it_publishes():
    """Generic engine, specific data: no name of the real contract's territories and signatories (nor of
    its metropolis) in the engine's code, templates, schemas, theme or scripts."""
    contract = check(ROOT / "contract").contract
    names = {contract.meta["territory"], *contract.meta["territory"].split()}
    for e in contract.all("territories") + contract.all("signatories"):
        names |= {e.name, *(e.data.get("variants") or [])}
    names = {n for n in names if len(n) > 4 and n[0].isupper() and n not in GENERIC_NAMES}
    folders = ["generator", "schemas"]  # generator/ holds the theme, the scaffold and the engine's pages
    assert [f for f in folders if not (ROOT / f).is_dir()] == []  # a folder moved away would be checked no more
    engine = subprocess.run(["git", "ls-files", *folders], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    found = [(path, name) for path in engine for name in names
             if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", (ROOT / path).read_text(encoding="utf-8", errors="replace"))]
    assert not found


# Names of institutions every contrat de ville has: they say nothing of one city.
GENERIC_NAMES = {"L'État", "Ville", "Métropole", "Conseils citoyens", "Bailleurs sociaux", "Agence régionale de santé", "Caisse des dépôts",
                 "La Poste", "Mission locale", "Pôle emploi", "Procureur de la République", "Recteur d'Académie",
                 "Centres sociaux en quartiers prioritaires"}
