"""Revisions by amendment, on throwaway git repositories holding the small test contract."""
import json
import re

import pytest
import yaml

from generator import cli
from tests.conftest import git, git_repo


@pytest.fixture
def repo(tmp_path, monkeypatch):
    repo = git_repo(tmp_path / "depot")
    (repo / "schemas").mkdir()
    monkeypatch.chdir(repo)
    return repo


def run(capsys, *args):
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def amend(repo, number, changes, kind="avenant"):
    data = {"id": str(number), "kind": kind, "title": f"Révision n°{number}", "date": "2025-03-14",
            "summary": "Modification pour essai.\n", "changes": changes}
    if kind == "avenant":
        data["decisions"] = [{"body": "Conseil communautaire", "date": "2025-03-10", "reference": "D-2025-12"}]
        data["signatories"] = ["etat", "commune"]
    folder = repo / "contract" / "amendments"
    folder.mkdir(exist_ok=True)
    (folder / f"{number}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


TITLE = 'title: "Fiche fictive B de l\'objectif 1.1"'


def test_undeclared_title_change_fails_naming_the_sheet(repo, capsys):
    edit(repo / "contract/actions/1.1.2.yaml", TITLE, 'title: "Fiche fictive B, nouvel intitulé"')
    code, out = run(capsys, "amendment", "check", "--base", "main")
    assert code == 1
    assert "contract/actions/1.1.2.yaml: modification de actions/1.1.2 non déclarée" in out


def test_declared_title_change_passes(repo, capsys):
    edit(repo / "contract/actions/1.1.2.yaml", TITLE, 'title: "Fiche fictive B, nouvel intitulé"')
    amend(repo, 1, [{"entity": "actions/1.1.2", "operation": "modify", "reason": "intitulé précisé",
                     "wording": {"title": "Fiche fictive B, nouvel intitulé"}}])
    code, out = run(capsys, "amendment", "check", "--base", "main")
    assert code == 0, out
    assert "1 modification(s) déclarée(s) par l'avenant 1 : conforme." in out


def test_mis_declared_change_fails_both_ways(repo, capsys):
    edit(repo / "contract/actions/1.1.2.yaml", TITLE, 'title: "Autre intitulé"')
    amend(repo, 1, [{"entity": "actions/1.1.3", "operation": "modify", "reason": "erreur de numéro"}])
    code, out = run(capsys, "amendment", "check", "--base", "main")
    assert code == 1
    assert "contract/actions/1.1.2.yaml: modification de actions/1.1.2 non déclarée dans l'avenant 1" in out
    assert "contract/amendments/1.yaml: l'avenant 1 déclare modification de actions/1.1.3" in out


def test_added_sheet(repo, capsys):
    (repo / "contract/actions/1.1.4.yaml").write_text('id: "1.1.4"\nobjective: "1.1"\ntitle: "Nouvelle fiche"\n', encoding="utf-8")
    edit(repo / "contract/contrat.yaml", '{entity: "actions", expected: 7}', '{entity: "actions", expected: 8}')
    code, out = run(capsys, "diff", "--format", "json")
    changes = {(c["key"], c["operation"]) for c in json.loads(out)["changes"]}
    assert changes == {("actions/1.1.4", "add"), ("contrat", "modify")}
    amend(repo, 1, [{"entity": "actions/1.1.4", "operation": "add", "reason": "nouvelle fiche",
                     "wording": {"title": "Nouvelle fiche"}},
                    {"entity": "contrat", "operation": "modify", "reason": "8 fiches"}])
    code, out = run(capsys, "amendment", "check")
    assert code == 0, out


def test_removed_sheet(repo, capsys):
    (repo / "contract/actions/2.1.2.yaml").unlink()
    edit(repo / "contract/contrat.yaml", '{entity: "actions", expected: 7}', '{entity: "actions", expected: 6}')
    code, out = run(capsys, "amendment", "check")
    assert code == 1 and "suppression de actions/2.1.2" in out
    amend(repo, 1, [{"entity": "actions/2.1.2", "operation": "remove", "reason": "fiche abandonnée", "source_lines": "L59"},
                    {"entity": "contrat", "operation": "modify", "reason": "6 fiches"}])
    code, out = run(capsys, "amendment", "check")
    assert code == 0, out


def test_renumbered_sheet(repo, capsys):
    old = repo / "contract/actions/2.1.2.yaml"
    text = old.read_text(encoding="utf-8").replace('id: "2.1.2"', 'id: "1.2.3"').replace('objective: "2.1"', 'objective: "1.2"')
    old.unlink()
    (repo / "contract/actions/1.2.3.yaml").write_text(text, encoding="utf-8")
    code, out = run(capsys, "diff")
    assert "renumérotation : actions/2.1.2 → actions/1.2.3 (contract/actions/1.2.3.yaml)" in out
    assert "objective : « 2.1 » → « 1.2 »" in out
    edit(repo / "contract/actions/1.2.3.yaml", 'label: "2.1.2"', 'label: "1.2.3"')
    amend(repo, 1, [{"entity": "actions/2.1.2", "operation": "renumber", "to": "actions/1.2.3", "reason": "rattachée à l'objectif 1.2",
                     "wording": {"label": "1.2.3"}}])
    code, out = run(capsys, "amendment", "check")
    assert code == 0, out


def test_prose_change_shows_a_word_diff(repo, capsys):
    edit(repo / "contract/sections/p1-1.yaml", "Le comité de pilotage se réunit deux fois par an.",
         "Le comité de pilotage se réunit trois fois par an, et autant que nécessaire, sur convocation de la maire ou du préfet.")
    code, out = run(capsys, "diff")
    assert "modification : sections/p1-1 (contract/sections/p1-1.yaml)" in out
    assert "[-deux-] {+trois+}" in out
    assert run(capsys, "amendment", "check")[0] == 1
    body = (repo / "contract/sections/p1-1.yaml").read_text(encoding="utf-8").split("body: |\n")[1]
    amend(repo, 1, [{"entity": "sections/p1-1", "operation": "modify", "reason": "rythme du comité", "wording": {"body": body}}])
    code, out = run(capsys, "amendment", "check")  # the body's new wording, but a quotation of the old one remains
    assert code == 1
    assert ("governance/comite-pilotage.yaml:5:12: CV312 citation différente de la transcription des lignes L21 "
            "(sections/p1-1.yaml) : « deux fois par an »") in out
    edit(repo / "contract/governance/comite-pilotage.yaml", 'frequency: "deux fois par an"', 'frequency: "trois fois par an"')
    amend(repo, 1, [{"entity": "sections/p1-1", "operation": "modify", "reason": "rythme du comité", "wording": {"body": body}},
                    {"entity": "governance/comite-pilotage", "operation": "modify", "reason": "rythme du comité",
                     "wording": {"frequency": "trois fois par an"}}])
    code, out = run(capsys, "amendment", "check")
    assert code == 0, out
    code, markdown = run(capsys, "diff", "--format", "markdown")
    assert "| `sections/p1-1` | modification | `contract/sections/p1-1.yaml` |" in markdown
    assert "~~deux~~ **trois" in markdown


def test_typo_fix_needs_no_signatories(repo, capsys):
    edit(repo / "contract/actions/1.1.2.yaml", TITLE, 'title: "Fiche fictive B de l\'objectif 1.1."')
    amend(repo, 1, [{"entity": "actions/1.1.2", "operation": "modify", "reason": "point final",
                     "wording": {"title": "Fiche fictive B de l'objectif 1.1."}}], kind="rectification")
    code, out = run(capsys, "amendment", "check")
    assert code == 0, out
    # an avenant, unlike a rectification, must say who decided and who signed
    data = yaml.safe_load((repo / "contract/amendments/1.yaml").read_text(encoding="utf-8"))
    data["kind"] = "avenant"
    (repo / "contract/amendments/1.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out = run(capsys, "amendment", "check")
    assert code == 1 and "champ obligatoire « decisions » manquant" in out and "« signatories »" in out


def test_diff_between_revisions_with_renamed_files_and_invalid_side(repo, capsys):
    git(repo, "mv", "contract/territories/gare.yaml", "contract/territories/station.yaml")
    edit(repo / "contract/territories/station.yaml", 'id: "gare"', 'id: "station"')
    edit(repo / "contract/territories/centre.yaml", 'related: ["gare"]', 'related: ["station"]')
    git(repo, "commit", "-qam", "gare devient station")
    code, out = run(capsys, "diff", "main~1", "main")
    assert code == 0
    assert "renumérotation : territories/gare → territories/station" in out
    (repo / "contract/actions/1.1.1.yaml").write_text("id: [\n", encoding="utf-8")
    code, out = run(capsys, "diff", "main")
    assert code == 0
    assert "Attention : les données de copie de travail comportent" in out and "CV101" in out
    code, out = run(capsys, "diff", "pas-une-revision")
    assert code == 2 and "révision git inconnue" in out


def test_draft_then_complete(repo, capsys):
    edit(repo / "contract/actions/1.1.2.yaml", TITLE, 'title: "Intitulé revu"')
    (repo / "contract/actions/2.1.2.yaml").unlink()
    edit(repo / "contract/contrat.yaml", '{entity: "actions", expected: 7}', '{entity: "actions", expected: 6}')
    code, out = run(capsys, "amendment", "draft")
    assert code == 0 and "contract/amendments/1.yaml" in out
    draft = (repo / "contract/amendments/1.yaml").read_text(encoding="utf-8")
    assert '{entity: "actions/2.1.2", operation: "remove", reason: "À COMPLÉTER", source_lines: "L59"}' in draft
    assert 'wording: {title: "Intitulé revu"}' in draft
    code, out = run(capsys, "amendment", "check")
    assert code == 1 and "aaaa-mm-jj" in out  # the draft is not valid until completed
    draft = draft.replace('date: "aaaa-mm-jj"', 'date: "2025-06-30"').replace('date: "aaaa-mm-jj"', 'date: "2025-06-20"')
    draft = draft.replace("signatories: []", 'signatories: ["etat", "commune"]')
    (repo / "contract/amendments/1.yaml").write_text(draft, encoding="utf-8")
    code, out = run(capsys, "amendment", "check")  # dates and signatories only: still a draft
    assert code == 1
    unfinished = [line for line in out.splitlines() if " CV207 " in line]
    assert [line.split(" CV207 ")[1].split(" : ")[0] for line in unfinished] == [
        "« body » (Instance)", "« reference » (Référence)", "« summary » (Résumé)"] + ["« reason » (Motif)"] * 2
    assert all(line.startswith("contract/amendments/1.yaml:") for line in unfinished)
    draft = draft.replace("À COMPLÉTER : instance", "Conseil communautaire").replace('reference: "À COMPLÉTER"', 'reference: "D-2025-40"')
    draft = draft.replace("À COMPLÉTER : ce que change l'avenant et pourquoi.", "Nouvel intitulé d’une fiche ; une fiche retirée.")
    draft = draft.replace('reason: "À COMPLÉTER"', 'reason: "décision du comité de pilotage"')
    (repo / "contract/amendments/1.yaml").write_text(draft, encoding="utf-8")
    code, out = run(capsys, "amendment", "check")
    assert code == 0, out


def test_an_adopted_amendment_is_not_edited(repo, capsys):
    edit(repo / "contract/actions/1.1.2.yaml", TITLE, 'title: "Intitulé revu"')
    amend(repo, 1, [{"entity": "actions/1.1.2", "operation": "modify", "reason": "essai"}])
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "avenant 1")
    edit(repo / "contract/amendments/1.yaml", "Modification pour essai.", "Résumé réécrit.")
    code, out = run(capsys, "amendment", "check", "--base", "main")
    assert code == 1 and "l'avenant 1 existait déjà" in out


def test_nothing_changed(repo, capsys):
    code, out = run(capsys, "amendment", "check")
    assert code == 0 and "Aucune modification des données" in out


def test_site_shows_amendments_and_history(amended_site, serve, page):
    base = serve(amended_site)
    page.goto(base + "avenants/")
    article = page.locator("article").inner_text()
    assert article.index("Révision n°2") < article.index("Révision n°1")  # newest first
    assert "rectification d'erreur matérielle" in article and "Conseil communautaire" in article
    assert "deux" in page.locator("article del").all_inner_texts() and "trois" in page.locator("article ins").all_inner_texts()
    page.locator("article").get_by_role("link", name="Fiche action 1.1.4 — Fiche ajoutée par avenant").first.click()
    history = page.locator("article").inner_text().split("Historique")[1]
    assert "Version initiale du 1er juin 2024" in history and "Révision n°2 du 14 mars 2025 : ajout — nouvelle fiche" in history
    page.goto(base + "fiches/1.1.2/")
    history = page.locator("article").inner_text().split("Historique")[1]
    assert "Révision n°1 du 14 mars 2025 : modification — coquille dans l'intitulé" in history
    page.get_by_role("link", name="Révision n°1").click()
    assert page.url.endswith("/avenants/#revision-1")
    footer = page.locator(".cv-version").inner_text()
    assert footer == "Version présentée : Révision n°2 du 14 mars 2025"  # in words; the commit is on a technical page
    page.goto(base + "transcription/")
    assert re.search(r"depuis l'état [0-9a-f]{7,} du dépôt", page.locator("article").inner_text())


def test_real_site_says_it_is_the_initial_version(real_site):
    page = (real_site / "avenants/index.html").read_text(encoding="utf-8")
    assert "Aucun avenant : le contrat est dans sa version initiale, signée le 20 février 2015." in page
    assert "Version présentée : texte initial du 20 février 2015" in (real_site / "index.html").read_text(encoding="utf-8")


def test_amendment_touching_an_annex_links_to_its_anchor(repo, tmp_path):
    from tests.conftest import build
    edit(repo / "contract/annexes/1.yaml", "Seuls les intitulés", "Seuls les intitulés et les pilotes")
    amend(repo, 1, [{"entity": "annexes/1", "operation": "modify", "reason": "précision"}])
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "avenant 1")
    site = build(repo / "contract", tmp_path / "site")  # strict: a link to a missing anchor fails the build
    assert 'href="../annexes/#annexe-1"' in (site / "avenants/index.html").read_text(encoding="utf-8")
    assert 'id="annexe-1"' in (site / "annexes/index.html").read_text(encoding="utf-8")


