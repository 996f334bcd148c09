"""What a visitor does, in a real browser (Debian's Chromium): navigate, follow links, search."""
import re
import unicodedata

import pytest
from axe_playwright_python.sync_playwright import Axe


@pytest.fixture(scope="module")
def base(real_site, serve):
    return serve(real_site)


def h1(page) -> str:
    return page.locator("article h1").first.inner_text().replace("¶", "").strip()


def test_navigate_axis_objective_sheet_and_neighbours(page, base):
    page.goto(base)
    assert h1(page) == "Contrat de ville Amiens Métropole 2015/2020"
    page.get_by_role("link", name=re.compile(r"^Axe 2 — Réussite éducative")).first.click()
    assert h1(page).startswith("Axe 2 — Réussite éducative de la maternelle à l'université")
    assert "Titre imprimé dans le contrat : REUSSITE EDUCATIVE DE LA MATERNELLE" in page.locator("article").inner_text()
    page.get_by_role("link", name=re.compile(r"^Objectif 2\.4 — ")).first.click()
    assert h1(page).startswith("Objectif 2.4 — Agir en prévention du décrochage scolaire")
    page.get_by_role("link", name="Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)").click()
    assert h1(page) == "Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)"
    crumbs = page.get_by_role("navigation", name="Fil d'Ariane").inner_text()
    assert "Axe 2" in crumbs and "Objectif 2.4" in crumbs
    page.get_by_role("link", name=re.compile(r"^Fiche 2\.4\.4 — Accompagnement des établissements .* →$")).click()
    assert h1(page).startswith("Fiche action 2.4.4 — ")
    page.get_by_role("link", name="← Fiche 2.4.3 — Agir en faveur des décrocheurs(es)").click()
    assert h1(page).startswith("Fiche action 2.4.3 — ")
    page.get_by_role("link", name=re.compile(r"^← Fiche 2\.4\.2 — ")).click()
    assert h1(page).startswith("Fiche action 2.4.2 — ")


def test_cross_link_from_prose(page, base):
    page.goto(base + "objectifs/4.1/")
    page.locator("article").get_by_role("link", name="fiche action n°4-5").click()
    assert h1(page).startswith("Fiche action 4.1.5 — Promouvoir l'accès aux droits")
    cited = page.locator("article").inner_text()
    assert "Citée dans" in cited and "Objectif 4.1" in cited


def test_prose_axis_reference_links_to_axis(page, base):
    page.goto(base + "texte/partie-3/")
    page.locator("article").get_by_role("link", name="axe stratégique 1").first.click()
    assert page.url.endswith("/axes/1/")


def search(page, base, query):
    page.goto(base + "recherche/")
    page.get_by_label(re.compile("Un mot, un quartier")).fill(query)
    page.get_by_role("status").filter(has_text="résultat").wait_for()
    return [a.inner_text() for a in page.locator("#cv-results li > a").all()]


def fold(text):
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode().lower()


@pytest.mark.parametrize("query, expected", [
    ("etouvie", "etouvie"),
    ("decrochage", "decrochage"),
    ("parentalite", "parentalite"),
])
def test_search_ignores_accents(page, base, query, expected):
    results = search(page, base, query)
    assert results, query
    assert expected in fold(results[0])


@pytest.mark.parametrize("singular, plural", [("école", "écoles"), ("quartier", "quartiers")])
def test_search_folds_plurals(page, base, singular, plural):
    one, many = search(page, base, singular), search(page, base, plural)
    assert one and one == many
    assert one == search(page, base, fold(plural))


def test_search_by_sheet_number(page, base):
    results = search(page, base, "2.4.3")
    assert results[0] == "Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)"
    page.locator("#cv-results li > a").first.click()
    assert h1(page) == results[0]


def test_search_from_a_shared_link(page, base):
    page.goto(base + "recherche/?q=etouvie")
    page.get_by_role("status").filter(has_text="résultat").wait_for()
    assert page.get_by_label(re.compile("Un mot, un quartier")).input_value() == "etouvie"


