"""Issue 21: territory facts (QPV code, the text that lists it, date of entry, categories), signatories'
commitments and the yearly follow-up of strategy items and commitments, checked and exported without a site
(the built pages of the `second` contract are tested in tests/test_second_contract.py)."""
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.check.pipeline import check
from generator.check.validate import validate_document
from generator.core import registry
from generator.core.load import load_text
from generator.core.model import HIERARCHY
from generator.core.schemas import schema_for
from generator.publish import export
from generator.engine.pipeline import render_inputs
from generator.site.render import TEMPLATES, Renderer
from tests.conftest import CONTRACT, SECOND, copy_of
from tests.test_amendments import repo, run  # noqa: F401  (the fixture, used by name)

STRATEGY = sorted({*HIERARCHY, *(parent for _, parent in HIERARCHY.values())})


def _problems(kind: str, text: str) -> list[tuple[int, int, str, str]]:
    doc, problems = load_text(text, "essai.yaml")
    assert doc is not None, problems
    found, _ = validate_document(doc, kind)
    return [(p.line, p.column, p.code, p.message) for p in found]


# -- territory facts --------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["QN08001M", "QN07511M", "QN09301M", "QP080001", "QP093028", "QP971002"])
def test_qpv_codes_of_both_official_lists_are_accepted(code):
    """The 2024 list (« QN », department on three characters, rank on two digits, a letter) and the 2015 one
    (« QP », department on three characters, rank on three digits)."""
    assert _problems("territory", f'id: "q"\nkind: "quartier-prioritaire"\nname: "Q"\nqpv_code: "{code}"\n') == []


@pytest.mark.parametrize("code", ["QN0800M", "QN080011", "qn08001m", "QP08001", "QP0800011", "QN 08001M", "08001M"])
def test_a_qpv_code_of_another_form_says_the_two_forms(code):
    found = _problems("territory", f'id: "q"\nkind: "quartier-prioritaire"\nname: "Q"\nqpv_code: "{code}"\n')
    assert [(line, column, code_) for line, column, code_, _ in found] == [(4, 11, "CV204")]
    assert "« QN08001M » (liste actuelle) ou « QP080001 » (première liste)" in found[0][3]


def test_territory_categories_include_the_new_ones_each_named_in_the_schema():
    labels = {value: (one, many) for value, one, many in registry.labels("territories", "kind")}
    assert labels["quartier-en-decrochage"] == ("quartier en décrochage", "quartiers en décrochage")
    assert labels["poche-de-pauvrete"] == ("poche de pauvreté", "poches de pauvreté")
    assert {"quartier-prioritaire", "veille-active", "ancienne-zus", "reference"} <= set(labels)


def test_the_text_that_lists_a_territory_needs_its_title_and_date():
    found = _problems("territory", 'id: "q"\nkind: "quartier-prioritaire"\nname: "Q"\n'
                                   'listed_by: {url: "https://example.org/d", date: "28/12/2023"}\n')
    assert sorted(code for _, _, code, _ in found) == ["CV202", "CV204"]


def test_the_facts_of_the_national_list_are_ours_not_the_contract_s_text():
    """Marked editorial (information from outside the text): never traced to the source document, changed
    without an amendment; the real contract, whose signed text gives none of them, carries none."""
    properties = schema_for("territory")["properties"]
    assert {n: properties[n].get("x-editorial-kind") for n in ("qpv_code", "listed_by", "entry_date")} == \
        dict.fromkeys(("qpv_code", "listed_by", "entry_date"), "information extérieure")
    real = check(CONTRACT).contract
    assert [t.id for t in real.all("territories") if t.qpv_code or t.listed_by or t.entry_date] == []
    assert real.all("commitments") == () and real.all("follow-ups") == ()


