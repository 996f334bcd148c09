"""The five visitors who came in by a side door (issue 18), each played to the end of their task in a
real browser: a resident of Étouvie on a phone, an association citing a sheet, a journalist taking a
figure to a spreadsheet, a reader at 200 % zoom with the keyboard only, and someone landing from a
search engine on a deep page."""
import io
import re

import openpyxl
from playwright.sync_api import expect

from tests.conftest import CONTACT, h1
from tests.test_site_chrome import FOCUSED, PHONE, STATUS, ZOOM_200

MARKS = re.compile(r"\*\*|</?(u|sup|sub|br)\b", re.I)


def first_screen(page) -> str:
    """The text of the elements whose top edge is on the first screen (no scrolling)."""
    return page.evaluate("""() => [...document.querySelectorAll('header, article p, article h1, .cv-status-line')]
        .filter((el) => { const b = el.getBoundingClientRect(); return b.height > 0 && b.top < innerHeight; })
        .map((el) => el.innerText).join('\\n')""")


def test_a_resident_of_etouvie_on_a_phone(browser, base):
    context = browser.new_context(locale="fr-FR", **PHONE)
    page = context.new_page()
    try:
        page.goto(base)
        page.locator("article").get_by_role("link", name="Étouvie", exact=True).first.click()
        page.wait_for_url("**/territoires/etouvie/")
        # The answer comes first: what the contract says here, and that it has ended.
        shown = first_screen(page)
        assert "Étouvie" in shown and STATUS in shown
        assert "n'attribue ses fiches actions à aucun quartier" in shown
        assert not MARKS.search(page.locator("article").inner_text())
        # Passages: each once, grouped by part, with their page and line inside them; no stray list mark.
        passages = page.locator(".cv-passages li").all_inner_texts()
        assert len(passages) == len(set(passages)) >= 10
        assert not any(re.match(r"\s*[-•✓]", p) for p in passages)
        assert any(re.search(r"\bl\. \d+", p) for p in passages)
        # Whom to ask: the report link writes to the publishers.
        report = page.get_by_role("link", name=re.compile("Signaler une erreur")).first
        assert report.get_attribute("href").startswith(f"mailto:{CONTACT}")
    finally:
        context.close()


def test_an_association_cites_sheet_1_2_2(page, base):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    page.goto(base + "fiches/1.2.2/")
    # The bold of the signed text is shown as bold, never as « ** »; the tab title has the words only.
    assert page.locator("article h1 strong").inner_text() == "et"
    assert h1(page).startswith("Fiche action 1.2.2 — Structurer et adapter l'offre")
    assert not MARKS.search(page.title()) and "Structurer et adapter" in page.title()
    page.get_by_role("button", name="Copier la citation").click()
    citation = page.evaluate("navigator.clipboard.readText()")
    assert "fiche action 1.2.2 « Structurer et adapter l'offre" in citation
    assert not MARKS.search(citation)
    assert base + "fiches/1.2.2/" in citation


def test_a_journalist_takes_the_2012_amounts_to_a_spreadsheet(page, base):
    # The figure as the site shows it, with where it stands in the signed document (page and line).
    page.goto(base + "chiffres/")
    article = page.locator("article")
    expect(article).to_contain_text("72,5 M € pour le Département de la Somme")
    source = article.get_by_role("link", name=re.compile(r"^p\. \d+(-\d+)?, l\. \d+")).first
    assert source.is_visible()
    # The same figure in the workbook, as a number.
    page.goto(base + "donnees/")
    with page.expect_download() as download:
        page.locator("article").get_by_role("link", name="contrat.xlsx").first.click()
    workbook = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = workbook["signataires-montants"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, (cell.value for cell in row))) for row in sheet.iter_rows(min_row=2)]
    amounts = {r[header[0]]: r for r in rows}
    somme = amounts["departement-somme"]
    assert 72500000 in somme.values()
    assert all(not isinstance(v, str) or not v.startswith("=") for r in rows for v in r.values())
    # … and back to the signed text, at the line cited.
    page.goto(base + "chiffres/")
    href = source.get_attribute("href")
    source.click()
    page.wait_for_url(re.compile(r"/document-source/#L\d+$"))
    assert page.url.endswith(href.split("/")[-1])
    expect(page.locator(":target")).to_be_in_viewport()


def test_a_reader_at_200_percent_zoom_with_the_keyboard_only(browser, base):
    context = browser.new_context(locale="fr-FR", reduced_motion="reduce", **ZOOM_200)
    page = context.new_page()
    try:
        page.goto(base)
        page.keyboard.press("Tab")
        skip = page.evaluate(FOCUSED)
        assert skip["label"] == "Aller au contenu" and skip["shown"] and skip["ring"] and skip["onTop"]
        # « / », the sheet's number, Enter: the sheet, never another page.
        page.keyboard.press("/")
        page.keyboard.type("3.3.2")
        page.keyboard.press("Enter")
        page.wait_for_url("**/fiches/3.3.2/")
        assert h1(page).startswith("Fiche action 3.3.2 — ")
        # On to the citation box by Tab alone, each stop seen where it is.
        for _ in range(80):
            page.keyboard.press("Tab")
            here = page.evaluate(FOCUSED)
            assert here and here["shown"] and here["ring"] and here["onTop"] and not here["inMenu"], here
            if here["label"] == "Copier la citation":
                break
        else:
            raise AssertionError("« Copier la citation » jamais atteint au clavier")
    finally:
        context.close()


def test_someone_landing_from_a_search_engine_on_sheet_4_2_1(browser, base):
    context = browser.new_context(locale="fr-FR", **PHONE)
    page = context.new_page()
    try:
        page.goto(base + "fiches/4.2.1/")
        shown = first_screen(page)
        # What site this is, and that the contract has ended, before any scrolling.
        assert "Contrat de ville d'Amiens Métropole 2015-2020" in shown
        assert STATUS in shown and "Contrat suivant" in shown
        page.locator(".cv-status-line").get_by_role("link", name="Voir la chronologie").click()
        page.wait_for_url("**/chronologie/")
        text = page.locator("article").inner_text()
        assert "2024-2030" in text and "prorog" in text.lower()
    finally:
        context.close()
