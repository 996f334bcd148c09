"""Every page says where you are and lets every visitor in: the site's name and the contract's status on
the first screen of a phone, the keyboard at 200 % zoom (only visible focus, in reading order; the menu
button; the skip link; « / » then a sheet's number), a French 404 page, who publishes the site, and a
build for publication that refuses to leave readers without a way to reach its publishers."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from generator.engine.build import build_site
from tests.conftest import MINI, ROOT, build, drop_source, h1

# A 1280 × 800 screen at 200 % zoom: 640 × 400 CSS pixels, two device pixels each (the same layout).
ZOOM_200 = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
STATUS = "Contrat terminé le 31 décembre 2023."


@pytest.fixture
def zoomed(browser):
    # Reduced motion: the focus ring and the skip link are checked where they end, not halfway through a fade.
    context = browser.new_context(locale="fr-FR", reduced_motion="reduce", **ZOOM_200)
    yield context.new_page()
    context.close()


# What the focused element looks like: its first box, whether it is drawn, its ring, what is on top of it.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getClientRects()[0] || el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const top = document.elementFromPoint(x, y);
  return {
    label: (el.getAttribute("aria-label") || el.innerText || el.value || el.outerHTML).trim().slice(0, 60),
    left: box.left, top: box.top, right: box.right, bottom: box.bottom, pageTop: box.top + scrollY,
    width: box.width, height: box.height, innerWidth, innerHeight,
    shown: el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}),
    ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    onTop: !!top && (el.contains(top) || (el.labels && [...el.labels].some((l) => l.contains(top)))),
    positive: el.tabIndex > 0,
    inMenu: !!el.closest(".md-sidebar--primary"),
  };
}"""


