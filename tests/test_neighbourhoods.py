"""Which items of the strategy, and which projects, here? Any item of the strategy (not only the lowest level)
can name the territories it concerns, and a neighbourhood's own project is an entity of its own: its page, and
the pages of its territories and of the items it takes up, answer « which défis and which projects here ».
Played on the 2024-2030 fixture (tests/fixtures/defis) as a resident would read it, and checked at each place
an editor can get it wrong."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from generator.check.pipeline import check
from generator.core.registry import LEVELS
from generator.publish import export
from tests.conftest import CONTRACT, DEFIS, copy_of, headings_over_nothing
from tests.test_amendments import repo, run  # noqa: F401  (the fixture, used by name)


def _text(page: Path) -> str:
    """The visible text of a page's article, one block per line."""
    raw = page.read_text(encoding="utf-8")
    article = re.search(r"<article.*?</article>", raw, re.S)
    text = re.sub(r"<(h[1-6]|p|li|nav)\b", r"\n<\1", article.group(0) if article else raw)
    text = re.sub(r"[ \t]+", " ", re.sub(r"<[^>]+>", "", text)).replace("&#39;", "'")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _lines(text: str, start: str, n: int) -> list[str]:
    """The `n` lines of `text` from the line that begins with `start`."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(start))
    return lines[at:at + n]


# -- the data ------------------------------------------------------------------------------------------------
def test_items_of_any_level_name_their_territories():
    c = check(DEFIS).contract
    items = c.relations.items_of_territory
    assert [a.id for a in items[("axes", "haut-pre")]] == ["1", "3", "4"]
    assert [a.id for a in items[("axes", "val-fleuri")]] == ["1", "2", "3"]
    real = check(CONTRACT).contract.relations.items_of_territory
    assert dict(real) == {}  # the 2015 contract's data gives no item territories of its own
    assert set(LEVELS) >= {slot for slot, _ in items}


def test_projects_are_found_by_territory_and_by_the_items_they_take_up():
    c = check(DEFIS).contract
    projects = c.relations.projects_of
    assert [p.id for p in projects[("territories", "val-fleuri")]] == ["projet-val-fleuri"]
    assert [p.id for p in projects[("axes", "3")]] == ["projet-haut-pre", "projet-val-fleuri"]
    assert ("axes", "4") in projects and ("territories", "nulle-part") not in projects


def test_a_wrong_territory_of_an_item_or_a_project_is_shown_at_its_place(tmp_path):
    contract = copy_of(DEFIS, tmp_path)
    axis = contract / "axes" / "2.yaml"
    axis.write_text(axis.read_text(encoding="utf-8").replace('"val-fleuri"]', '"val-fleury"]'), encoding="utf-8")
    project = contract / "projects" / "projet-tilleuls.yaml"
    project.write_text(project.read_text(encoding="utf-8").replace('items: ["axes/2", "axes/4"]', 'items: ["axes/2", "axes/12"]')
                       .replace('territories: ["tilleuls"]', 'territories: ["tilleul"]'), encoding="utf-8")
    shown = [(Path(p.file).name, p.line, p.code, p.message.split(" ;")[0]) for p in check(contract).problems]
    assert shown == [
        ("2.yaml", 4, "CV301", "référence inconnue : « val-fleury » n'est pas un identifiant de territoire"),
        ("projet-tilleuls.yaml", 4, "CV301", "référence inconnue : « tilleul » n'est pas un identifiant de territoire"),
        ("projet-tilleuls.yaml", 8, "CV301", "référence inconnue : « 12 » n'est pas un identifiant de défi"),
    ]


def test_a_project_names_its_territories_and_its_source(tmp_path):
    contract = copy_of(DEFIS, tmp_path)
    project = contract / "projects" / "projet-tilleuls.yaml"
    project.write_text("\n".join(line for line in project.read_text(encoding="utf-8").splitlines()
                                 if not line.startswith(("territories:", "source:"))) + "\n", encoding="utf-8")
    problems = [(Path(p.file).name, p.code, p.message) for p in check(contract).problems]
    assert [(name, code) for name, code, _ in problems] == [("projet-tilleuls.yaml", "CV202")] * 2
    assert any("« territories »" in m for _, _, m in problems) and any("« source »" in m for _, _, m in problems)


def test_open_data_has_one_row_per_project_and_the_territories_of_every_item():
    c = check(DEFIS).contract
    table = export.tables_of(c)["projects"]
    rows = list(csv.DictReader(io.StringIO(export.to_csv(c, "projects"))))
    assert [(r["id"], r["territoires"], r["elements"]) for r in rows] == [
        ("projet-haut-pre", "haut-pre", "axes/1 | axes/3"), ("projet-tilleuls", "tilleuls", "axes/2 | axes/4"),
        ("projet-val-fleuri", "val-fleuri", "axes/1 | axes/2 | axes/3")]
    assert rows[1]["priorites"] == "Une maison de santé dans le quartier. | Des jardins partagés au pied des tours."
    assert table.file == "projets.csv"
    data = export.to_data(c)
    assert data["axes"][1]["territories"] == ["tilleuls", "val-fleuri"]
    assert [p["id"] for p in data["projects"]] == ["projet-haut-pre", "projet-tilleuls", "projet-val-fleuri"]


def test_a_project_is_part_of_the_contract_and_needs_an_amendment(repo, capsys):  # noqa: F811
    (repo / "contract" / "projects").mkdir()
    (repo / "contract" / "projects" / "projet-gare.yaml").write_text(
        'id: "projet-gare"\ntitle: "Projet de la gare"\nterritories: ["gare"]\nitems: ["axes/1"]\n'
        'source: {document: "Document d\'essai", page: 3}\n', encoding="utf-8")
    code, out = run(capsys, "amendment", "check", "--base", "main")
    assert code == 1
    assert "ajout de projects/projet-gare non déclarée" in out


# -- the site, as a resident reads it --------------------------------------------------------------------------
def test_the_page_of_a_neighbourhood_new_in_2024_answers_which_defis_and_which_project(defis_site):
    text = _text(defis_site / "territoires" / "val-fleuri" / "index.html")
    assert "3 défis lui sont attribués." in text
    assert "Date d'entrée : 1er janvier 2024" in text
    assert _lines(text, "Défis de ce territoire", 4) == [
        "Défis de ce territoire :", "Défi 1 — Réussir à l'école et après", "Défi 2 — Se soigner près de chez soi",
        "Défi 3 — Travailler et entreprendre"]
    project = text[text.index("Projet de quartier¶"):]
    assert _lines(project, "Projet de quartier de Val-Fleuri", 2) == ["Projet de quartier de Val-Fleuri", "Ses priorités :"]
    assert "Un accompagnement vers l'emploi des jeunes sans diplôme." in project
    assert "Accompagner vers l'emploi les jeunes de Val-Fleuri — L'État" in text  # the commitment for it
    etat = _text(defis_site / "signataires" / "etat" / "index.html")
    assert "Défi concerné : Défi 3 — Travailler et entreprendre" in etat.splitlines()  # in the contract's words
    raw = (defis_site / "territoires" / "val-fleuri" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../projets/projet-val-fleuri/"' in raw and 'href="../../defis/2/"' in raw


def test_the_menu_names_each_defi_with_its_title(defis_site):
    """A contract of one level: the menu lists its items, each with its title (what an association scans for)."""
    raw = (defis_site / "defis" / "3" / "index.html").read_text(encoding="utf-8")
    menu = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m.group(1))).strip().replace("&#x27;", "'")
            for m in re.finditer(r'<a href="[^"]*" class="md-nav__link[^"]*"[^>]*>(.*?)</a>', raw, re.S)]
    assert [m for m in menu if m.startswith("Défi ")] == [
        "Défi 1 — Réussir à l'école et après", "Défi 2 — Se soigner près de chez soi",
        "Défi 3 — Travailler et entreprendre", "Défi 4 — Habiter un quartier apaisé"]


def test_the_list_of_territories_names_each_one_s_project(defis_site):
    text = _text(defis_site / "territoires" / "index.html")
    assert "Val-Fleuri — Projet de quartier de Val-Fleuri" in text.splitlines()


def test_a_defi_names_its_neighbourhoods_and_the_projects_that_take_it_up(defis_site):
    text = _text(defis_site / "defis" / "2" / "index.html")
    assert "Territoires concernés : Les Tilleuls, Val-Fleuri" in text
    assert ("Projets de quartier qui reprennent ce défi : Projet de quartier des Tilleuls, "
            "Projet de quartier de Val-Fleuri") in text
    one = _text(defis_site / "defis" / "4" / "index.html")
    assert "Projet de quartier qui reprend ce défi : Projet de quartier des Tilleuls" in one  # one project: the singular


def test_a_project_has_its_page_priorities_items_by_level_source_and_follow_up(defis_site):
    page = defis_site / "projets" / "projet-tilleuls" / "index.html"
    text = _text(page)
    assert "Accueil › Territoires › Les Tilleuls › Projet de quartier des Tilleuls" in text
    assert _lines(text, "Priorités", 3) == ["Priorités¶", "Une maison de santé dans le quartier.",
                                         "Des jardins partagés au pied des tours."]
    assert "Défis : Défi 2 — Se soigner près de chez soi, Défi 4 — Habiter un quartier apaisé" in text
    assert "Source : Projet de quartier des Tilleuls (fictif)" in text
    assert "31 décembre 2025 — Les premiers jardins partagés ont ouvert au printemps." in text
    assert 'data-pagefind-filter="type:projet"' in page.read_text(encoding="utf-8")


def test_the_printable_page_holds_each_project_with_its_follow_up(defis_site):
    raw = (defis_site / "imprimer" / "index.html").read_text(encoding="utf-8")
    text = _text(defis_site / "imprimer" / "index.html")
    projects = text[text.index("Les projets de quartier¶"):]
    assert _lines(projects, "Projet de quartier des Tilleuls", 3) == [
        "Projet de quartier des Tilleuls¶", "Territoires : Les Tilleuls", "Priorités :"]
    assert ("Ce que le projet reprend du contrat : Défi 2 — Se soigner près de chez soi ; "
            "Défi 4 — Habiter un quartier apaisé") in projects
    assert 'id="imprimer-projet-tilleuls"' in raw and 'id="suivi-imprimer-projet-tilleuls"' in raw
    ids = re.findall(r'id="([^"]+)"', raw)
    assert len(ids) == len(set(ids))


def test_the_call_for_projects_and_the_evaluation_are_dated_events_with_their_source(defis_site):
    text = _text(defis_site / "chronologie" / "index.html")
    assert "6 janvier 2025 — Appel à projets 2025, ouvert toute l'année" in text
    assert "Appel à projets. Les associations peuvent déposer un projet à tout moment de l'année" in text
    assert "Évaluation. Le bilan des deux premières années est publié" in text
    assert "document publié" not in text  # a contract without its signed text: no sentence about it
    home = _text(defis_site / "index.html")
    assert "Ce que le contrat dit de votre quartier : ses défis, son projet, chaque passage qui le nomme" in home


def test_no_page_of_the_2024_2030_site_is_a_heading_over_nothing(defis_site):
    for path in sorted(defis_site.rglob("*.html")):
        if not str(path.relative_to(defis_site)).startswith(("pagefind/", "assets/")):
            assert headings_over_nothing(path.read_text(encoding="utf-8")) == [], path


# -- in a browser: a resident of the neighbourhood new in 2024, on a phone, from a search engine ----------------
LEVEL_WORDS = re.compile(r"(?i)\baxes?\b|\bobjectifs?\b|\bfiches?\b")


def test_a_resident_of_val_fleuri_on_a_phone_finds_its_defis_and_its_project(browser, serve, defis_site):
    from tests.test_site_chrome import PHONE
    base = serve(defis_site)
    context = browser.new_context(locale="fr-FR", **PHONE)
    page = context.new_page()
    try:
        page.goto(base + "territoires/val-fleuri/")  # a deep link, as a search engine gives it
        article = page.locator("article")
        assert article.locator(".cv-answer").inner_text().startswith("Val-Fleuri fait partie des 3 quartiers prioritaires")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
        # Which défis here: listed by title, each a link to its page.
        defis = article.locator("li").filter(has_text=re.compile(r"^Défi \d+ — "))
        assert defis.all_inner_texts() == ["Défi 1 — Réussir à l'école et après", "Défi 2 — Se soigner près de chez soi",
                                           "Défi 3 — Travailler et entreprendre"]
        # Which project here: its priorities on this page, the whole of it one click away.
        headings = [h.replace("¶", "").strip() for h in article.locator("h2").all_inner_texts()]
        assert "Projet de quartier" in headings
        assert article.get_by_text("Un accompagnement vers l'emploi des jeunes sans diplôme.").is_visible()
        article.get_by_role("link", name="Projet de quartier de Val-Fleuri").click()
        page.wait_for_url("**/projets/projet-val-fleuri/")
        taken = page.locator("article li").filter(has_text="Défis :").inner_text()
        assert "Défi 3 — Travailler et entreprendre" in taken
        page.locator("article").get_by_role("link", name="Défi 3 — Travailler et entreprendre").click()
        page.wait_for_url("**/defis/3/")
        assert "Projet de quartier de Val-Fleuri" in page.locator("article").inner_text()
        # The contract declares défis only: no other level's word on the pages read, nor in the menu.
        for url in ("territoires/val-fleuri/", "projets/projet-val-fleuri/", "defis/3/"):
            page.goto(base + url)
            assert LEVEL_WORDS.findall(page.locator("body").inner_text()) == [], url
        # Every entry of the menu leads to a page with something under its title.
        entries = page.evaluate("""() => [...document.querySelectorAll('.md-nav--primary a.md-nav__link[href]')]
            .map((a) => a.href)""")
        assert len(entries) >= 5
        for href in dict.fromkeys(entries):
            page.goto(href)
            assert page.locator("article h1").count() == 1, href
            assert len(page.locator("article").inner_text()) > len(page.locator("article h1").inner_text()) + 40, href
    finally:
        context.close()


def test_a_contract_without_its_signed_text_never_speaks_of_a_published_text(defis_site):
    """It is described from public sources: no page says what « the published contract » gives or leaves out."""
    found = [str(p.relative_to(defis_site)) for p in sorted(defis_site.rglob("*.html"))
             if re.search(r"contrat publié|document publié|dans l'ordre du document|texte intégral", _text(p))]
    assert found == []
    etat = _text(defis_site / "signataires" / "etat" / "index.html")
    assert "non renseigné dans les sources du contrat" in etat
    sources = _text(defis_site / "transcription" / "index.html")
    assert ("Ce qui vient d'ailleurs (la date de signature, la chronologie, les engagements des signataires, "
            "les projets de quartier, les comptes rendus de suivi) est signalé comme tel") in sources


def test_a_territory_page_promises_the_report_link_only_where_the_footer_has_it(defis_site, real_site):
    """A site without a contact address nor a forge has no « Signaler une erreur »: its pages do not send
    people looking for it (the défis site, as `contrat nouveau` configures it); the real site has both."""
    for site, page in ((defis_site, "val-fleuri"), (real_site, "etouvie")):
        raw = (site / "territoires" / page / "index.html").read_text(encoding="utf-8")
        assert ("Le lien « Signaler une erreur », en bas de la page" in raw) == ('class="cv-report"' in raw), page
    assert 'class="cv-report"' not in (defis_site / "territoires" / "val-fleuri" / "index.html").read_text(encoding="utf-8")
    assert 'class="cv-report"' in (real_site / "territoires" / "etouvie" / "index.html").read_text(encoding="utf-8")


def test_an_association_cites_a_defi(page, serve, defis_site):
    """The finest level of the contract, here its défis, has the citation box of a sheet."""
    base = serve(defis_site)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    page.goto(base + "defis/3/")
    page.get_by_role("button", name="Copier la citation").click()
    citation = page.evaluate("navigator.clipboard.readText()")
    assert citation == ("Engagements Quartiers 2030 de Bellerive (fictif), défi 3 « Travailler et entreprendre », "
                        f"texte initial du 18 décembre 2024. {base}defis/3/")
