"""What a visitor does, in a real browser (Debian's Chromium): navigate, follow links, search."""
import re
import unicodedata

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import h1


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


PANEL = "#cv-q-panel"


def search(page, base, query, start="fiches/2.4.3/"):
    """Types `query` in the header box of a page (a sheet by default) and returns the result titles."""
    if start is not None:
        page.goto(base + start)
    page.locator("#cv-q").fill(query)
    page.locator(PANEL).get_by_role("status").filter(has_text=f"pour « {query} »").wait_for()
    return [a.inner_text() for a in page.locator(f"{PANEL} li > a").all()]


def fold(text):
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode().lower()


@pytest.mark.parametrize("query, expected", [
    ("etouvie", "etouvie"),
    ("decrochage", "decroch"),  # the sheet on « décrocheurs » first: same family of words
    ("parentalite", "parentalite"),
])
def test_header_search_ignores_accents(page, base, query, expected):
    results = search(page, base, query)
    assert results, query
    assert expected in fold(results[0])


def count(page) -> int:
    return int(re.match(r"\d+", page.locator(PANEL).get_by_role("status").inner_text()).group())


def test_header_search_folds_plurals(page, base):
    one = search(page, base, "école")
    found = count(page)
    many = search(page, base, "écoles", start=None)
    assert count(page) == found and set(many) & set(one)
    assert set(search(page, base, "ecoles", start=None)) & set(many) and count(page) == found


@pytest.mark.parametrize("query, expected", [
    ("2.4.3", "Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)"),
    ("2-4-3", "Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)"),
    ("fiche 2.4.3", "Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)"),
    ("2.4", "Objectif 2.4 — Agir en prévention du décrochage scolaire"),
    ("objectif 2.4", "Objectif 2.4 — Agir en prévention du décrochage scolaire"),
])
def test_header_search_by_number_leads_to_the_page(page, base, query, expected):
    results = search(page, base, query, start="")
    assert results[0].startswith(expected), results[:3]
    if query.endswith("2.4"):  # then the objective's sheets, in order
        assert [r.split(" — ")[0] for r in results[1:]] == [f"Fiche action 2.4.{i}" for i in range(1, 6)]
    page.locator(f"{PANEL} li > a").first.click()
    assert h1(page).startswith(expected)


@pytest.mark.parametrize("query, first", [
    ("décrochage scolaire", "Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)"),  # the sheet first
    ("decrochage scolaire", "Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)"),
    ("Pierre Rolin", "Pierre Rollin"),  # one letter missing
    ("Pierre Rolllin", "Pierre Rollin"),  # one letter too many
    ("Salamandre", "Salamandre/Marcel Paul"),
])
def test_header_search_ranks_titles_and_forgives_a_typo_in_a_name(page, base, query, first):
    results = search(page, base, query)
    assert results[0] == first, results[:4]
    if query.startswith("d"):  # then the objective and the axis whose titles hold the whole phrase
        assert {r.split(" — ")[0] for r in results[1:3]} == {"Objectif 2.4", "Axe 2"}


def test_header_search_excerpts_are_highlighted_text(page, base):
    search(page, base, "renoncement aux soins", start="territoires/etouvie/")
    excerpts = page.locator(f"{PANEL} .cv-search__excerpt")
    assert excerpts.count() > 0
    marked = {m.lower() for m in page.locator(f"{PANEL} .cv-search__excerpt mark").all_inner_texts()}
    assert {"renoncement", "soins"} & marked
    for text in excerpts.all_inner_texts():
        assert not re.search(r"\\|&[a-z]+;|<|>|---|\{[:#.]|¶", text), text
    assert page.locator(f"{PANEL} .cv-search__excerpt *:not(mark)").count() == 0


def test_header_search_leads_into_the_section_of_a_long_text(page, base):
    search(page, base, "renoncement aux soins")
    links = page.locator(f"{PANEL} li > a")
    deep = [a for a in links.all() if re.search(r"/texte/[^/]+/#.", a.get_attribute("href"))]
    assert deep and " › " in deep[0].inner_text()
    section = deep[0].inner_text().split(" › ", 1)[1]
    deep[0].click()
    page.wait_for_url(re.compile(r"/texte/[^/]+/#."))
    heading = page.locator(f"[id='{page.url.split('#')[1]}']")
    assert section in heading.inner_text()
    assert 0 <= heading.bounding_box()["y"] < page.viewport_size["height"]  # scrolled to it


def test_header_search_filters_by_kind(page, base):
    everything = search(page, base, "santé")
    page.locator(PANEL).get_by_label("Fiches").check()
    page.locator(PANEL).get_by_role("status").filter(has_text="pour « santé »").wait_for()
    sheets = [a.inner_text() for a in page.locator(f"{PANEL} li > a").all()]
    assert sheets and all(t.startswith("Fiche action") for t in sheets)
    assert any(not t.startswith("Fiche action") for t in everything)


def test_header_search_filters_and_tags_are_the_contracts_words(page, base):
    """Read from the data the generator writes (the declared levels; two sharing a filter searched together)."""
    search(page, base, "axe stratégique 2")  # a level's full name before a number, too
    panel = page.locator(PANEL)
    assert panel.locator("li > a").first.inner_text().startswith("Axe 2 — Réussite éducative")
    assert panel.locator("li .cv-search__kind").first.inner_text() == "Axe ou objectif"
    assert [label.inner_text().strip() for label in panel.locator("fieldset label").all()] == \
        ["Tout", "Fiches", "Axes et objectifs", "Territoires", "Signataires", "Textes"]