# -- the collections and their references ------------------------------------------------------------
def test_commitments_and_follow_ups_name_the_strategy_collections_of_the_registry():
    """The « collection/id » a commitment concerns is one of the strategy's collections (the registry's
    hierarchy); a follow-up follows one of them or a commitment."""
    items = schema_for("commitment")["properties"]["items"]["items"]
    assert sorted(items["x-ref-key"]) == STRATEGY
    assert re.match(r"\^\(([^)]*)\)/", items["pattern"]).group(1).split("|") == items["x-ref-key"]
    subject = schema_for("follow-up")["properties"]["subject"]
    assert sorted(subject["x-ref-key"]) == sorted([*STRATEGY, "commitments", "projects"])
    assert re.match(r"\^\(([^)]*)\)/", subject["pattern"]).group(1).split("|") == subject["x-ref-key"]
    # A commitment is shown on its signatory's page, at its own anchor.
    assert registry.get("commitments").page == registry.get("signatories").page.replace("{id}", "{signatory}")
    assert schema_for("follow-up").get("x-editorial-kind") == "information extérieure"


def test_every_reference_of_a_commitment_is_checked_at_its_place(tmp_path):
    contract = copy_of(SECOND, tmp_path)
    path = contract / "commitments" / "etat-aller-vers.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    .replace('signatory: "etat"', 'signatory: "prefecture"')
                    .replace('items: ["actions/3.1.1"]', 'items: ["actions/3.1.1", "axes/9", "objectives/3.9"]')
                    .replace('territories: ["tanneries"]', 'territories: ["tanneries", "nulle-part"]'), encoding="utf-8")
    result = check(contract)
    shown = [(Path(p.file).name, p.line, p.column, p.code, p.message.split(" ;")[0]) for p in result.problems]
    assert shown == [
        ("etat-aller-vers.yaml", 3, 12, "CV301", "référence inconnue : « prefecture » n'est pas un identifiant de signataire"),
        ("etat-aller-vers.yaml", 6, 26, "CV301", "référence inconnue : « 9 » n'est pas un identifiant d'axe stratégique"),
        ("etat-aller-vers.yaml", 6, 36, "CV301", "référence inconnue : « 3.9 » n'est pas un identifiant d'objectif opérationnel"),
        ("etat-aller-vers.yaml", 7, 28, "CV301", "référence inconnue : « nulle-part » n'est pas un identifiant de territoire"),
    ]


def test_an_item_of_another_collection_says_which_ones_are_possible(tmp_path):
    contract = copy_of(SECOND, tmp_path)
    path = contract / "follow-ups" / "2025-accueil-maternelle.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"actions/1.1.1"', '"territories/erables"'), encoding="utf-8")
    found = [(p.line, p.code, p.message) for p in check(contract).problems]
    assert len(found) == 1 and found[0][:2] == (3, "CV204")
    assert "le dossier étant axes/, objectives/, actions/, subactions/, commitments/ ou projects/" in found[0][2]


def test_a_qpv_code_carried_twice_is_cv350(tmp_path):
    contract = copy_of(SECOND, tmp_path)
    path = contract / "territories" / "saint-eloi.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("QN09904D", "QN09902B"), encoding="utf-8")
    problems = check(contract).problems
    assert [(Path(p.file).name, p.line, p.column, p.code) for p in problems] == [("saint-eloi.yaml", 5, 11, "CV350")]
    assert "déjà porté par" in problems[0].message and "erables.yaml" in problems[0].message


def test_a_contract_without_commitments_or_follow_ups_is_fine(tmp_path):
    contract = copy_of(SECOND, tmp_path)
    shutil.rmtree(contract / "commitments")
    shutil.rmtree(contract / "follow-ups")
    result = check(contract)
    assert result.ok, result.problems
    pages = Renderer(render_inputs(result.contract)).pages()
    assert [path for path, p in pages.items() if "engagement-" in p.markdown or "{ #suivi" in p.markdown] == []
    # second is described from public sources, without its signed text: said so
    assert "Les sources du contrat ne détaillent pas d'engagement propre à ce signataire." in pages["signataires/caf-basse-rive.md"].markdown


