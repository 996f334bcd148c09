"""An editor's journey through a revision, and what the public can then read of it."""
import subprocess
import xml.etree.ElementTree as ET

from generator import cli

from generator.revisions import history, versions
from generator.check.pipeline import check
from tests.conftest import SECOND, build, drop_source, git, git_repo
from tests.test_amendments import TITLE, amend, edit, run


A = "{http://www.w3.org/2005/Atom}"


def test_editor_journey(tmp_path, monkeypatch, capsys, serve, page):
    def dated_end(repo):  # a dated end, as for a past contract
        with (repo / "contract/contrat.yaml").open("a", encoding="utf-8") as meta:
            meta.write('  - {date: "2030-12-31", kind: "fin", title: "Fin du contrat", text: "Terme d\'essai.", '
                       'sources: [{title: "Source d\'essai", url: "https://example.org/valbourg"}]}\n')
    repo = git_repo(tmp_path / "depot", dated_end)
    monkeypatch.chdir(repo)

    # 1. The editor changes a sheet's title and drafts the amendment.
    edit(repo / "contract/actions/1.1.2.yaml", TITLE, 'title: "Fiche fictive B, accompagnement renforcé des familles"')
    code, out = run(capsys, "amendment", "draft")
    assert code == 0
    draft_path = repo / "contract/amendments/1.yaml"
    # 2. The gate refuses the draft as long as one placeholder is left, naming each field.
    code, out = run(capsys, "amendment", "check")
    assert code == 1 and out.count(" CV207 ") == 6, out  # date, body, decision date, reference, summary, reason
    draft = draft_path.read_text(encoding="utf-8")
    for old, new in (('date: "aaaa-mm-jj"', 'date: "2025-06-30"'), ('date: "aaaa-mm-jj"', 'date: "2025-06-20"'),
                     ("À COMPLÉTER : instance", "Conseil communautaire"), ('reference: "À COMPLÉTER"', 'reference: "D-2025-40"'),
                     ("signatories: []", 'signatories: ["etat", "commune"]'),
                     ("À COMPLÉTER : ce que change l'avenant et pourquoi.", "La fiche B vise aussi les familles."),
                     ('reason: "À COMPLÉTER"', 'reason: "élargir le public"')):
        draft = draft.replace(old, new, 1)
    draft_path.write_text(draft, encoding="utf-8")
    # 3. Completed, it passes; committed, it is history.
    code, out = run(capsys, "amendment", "check")
    assert code == 0, out
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "avenant 1")
    assert cli.main(["amendment", "check", "--base", "HEAD~1"]) == 0

    # 4. The public site: the sheet's history shows the old and the new wording, linked versions.
    site = build(repo / "contract", tmp_path / "site")
    base = serve(site)
    page.goto(base + "fiches/1.1.2/")
    history = page.locator("article").inner_text().split("Historique")[1]
    assert "Avenant n°1 au contrat de ville du 30 juin 2025 : modification — élargir le public" in history
    assert page.locator("article del").all_inner_texts() == ["B de l'objectif 1.1"]
    assert page.locator("article ins").all_inner_texts() == ["B, accompagnement renforcé des familles"]
    assert "modifications locales" not in page.locator(".cv-version").inner_text()
    # 5. The contract as it stood on the initial date: the old wording, said to be a past version.
    page.get_by_role("link", name="lire", exact=True).click()
    assert page.url.endswith("/versions/initiale/fiches/1.1.2/")
    assert page.locator("h1").inner_text().startswith("Fiche action 1.1.2 — Fiche fictive B de l'objectif 1.1")
    assert "en vigueur du 1er juin 2024 au 30 juin 2025" in page.locator("article").inner_text()
    page.get_by_role("link", name="Voir toutes les versions").click()
    assert page.url.endswith("/versions/initiale/")
    versions = page.locator("article").inner_text().split("Toutes les versions")[1]
    assert "Texte initial — en vigueur du 1er juin 2024 au 30 juin 2025" in versions
    assert "Avenant n°1 au contrat de ville — en vigueur du 30 juin 2025 au 31 décembre 2030" in versions  # the last says the end
    # 6. Past versions stay out of the menu and of search.
    assert "versions/" not in page.locator("nav.md-nav--primary").inner_html()
    assert "data-pagefind-body" in (site / "fiches/1.1.2/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in (site / "versions/initiale/fiches/1.1.2/index.html").read_text(encoding="utf-8")
    # 7. The feed announces the amendment.
    entries = ET.fromstring((site / "flux.xml").read_text(encoding="utf-8")).findall(A + "entry")
    assert [(e.find(A + "title").text, e.find(A + "updated").text[:10]) for e in entries] == [
        ("Fin du contrat", "2030-12-31"), ("Avenant n°1 au contrat de ville", "2025-06-30"), ("Signature du contrat", "2024-06-01")]


def test_version_stamp_says_when_the_build_has_uncommitted_changes(tmp_path):
    repo = git_repo(tmp_path / "depot")
    clean = (build(repo / "contract", tmp_path / "propre") / "index.html").read_text(encoding="utf-8")
    assert "modifications locales non enregistrées" not in clean
    edit(repo / "contract/annexes/1.yaml", "Seuls les intitulés", "Seuls les intitulés et les pilotes")  # editorial note
    dirty = (build(repo / "contract", tmp_path / "modifie") / "index.html").read_text(encoding="utf-8")
    assert "modifications locales non enregistrées" in dirty
    technical = (tmp_path / "modifie" / "transcription/index.html").read_text(encoding="utf-8")
    assert "avec des modifications locales non enregistrées" in technical


# -- history any city has ------------------------------------------------------------------------

def test_a_first_commit_holding_the_contract_and_its_amendment_builds(tmp_path):
    # A city importing its contract commits everything at once: nothing before to compare with.
    repo = git_repo(tmp_path / "depot", contract=SECOND)
    site = build(repo / "contract", tmp_path / "site")
    amendments = (site / "avenants/index.html").read_text(encoding="utf-8")
    assert "Avenant n°1 au contrat de ville de Rivebelle" in amendments and "Le détail des modifications" not in amendments
    assert not (site / "versions").exists()  # no past state in git: no dated versions, the declared changes only


def test_an_amendment_changing_a_table_without_a_page_builds(tmp_path):
    repo = git_repo(tmp_path / "depot", before_commit=lambda r: drop_source(r / "contract"))
    edit(repo / "contract/statistics/chiffres-cles.yaml", '{text: "1200", value: 1200', '{text: "1300", value: 1300')
    amend(repo, 1, [{"entity": "statistics/chiffres-cles", "operation": "modify", "reason": "chiffre corrigé"}])
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "avenant 1")
    site = build(repo / "contract", tmp_path / "site")
    version = (site / "versions/revision-1/index.html").read_text(encoding="utf-8")
    assert "<li>Chiffres clés fictifs</li>" in version  # named, not linked: the table has no page of its own
    assert "Chiffres clés fictifs" in (site / "avenants/index.html").read_text(encoding="utf-8")