def tab_through(page, limit=400) -> list[dict]:
    """Press Tab from the top of the page to its end; what each stop looked like."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = page.evaluate(FOCUSED)
        if here is None:  # past the last element
            return stops
        stops.append(here)
    raise AssertionError(f"{limit} Tab sans atteindre la fin de la page")


@pytest.mark.parametrize("path", ["", "fiches/4.2.1/", "recherche/?q=quartier"])
def test_every_focus_is_visible_and_in_reading_order_at_200_percent_zoom(zoomed, base, path):
    zoomed.goto(base + path)
    if path.startswith("recherche/"):
        zoomed.locator("form[data-cv-search=page]").get_by_role("status").filter(has_text="résultat").wait_for()
    stops = tab_through(zoomed)
    assert len(stops) > 10
    labels = [s["label"] for s in stops]
    for stop in stops:
        where = f"{stop['label']!r} sur {path or 'accueil'}"
        assert stop["width"] > 0 and stop["height"] > 0, where
        assert stop["right"] > 0 and stop["left"] < stop["innerWidth"], where
        assert stop["bottom"] > 0 and stop["top"] < stop["innerHeight"], where
        assert stop["shown"], where
        assert stop["onTop"], where  # not under the header, the closed menu or anything else
        assert stop["ring"], where
        assert not stop["positive"], where
        assert not stop["inMenu"], where  # the menu is closed
    # Reading order: the page's links go down the page (a next column may start higher, to the right).
    article = [s for s in stops if s["label"] not in ("Aller au contenu", "Menu du site")]
    for before, after in zip(article, article[1:]):
        assert after["pageTop"] >= before["pageTop"] - 2 or after["left"] >= before["right"], (before["label"], after["label"])
    assert labels[:2] == ["Aller au contenu", "Menu du site"]  # then the search box, the page, its footer


def test_a_sheet_by_its_number_from_the_keyboard(zoomed, base):
    zoomed.goto(base)
    zoomed.keyboard.press("/")
    zoomed.keyboard.type("3.3.2")
    zoomed.keyboard.press("Enter")
    zoomed.wait_for_url("**/fiches/3.3.2/")
    assert h1(zoomed).startswith("Fiche action 3.3.2 — ")


def test_the_menu_button_works_with_the_keyboard(zoomed, base):
    zoomed.goto(base + "fiches/4.2.1/")
    menu = zoomed.get_by_role("button", name="Menu du site")
    zoomed.keyboard.press("Tab")
    zoomed.keyboard.press("Tab")
    expect(menu).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")
    zoomed.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    drawer = zoomed.locator(".md-sidebar--primary")
    for _ in range(3):  # focus in the open menu, where it can be seen
        here = zoomed.evaluate(FOCUSED)
        assert here["shown"] and here["onTop"] and here["ring"] and here["left"] >= 0, here
        assert here["inMenu"], here
        zoomed.keyboard.press("Tab")
    zoomed.keyboard.press("Escape")
    expect(menu).to_be_focused()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(drawer).to_be_hidden()
    zoomed.keyboard.press(" ")
    expect(drawer.get_by_role("link", name="Territoires")).to_be_visible()
    zoomed.keyboard.press("Escape")
    expect(drawer.get_by_role("link", name="Territoires")).to_be_hidden()


def test_the_skip_link_leads_into_the_page(zoomed, base):
    zoomed.goto(base + "fiches/4.2.1/")
    zoomed.keyboard.press("Tab")
    skip = zoomed.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    zoomed.keyboard.press("Enter")
    zoomed.keyboard.press("Tab")
    assert zoomed.evaluate("document.activeElement.closest('article') !== null")


def test_a_phone_shows_the_site_and_the_contract_status_on_the_first_screen(browser, base):
    context = browser.new_context(locale="fr-FR", **PHONE)
    phone = context.new_page()
    try:
        phone.goto(base + "fiches/4.2.1/")
        name = phone.locator(".md-header__topic").first
        expect(name).to_have_text("Contrat de ville d'Amiens Métropole 2015-2020")
        expect(name).to_be_in_viewport(ratio=1)
        assert name.evaluate("(el) => el.querySelector('.md-ellipsis').scrollHeight <= el.querySelector('.md-ellipsis').clientHeight + 1")
        status = phone.locator("article .cv-status-line")
        expect(status).to_contain_text(STATUS)
        assert status.bounding_box()["y"] + status.bounding_box()["height"] <= PHONE["viewport"]["height"]
        status.get_by_role("link", name="Voir la chronologie").click()
        phone.wait_for_url("**/chronologie/")
    finally:
        context.close()


def test_every_page_of_the_contract_says_where_it_stands(real_site):
    pages = {p.relative_to(real_site).as_posix(): p.read_text(encoding="utf-8") for p in real_site.rglob("index.html")}
    hand_written = {"a-propos/index.html", "accessibilite/index.html", "contribuer/index.html",
                    "mentions-legales/index.html", "recherche/index.html"}
    full = {"index.html", "chronologie/index.html"}  # these say it in full
    for path, html in pages.items():
        if 'http-equiv="refresh"' in html:  # a redirect
            continue
        line = re.search(r'<h1[^>]*>.*?</h1>\s*<p class="cv-status-line">(.*?)</p>', html, re.S)
        if path in hand_written or path in full:
            assert 'class="cv-status-line"' not in html, path
        else:
            assert line and STATUS in line.group(1) and "chronologie/" in line.group(1), path
    assert "Ce contrat n'est plus en vigueur" in pages["index.html"]


def test_the_missing_page_is_french_and_leads_back(page, base, real_site):
    page.goto(base + "404.html")
    assert h1(page) == "Page introuvable"
    assert "Not found" not in page.content()
    article = page.locator("article")
    for entry in ("Accueil", "Le texte du contrat", "Territoires", "Rechercher"):
        assert article.get_by_role("link", name=entry, exact=True).is_visible(), entry
    article.get_by_role("link", name="Revenir à l'accueil").click()
    page.wait_for_url(base)
    page.goto(base + "404.html")
    article.get_by_label(re.compile("Chercher ce que vous vouliez lire")).fill("etouvie")
    article.get_by_role("button", name="Rechercher").click()
    page.wait_for_url(re.compile(r"/recherche/\?q=etouvie"))
    page.locator("form[data-cv-search=page]").get_by_role("status").filter(has_text="résultat").wait_for()


def test_the_missing_page_fits_a_phone(browser, base):
    context = browser.new_context(locale="fr-FR", **PHONE)
    phone = context.new_page()
    try:
        phone.goto(base + "404.html")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
        expect(phone.get_by_label(re.compile("Chercher ce que vous vouliez lire"))).to_be_in_viewport()
    finally:
        context.close()


def test_amendments_and_corrections_say_what_they_are_not(page, base):
    page.goto(base + "avenants/")
    text = page.locator("article").inner_text()
    assert "Aucun avenant" in text and "Les prorogations par la loi ne sont pas des avenants" in text
    page.locator("article").get_by_role("link", name=re.compile(r"^Prorogation jusqu'au 31 décembre 2023")).click()
    page.wait_for_url("**/chronologie/#evenement-2021-12-30")
    page.goto(base + "corrections/")
    first = page.locator("article p").nth(1).inner_text()  # after the status line
    assert first.startswith("Ces corrections portent sur la transcription du contrat sur ce site, pas sur le contrat")
    assert page.locator("article h2").first.inner_text().startswith("Correction de transcription n°")


# -- who publishes the site, and how to reach them ---------------------------------------------------
def test_publisher_in_footer_and_legal_notice(mini_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("CONTRAT_PUBLISHER", "Ville de Valbourg <direction> & associés")
    site = build(drop_source(mini_copy), tmp_path / "site")
    notice = (site / "mentions-legales/index.html").read_text(encoding="utf-8")
    assert "Ce site est publié par : Ville de Valbourg &lt;direction&gt; &amp; associés." in notice
    assert "Site publié par Ville de Valbourg &lt;direction&gt; &amp; associés" in (site / "index.html").read_text(encoding="utf-8")


def test_a_publication_build_refuses_to_leave_readers_without_an_address(mini_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONTRAT_SITE_URL", "https://contrat.example.org/")
    monkeypatch.delenv("CONTRAT_CONTACT_EMAIL", raising=False)
    monkeypatch.delenv("CONTRAT_REPO_URL", raising=False)
    contract = drop_source(mini_copy)
    assert build_site(ROOT / "mkdocs.yml", contract, tmp_path / "site") == 1
    err = capsys.readouterr().err
    assert "site destiné à être publié" in err and "CONTRAT_CONTACT_EMAIL" in err and "CONTRAT_REPO_URL" in err
    assert "Traceback" not in err and not (tmp_path / "site").exists()
    # Either address is enough.
    monkeypatch.setenv("CONTRAT_REPO_URL", "https://forge.example/ville/contrat")
    assert build_site(ROOT / "mkdocs.yml", contract, tmp_path / "site") == 0


# What is drawn at the middle of the focused element, when it is not the element itself.
COVERING = """() => {
  const b = document.activeElement.getBoundingClientRect();
  const t = document.elementFromPoint(Math.max(b.left + b.width / 2, 0), Math.max(b.top + b.height / 2, 0));
  return t ? `${t.tagName} ${t.className}` : "";
}"""


def test_going_back_with_shift_tab_no_focus_hides_under_the_sticky_header(zoomed, base):
    """Shift+Tab scrolls the focused link to the top of the window: at 200 % zoom the sticky header covered it
    (« Télécharger cette fiche en JSON », the breadcrumb), as a keyboard visitor saw."""
    zoomed.goto(base + "fiches/2.4.3/")
    forward = tab_through(zoomed)
    hidden = []
    for _ in range(len(forward)):
        zoomed.keyboard.press("Shift+Tab")
        here = zoomed.evaluate(FOCUSED)
        if here is None:
            break
        if not here["onTop"] and not here["inMenu"]:
            hidden.append((here["label"], round(here["top"]), zoomed.evaluate(COVERING)))
    assert hidden == []