def test_the_printable_page_prints_each_follow_up_under_what_it_follows(tmp_path):
    """An axis's and an objective's follow-up stand under them on the printable page, each under an anchor of
    its own there (their pages' « suivi » would be there twice)."""
    contract = copy_of(SECOND, tmp_path)
    for name, subject in (("2025-accueil-maternelle", "objectives/1.1"), ("2024-caf-accueil-petite-enfance", "axes/2")):
        path = contract / "follow-ups" / f"{name}.yaml"
        old = re.search(r'subject: "([^"]+)"', path.read_text(encoding="utf-8")).group(1)
        path.write_text(path.read_text(encoding="utf-8").replace(old, subject), encoding="utf-8")
    result = check(contract)
    assert result.ok, result.problems
    printed = Renderer(render_inputs(result.contract)).pages()["imprimer.md"].markdown
    axis, objective = printed.index("### Axe 2 — "), printed.index(r"#### Objectif 1\.1 — ")  # Markdown: « 1\.1 »
    assert printed.index("#### Suivi { #suivi-imprimer-axe-2 }", axis) < printed.index(r"#### Objectif 2\.1", axis)
    sheet = printed.index(r"- [Fiche action 1\.1\.1", objective)
    assert printed.index("##### Suivi { #suivi-imprimer-objectif-1.1 }", objective) < sheet
    assert "- **4 juillet 2025** — Les quatre écoles maternelles" in printed[objective:sheet]


# -- relations ------------------------------------------------------------------------------------------
def test_commitments_are_found_by_signatory_item_and_territory_and_follow_ups_by_what_they_follow():
    c = check(SECOND).contract
    by = c.relations.commitments_of
    assert [k.id for k in by[("signatories", "caf-basse-rive")]] == ["caf-accueil-petite-enfance"]
    assert [k.id for k in by[("objectives", "1.1")]] == ["caf-accueil-petite-enfance"]
    assert [k.id for k in by[("axes", "2")]] == ["rive-habitat-rehabilitation"]
    assert [k.id for k in by[("territories", "erables")]] == ["caf-accueil-petite-enfance", "rive-habitat-rehabilitation"]
    follow = c.relations.follow_ups_of
    assert [f.date for f in follow[("commitments", "caf-accueil-petite-enfance")]] == ["2024-12-31", "2025-12-31"]
    assert [f.id for f in follow[("actions", "1.1.1")]] == ["2025-accueil-maternelle"]


# -- revisions: a commitment is the contract's, a follow-up is not --------------------------------------
FOLLOW_UP = """id: "2025-accueil"
subject: "actions/1.1.1"
date: "2025-06-30"
text: "Un compte rendu d'essai."
source: {document: "Bilan d'essai", page: 2}
"""


def test_a_follow_up_is_added_without_an_amendment(repo, capsys):  # noqa: F811
    (repo / "contract" / "follow-ups").mkdir()
    (repo / "contract" / "follow-ups" / "2025-accueil.yaml").write_text(FOLLOW_UP, encoding="utf-8")
    code, out = run(capsys, "amendment", "check", "--base", "main")
    assert code == 0, out
    assert "Aucune modification des données du contrat" in out


def test_a_commitment_is_part_of_the_contract_and_needs_an_amendment(repo, capsys):  # noqa: F811
    (repo / "contract" / "commitments").mkdir()
    (repo / "contract" / "commitments" / "etat-ecole.yaml").write_text(
        'id: "etat-ecole"\nsignatory: "etat"\ntitle: "Essai"\ntext: "Un engagement d\'essai."\n'
        'source: {document: "Document d\'essai", page: 3}\n', encoding="utf-8")
    code, out = run(capsys, "amendment", "check", "--base", "main")
    assert code == 1
    assert "ajout de commitments/etat-ecole non déclarée" in out