def test_data_of_an_older_schema_in_git_is_a_version_shown_unavailable(tmp_path):
    repo = git_repo(tmp_path / "depot", before_commit=lambda r: drop_source(r / "contract"))
    sheet = repo / "contract/actions/1.1.2.yaml"
    edit(sheet, TITLE, 'intitule: "Fiche fictive B, intitulé d\'un ancien schéma"')  # the field's older name
    amend(repo, 1, [{"entity": "actions/1.1.2", "operation": "modify", "reason": "intitulé"}], kind="rectification")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "rectification 1, données d'un ancien schéma")
    old = git(repo, "rev-parse", "HEAD").strip()[:12]
    edit(sheet, 'intitule: "Fiche fictive B, intitulé d\'un ancien schéma"', 'title: "Fiche fictive B, intitulé d\'un ancien schéma"')
    git(repo, "commit", "-qam", "migration vers le schéma actuel")
    contract = check(repo / "contract").contract
    shown = versions.versions(contract, history.collect(repo / "contract", contract))
    assert [(v.slug, v.unavailable) for v in shown] == [
        ("initiale", ""), ("revision-1", f"les données de actions/1.1.2 à l'état {old} du dépôt ne suivent pas les schémas actuels")]
    site = build(repo / "contract", tmp_path / "site")
    page = (site / "versions/revision-1/index.html").read_text(encoding="utf-8")
    assert "Version indisponible" in page and old in page
    assert not (site / "versions/revision-1/fiches").exists() and (site / "versions/initiale/fiches/1.1.2/index.html").exists()


def test_the_history_reads_git_a_fixed_number_of_times_whatever_the_amendments(tmp_path, monkeypatch):
    repo = git_repo(tmp_path / "depot", before_commit=lambda r: drop_source(r / "contract"))
    for number in range(1, 7):
        edit(repo / "contract/actions/1.1.2.yaml", "title: \"Fiche fictive B", f"title: \"Fiche fictive B{number}")
        amend(repo, number, [{"entity": "actions/1.1.2", "operation": "modify", "reason": "intitulé"}], kind="rectification")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"rectification {number}")
    contract = check(repo / "contract").contract
    started = []
    real = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda args, *a, **k: (started.append(args), real(args, *a, **k))[1])
    past = history.collect(repo / "contract", contract)
    assert len(past.states) == 6 and len(started) <= 8, started  # not five processes per amendment
    assert [(f.old, f.new) for c in past.diffs["6"].changes if c.key == "actions/1.1.2" for f in c.fields] == [
        ("Fiche fictive B54321 de l'objectif 1.1", "Fiche fictive B654321 de l'objectif 1.1")]


def test_versions_share_the_pages_that_did_not_change(tmp_path):
    from generator.site.render import Inputs, version_pages
    repo = git_repo(tmp_path / "depot", before_commit=lambda r: drop_source(r / "contract"))
    for number, sheet in ((1, "1.1.2"), (2, "1.1.3"), (3, "1.1.2")):
        edit(repo / f"contract/actions/{sheet}.yaml", "title: \"", f"title: \"R{number} ")
        amend(repo, number, [{"entity": f"actions/{sheet}", "operation": "modify", "reason": "intitulé"}], kind="rectification")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"rectification {number}")
    contract = check(repo / "contract").contract
    past = history.collect(repo / "contract", contract)
    shown = versions.versions(contract, past)
    assert [dict(v.pages)[("actions", "1.1.2")] for v in shown] == ["initiale", "revision-1", "revision-1", "revision-3"]
    assert [dict(v.pages)[("actions", "1.1.3")] for v in shown] == ["initiale", "initiale", "revision-2", "revision-2"]
    pages = version_pages(Inputs(contract, past, tuple(shown)))
    assert sorted(p for p in pages if "/fiches/" in p) == [
        "versions/initiale/fiches/1.1.2.md", "versions/initiale/fiches/1.1.3.md", "versions/revision-1/fiches/1.1.2.md",
        "versions/revision-2/fiches/1.1.3.md", "versions/revision-3/fiches/1.1.2.md"]
    assert not any(p.startswith(("versions/revision-1/texte/", "versions/revision-2/texte/")) for p in pages)  # the text: once
    assert "en vigueur du 1er juin 2024 au 14 mars 2025" in pages["versions/initiale/fiches/1.1.3.md"].markdown  # two versions