PAGES_OF_EACH_KIND = ["", "axes/1/", "axes/transversal/", "objectifs/2.4/", "fiches/2.4.3/", "territoires/",
                      "territoires/etouvie/", "signataires/", "signataires/etat/", "gouvernance/", "annexes/",
                      "texte/", "texte/partie-1/", "recherche/", "accessibilite/", "avenants/", "chronologie/",
                      "transcription/", "document-source/", "chiffres/"]


@pytest.mark.parametrize("path", PAGES_OF_EACH_KIND)
def test_no_accessibility_violation(page, base, path):
    page.goto(base + path)
    if path == "recherche/":
        page.get_by_label(re.compile("Un mot, un quartier")).fill("quartier")
        page.get_by_role("status").filter(has_text="résultat").wait_for()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert violations == []


def test_no_third_party_request(page, base):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    for path in ["", "fiches/2.4.3/", "territoires/etouvie/", "recherche/?q=ecole"]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    assert requested
    assert [u for u in requested if not u.startswith(base)] == []


def test_hostile_content_runs_nothing_in_the_browser(page, tmp_path, serve, monkeypatch):
    from tests.conftest import HOSTILE, build
    monkeypatch.setattr("generator.rawhtml.problems", lambda doc: [])  # validation refuses it: test the rendering alone
    base = serve(build(HOSTILE, tmp_path / "site"))
    page.add_init_script("window.__ran = []; const _a = window.alert; window.alert = (m) => { window.__ran.push(m); _a(m); };")
    for path in ["", "fiches/1.1.1/", "objectifs/1.1/", "territoires/centre/", "territoires/", "texte/preambule/",
                 "recherche/?q=script", "chronologie/", "transcription/"]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # links in folded context too
        for link in page.locator("article a").all():
            link.hover()
        assert page.evaluate("window.__ran") == [], path
    page.goto(base + "objectifs/1.1/")
    for name in ("cliquez", "encore", "lien HTML"):
        page.locator("article").get_by_text(name, exact=True).first.click()
    assert page.dialogs == []
    page.goto(base + "fiches/1.1.1/")
    assert page.title().startswith("Fiche action 1.1.1 — </title><script>alert('titre')</script>")  # shown as text


def test_open_data_links_download(page, base):
    page.goto(base + "donnees/")
    links = {a.inner_text(): a.get_attribute("href") for a in page.locator("article table a").all()}
    data = page.request.get(base + "donnees/" + links["contrat.json"]).json()
    assert len(data["axes"]) == 6 and data["publication"]["licence"].startswith("Licence Ouverte")
    with page.expect_download() as download:
        page.locator("article").get_by_role("link", name="fiches-actions.csv").click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.splitlines()[0] == "id,objectif,axe,intitule,sous_points" and len(text.splitlines()) == 92
    page.goto(base + "fiches/2.4.3/")
    page.get_by_role("link", name="Télécharger cette fiche en JSON").click()
    assert '"id": "2.4.3"' in page.content()


def test_a_sheet_prints_on_one_clean_a4_page(page, base):
    for sheet in ("1.1.1", "2.4.3", "5.2.1", "1.2.1", "4.1.1"):  # 4.1.1: the longest objective context, with notes
        page.goto(base + f"fiches/{sheet}/")
        page.emulate_media(media="print")
        for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".cv-pager", ".cv-data-link",
                         ".cv-breadcrumb", ".cv-cite__copy", ".cv-context", ".footnote"):
            assert not page.locator(selector).first.is_visible(), selector
        header = page.locator(".cv-print-header")
        assert page.locator("article h1").is_visible() and header.is_visible()
        assert "Contrat de ville Amiens Métropole 2015/2020" in header.inner_text()
        assert base + f"fiches/{sheet}/" in header.inner_text()  # the full address
        pdf = page.pdf(format="A4")
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, sheet
        page.emulate_media(media="screen")
        assert not header.is_visible()