def test_hand_written_pages_are_indexed(page, base):
    results = search(page, base, "défenseur des droits")
    assert results[0].startswith("Déclaration d'accessibilité")


def test_header_search_by_keyboard(page, base):
    page.goto(base + "fiches/1.1.1/")
    page.locator("article").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "cv-q"
    page.keyboard.type("etouvie")
    panel = page.locator(PANEL)
    panel.get_by_role("status").filter(has_text="pour « etouvie »").wait_for()
    page.keyboard.press("ArrowDown")
    first = panel.locator("li > a").first
    assert page.evaluate("document.activeElement.textContent") == first.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "cv-q"
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    assert page.evaluate("document.activeElement.id") == "cv-q"
    page.keyboard.type(" ")  # typing again reopens the panel; ↓ then Enter follows the link
    panel.get_by_role("status").filter(has_text="pour « etouvie »").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/territoires/"))
    assert "etouvie" in fold(h1(page))


def test_search_page_from_a_shared_link(page, base):
    page.goto(base + "recherche/?q=etouvie")
    form = page.locator("form[data-cv-search=page]")
    form.get_by_role("status").filter(has_text="résultat").wait_for()
    assert page.get_by_label(re.compile("Un mot, un quartier")).input_value() == "etouvie"
    assert "etouvie" in fold(form.locator("li > a").first.inner_text())


def test_header_search_submits_to_the_search_page(page, base):
    page.goto(base + "fiches/2.4.3/")
    page.locator("#cv-q").fill("quartier")
    page.locator("#cv-q").press("Enter")
    page.wait_for_url(re.compile(r"/recherche/\?q=quartier"))
    page.locator("form[data-cv-search=page]").get_by_role("status").filter(has_text="résultat").wait_for()


PAGES_OF_EACH_KIND = ["", "axes/1/", "axes/transversal/", "objectifs/2.4/", "fiches/2.4.3/", "territoires/",
                      "territoires/etouvie/", "signataires/", "signataires/etat/", "gouvernance/", "annexes/",
                      "texte/", "texte/partie-1/", "recherche/", "accessibilite/", "avenants/", "chronologie/",
                      "transcription/", "document-source/", "gouvernance/cispd/", "chiffres/", "corrections/"]


def axe_violations(page, base, path) -> list:
    """axe's WCAG 2.1 AA and best-practice violations on the page at `path`, its search results shown."""
    page.goto(base + path)
    if path == "recherche/":
        page.get_by_label(re.compile("Un mot, un quartier")).fill("quartier")
        page.locator("form[data-cv-search=page]").get_by_role("status").filter(has_text="résultat").wait_for()
    else:  # the header's results panel open
        search(page, base, "quartier", start=None)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]


@pytest.mark.parametrize("path", PAGES_OF_EACH_KIND)
def test_no_accessibility_violation(page, base, path):
    assert axe_violations(page, base, path) == []


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
    monkeypatch.setattr("generator.check.rawhtml.problems", lambda doc: [])  # validation refuses it: test the rendering alone
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
    assert text.splitlines()[0].startswith("id,objectif,axe,intitule,sous_points,pilote,") and len(text.splitlines()) == 92
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


# -- phones ---------------------------------------------------------------------------------
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="fr-FR", viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES_OF_EACH_KIND + ["imprimer/", "donnees/"])
def test_no_sideways_scroll_on_a_phone(phone, base, path):
    phone.goto(base + path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    if path in ("", "fiches/2.4.3/"):  # with the search panel open too
        search(phone, base, "quartier", start=None)
        assert phone.locator(PANEL).is_visible()
        box = phone.locator(PANEL).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path


@pytest.mark.parametrize("path", ["territoires/etouvie/", "chiffres/", "gouvernance/"])
def test_chart_text_is_readable_on_a_phone(phone, base, path):
    phone.goto(base + path)
    charts = phone.locator(".cv-chart")
    assert charts.count() > 0
    sizes = phone.evaluate("""() => [...document.querySelectorAll('.cv-chart *')]
        .filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert sizes and min(sizes) >= 11, min(sizes)
    cut = phone.evaluate("""() => [...document.querySelectorAll('.cv-chart span, .cv-chart strong')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible').length""")
    assert cut == 0
    values = phone.locator(".cv-bars__value").all_inner_texts()
    assert values and all(re.fullmatch(r"[0-9][0-9\u202f]*(,[0-9]+)?(\u202f%|\u00a0€)?( par an)?|[0-9]+ à [0-9]+ par an", v)
                          for v in values), values


def test_old_governance_anchors_lead_to_the_body_page(page, base):
    page.goto(base + "gouvernance/#cispd")
    anchor = page.locator("#cispd")
    assert anchor.get_attribute("href") == "cispd/"
    anchor.click()
    assert page.url.endswith("/gouvernance/cispd/")
    assert "Gouvernance" in page.get_by_role("navigation", name="Fil d'Ariane").inner_text()