# -- open data --------------------------------------------------------------------------------------------
def test_open_data_publishes_commitments_follow_ups_and_territory_facts():
    c = check(SECOND).contract
    data = json.loads(export.to_json(c))
    assert [k["id"] for k in data["commitments"]] == ["caf-accueil-petite-enfance", "etat-aller-vers", "rive-habitat-rehabilitation"]
    assert {f["subject"] for f in data["follow-ups"]} == {"commitments/caf-accueil-petite-enfance", "actions/1.1.1"}
    erables = next(t for t in data["territories"] if t["id"] == "erables")
    assert (erables["qpv_code"], erables["listed_by"]["date"], erables["entry_date"]) == ("QN09902B", "2023-12-28", "2015-01-01")
    rows = export.rows_of(c)
    columns = [col.name for col in export.tables_of(c)["territories"].columns]
    assert columns == ["id", "categorie", "nom", "variantes", "territoires_lies",  # the columns published before, unchanged
                       "code_qpv", "liste_texte", "liste_date", "liste_adresse", "date_entree"]
    by_id = {r[0]: dict(zip(columns, r)) for r in rows["territories"]}
    assert by_id["ile-aux-pecheurs"]["code_qpv"] == "QN09903C" and by_id["ile-aux-pecheurs"]["date_entree"] == "2024-01-01"
    assert by_id["tanneries"]["categorie"] == "quartier-en-decrochage" and by_id["tanneries"]["code_qpv"] == ""
    commitments = {r[0]: dict(zip([col.name for col in export.tables_of(c)["commitments"].columns], r)) for r in rows["commitments"]}
    caf = commitments["caf-accueil-petite-enfance"]
    assert (caf["signataire"], caf["elements"], caf["territoires"], caf["cible"], caf["unite"], caf["source_page"]) == \
        ("caf-basse-rive", "objectives/1.1 | actions/1.1.1", "erables | saint-eloi", 40, "places", 12)
    assert commitments["rive-habitat-rehabilitation"]["source_adresse"] == "https://example.org/rive-habitat/plan-strategique"
    assert [(r[1], r[2]) for r in rows["follow_ups"]] == [("2024-12-31", "commitments/caf-accueil-petite-enfance"),
                                                          ("2025-07-04", "actions/1.1.1"),
                                                          ("2025-12-31", "commitments/caf-accueil-petite-enfance")]
    assert [(r[0], r[3], r[4], r[5]) for r in rows["follow_up_figures"]] == [
        ("2024-caf-accueil-petite-enfance", "Places réservées", 18, "places"),
        ("2025-accueil-maternelle", "Enfants de moins de trois ans accueillis", 64, "enfants"),
        ("2025-caf-accueil-petite-enfance", "Places réservées", 31, "places"),
        ("2025-caf-accueil-petite-enfance", "Part de l'objectif atteinte", 77.5, "%")]


def test_the_real_contract_publishes_the_same_columns_empty():
    rows = export.rows_of(check(CONTRACT).contract)
    assert rows["commitments"] == rows["follow_ups"] == rows["follow_up_figures"] == []
    assert {tuple(r[5:]) for r in rows["territories"]} == {("", "", "", "", "")}


# -- generic templates --------------------------------------------------------------------------------------
@pytest.mark.parametrize("template", ["commitment.md.j2", "commitments_here.md.j2", "follow_ups.md.j2"])
def test_the_new_templates_name_no_level_of_a_strategy(template):
    """The items a commitment concerns are shown under their own labels (the renderer's), never as « axe » or
    « fiche » written in a template."""
    text = (TEMPLATES / template).read_text(encoding="utf-8").lower()
    assert re.findall(r"\b(axes?|fiches?|objectifs?)\b", text) == []


def test_scaffold_and_fixtures_declare_the_new_schemas_for_the_editor():
    for path in [*(SECOND / "commitments").glob("*.yaml"), *(SECOND / "follow-ups").glob("*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = "commitment" if path.parent.name == "commitments" else "follow-up"
        assert first == f"# yaml-language-server: $schema=../../../../schemas/{kind}.schema.json", path
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["id"] == path.stem


# -- a commitment from another document than the signed text ---------------------------------------------------
def test_a_commitment_from_another_document_is_not_traced_to_the_signed_text(tmp_path):
    """In a contract that declares its signed text, a commitment written in another document (an annex signed
    later) cites no line of the signed text: it names its document, and is not compared to the signed text; one
    that cites lines of the signed text is a quotation, checked word for word."""
    from tests.conftest import MINI
    contract = tmp_path / "contract"
    shutil.copytree(MINI, contract)
    (contract / "commitments").mkdir()
    (contract / "commitments" / "etat-annexe.yaml").write_text(
        'id: "etat-annexe"\nsignatory: "etat"\ntitle: "Un engagement d\'une annexe"\n'
        'text: "L\'État finance dix postes d\'adultes-relais, selon l\'annexe signée en 2025."\n'
        'source: {document: "Annexe financière signée en 2025", page: 4}\n', encoding="utf-8")
    assert check(contract).problems == []
    quoted = contract / "commitments" / "etat-annexe.yaml"
    quoted.write_text(quoted.read_text(encoding="utf-8") + 'source_lines: "L10"\n', encoding="utf-8")
    assert [(p.code, p.line) for p in check(contract).problems] == [("CV310", 4)]