def test_editorial_change_needs_no_declaration(repo, capsys):
    edit(repo / "contract/annexes/1.yaml", "Seuls les intitulés figurent dans ce contrat fictif.",
         "Le contrat fictif ne donne que les intitulés.")
    code, out = run(capsys, "amendment", "check")
    assert code == 0, out
    assert "Aucune modification des données du contrat dans cet intervalle (en dehors des champs éditoriaux)." in out


def test_transcription_correction_is_not_a_revision(repo, capsys):
    # our data did not match the signed text (a trailing space); the fix is declared as a correction
    edit(repo / "contract/actions/1.1.2.yaml", TITLE, 'title: "Fiche fictive B de l\'objectif 1.1 "')
    git(repo, "commit", "-qam", "erreur de transcription")
    edit(repo / "contract/actions/1.1.2.yaml", 'title: "Fiche fictive B de l\'objectif 1.1 "', TITLE)
    code, out = run(capsys, "amendment", "check", "--base", "main")
    assert code == 1 and "aucune nouvelle correction de transcription dans contract/corrections/" in out
    folder = repo / "contract" / "corrections"
    folder.mkdir()
    (folder / "1.yaml").write_text(
        'id: "1"\ndate: "2025-04-01"\nsummary: "Espace final en trop dans l\'intitulé de la fiche 1.1.2."\n'
        'changes:\n  - {entity: "actions/1.1.2", operation: "modify", reason: "espace en trop", source_lines: "L42"}\n',
        encoding="utf-8")
    code, out = run(capsys, "amendment", "check", "--base", "main")
    assert code == 0, out
    assert ("1 modification(s) déclarée(s) par la correction de transcription 1 : conforme. Les corrections de "
            "transcription (1) ne sont pas des révisions du contrat : elles n'entrent pas dans son historique.") in out
    # a correction cannot change the wording: the data must then be the signed text
    edit(repo / "contract/actions/1.1.2.yaml", TITLE, 'title: "Fiche fictive B, nouvel intitulé"')
    code, out = run(capsys, "amendment", "check", "--base", "main")
    assert code == 1 and "CV310 texte introuvable dans les lignes L42 du document source" in out
