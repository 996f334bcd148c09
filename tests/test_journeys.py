"""The questions people bring to the site, each as a journey in a real browser (Debian's Chromium):
a resident (my neighbourhood), an applicant (cite and print a sheet), a journalist (check a figure
against the signed text), anyone (is this contract still in force?)."""
import re
from urllib.parse import parse_qs, unquote, urlparse

from playwright.sync_api import expect

from tests.conftest import CONTACT, h1


def test_resident_finds_what_the_contract_says_about_etouvie(page, base):
    page.goto(base)
    choose = page.locator("article").get_by_role("heading", name="Choisir un quartier")
    assert choose.is_visible()
    page.locator("article").get_by_role("link", name="Étouvie", exact=True).first.click()
    page.wait_for_url("**/territoires/etouvie/")
    assert h1(page) == "Étouvie"
    article = page.locator("article")
    text = article.inner_text()
    # The answer first: what the contract says of it, before any figure, definition or line number.
    answer = article.locator(".cv-answer")
    assert answer.inner_text().startswith("Étouvie fait partie des 6 quartiers prioritaires du contrat.")
    assert text.index("fait partie des 6") < min(text.index("carroyage"), text.index("Voir dans le document source"))
    # Every passage that names it, under both spellings, each with its exact place.
    passages = page.locator(".cv-passages li")
    assert passages.count() >= 10
    texts = passages.all_inner_texts()
    assert any("Etouvie" in t for t in texts) and any("Étouvie" in t for t in texts)
    assert len(texts) == len(set(texts)) and not any("✓" in t or "« -" in t for t in texts)  # each once, no list marks
    # … grouped by part of the contract, in its order.
    parts = [h.replace("¶", "").strip() for h in article.locator("h3").all_inner_texts()]
    assert parts[0] == "Propos introductifs" and parts[-1].startswith("Partie 3")
    # The contract assigns no sheet to neighbourhoods: said once, plainly.
    assert text.count("n'attribue ses fiches actions à aucun quartier") == 1
    # Its figures say what they measure: the former ZUS, not the priority neighbourhood.
    assert "Ce que mesurent ces chiffres" in text and "Ancienne zone urbaine sensible (ZUS)" in text
    assert "Attention : Étouvie (ZUS) relève de la catégorie" in text
    # The official service that tells whether an address is in a priority neighbourhood.
    service = article.get_by_role("link", name=re.compile("Votre adresse est-elle en quartier prioritaire"))
    assert service.get_attribute("href") == "https://www.service-public.fr/particuliers/vosdroits/R46124"
    # A passage → its place in the contract's text.
    item = passages.filter(has_text="Les conseils de citoyens").first
    item.get_by_role("link", name=re.compile("Les conseils de citoyens")).click()
    page.wait_for_url("**/texte/partie-1/#p1-2-2")
    expect(page.locator("#p1-2-2")).to_be_in_viewport()
    # … and the same passage → its line in the source document.
    page.go_back()
    item = page.locator(".cv-passages li").filter(has_text="Les conseils de citoyens").first
    item.get_by_role("link", name=re.compile(r"^p\. 20-22, l\. \d+$")).click()  # the printed pages, as people cite
    page.wait_for_url(re.compile(r"/document-source/#L\d+$"))
    expect(page.locator(":target")).to_contain_text("Etouvie")


def test_applicant_cites_and_prints_a_sheet(browser, base):
    context = browser.new_context(locale="fr-FR")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    page = context.new_page()
    try:
        page.goto(base + "fiches/2.4.3/")
        article = page.locator("article")
        text = article.inner_text()
        assert h1(page) == "Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)"
        # Objective and axis with their titles, neighbours with theirs.
        assert "Objectif 2.4 — Agir en prévention du décrochage scolaire" in text
        assert "Axe 2 — Réussite éducative de la maternelle à l'université" in text
        assert article.get_by_role("link", name=re.compile(r"^← Fiche 2\.4\.2 — Adapter et développer")).is_visible()
        # What the published contract does not give: said once.
        assert text.count("n'y sont pas renseignés") == 1 and "non renseigné" not in text
        # The objective's context, one click away.
        article.get_by_text("Contexte de l'objectif 2.4").click()
        expect(article.get_by_text("Le terme de décrochage scolaire regroupe différentes approches")).to_be_visible()
        # « Citer cette fiche » → copy.
        box = page.locator(".cv-cite")
        box.get_by_role("button", name="Copier la citation").click()
        box.get_by_role("status").filter(has_text="Citation copiée").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        for part in ("Contrat de ville Amiens Métropole 2015/2020", "fiche action 2.4.3 « Agir en faveur des décrocheurs(es) »",
                     "objectif opérationnel 2.4 « Agir en prévention", "texte initial du 20 février 2015",
                     base + "fiches/2.4.3/"):
            assert part in copied, part
        # Printed: one A4 page, a header naming the contract and the full address, no navigation.
        page.emulate_media(media="print")
        header = page.locator(".cv-print-header")
        assert header.is_visible() and "Contrat de ville Amiens Métropole 2015/2020" in header.inner_text()
        assert base + "fiches/2.4.3/" in header.inner_text()
        for selector in (".md-header", ".md-sidebar--primary", ".cv-breadcrumb", ".cv-pager", ".cv-cite__copy"):
            assert not page.locator(selector).first.is_visible(), selector
        assert len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4"))) == 1
    finally:
        context.close()


def test_journalist_checks_a_figure_against_the_source(page, base):
    page.goto(base + "chiffres/")
    figure = page.locator("article h2").first.inner_text().replace("¶", "").strip()
    link = page.locator("article .cv-source-link a").first
    first_line = int(re.search(r"l\. (\d+)", link.inner_text()).group(1))
    link.click()
    page.wait_for_url(f"**/document-source/#L{first_line}")
    line = page.locator(f"#L{first_line}")
    expect(line).to_be_in_viewport()
    assert line.evaluate("(el) => el.matches(':target')")
    assert line.evaluate("(el) => getComputedStyle(el).backgroundColor") == "rgb(255, 245, 157)"  # highlighted
    top = line.evaluate("(el) => el.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"]
    assert figure  # the figure's page led here
    # Every line of the source document has its own address.
    assert page.locator(".cv-source__line").count() == len(
        (page.request.get(base + "document-source/").text()).split('class="cv-source__line"')) - 1
    # No bare line numbers in public text: a transcription note links its lines.
    page.goto(base + "transcription/")
    note = page.locator("#note-ville-amiens ~ p").first
    assert "(L1742)" not in note.inner_text()
    note.get_by_role("link", name="l. 1742").click()
    page.wait_for_url("**/document-source/#L1742")
    expect(page.locator(":target")).to_have_text(re.compile(r"Brigitte FOURÉ$"))


def test_anyone_learns_whether_the_contract_is_in_force(page, base):
    page.goto(base)
    status = page.locator("article .cv-status")
    assert "Ce contrat n'est plus en vigueur" in status.inner_text()
    status.get_by_role("link", name="Voir la chronologie").click()
    page.wait_for_url("**/chronologie/")
    assert h1(page) == "Chronologie du contrat"
    headings = [h.replace("¶", "").strip() for h in page.locator("article h2").all_inner_texts()]
    assert headings == ["20 février 2015 — Signature du contrat de ville 2015-2020",
                        "28 décembre 2018 — Prorogation jusqu'au 31 décembre 2022",
                        "30 décembre 2021 — Prorogation jusqu'au 31 décembre 2023",
                        "31 décembre 2023 — Fin des effets du contrat",
                        "18 décembre 2024 — Signature du contrat de ville 2024-2030 « Engagements Quartiers 2030 »"]
    text = page.locator("article").inner_text()
    assert "article 68 de la loi n° 2021-1900 du 30 décembre 2021" in text
    assert "ce ne sont pas des avenants" in text
    sources = [a.get_attribute("href") for a in page.locator("article li a").all()]
    assert len(sources) >= 5 and all(s.startswith(("https://", "http://")) for s in sources)


def test_every_page_offers_to_report_an_error(page, base):
    for path in ("", "fiches/2.4.3/", "territoires/etouvie/", "document-source/", "accessibilite/"):
        page.goto(base + path)
        report = page.get_by_role("link", name="Signaler une erreur")
        href = urlparse(report.get_attribute("href"))
        assert href.scheme == "mailto" and href.path == CONTACT
        assert unquote(parse_qs(href.query)["subject"][0]).startswith("Erreur sur le site du contrat : ")
    assert page.locator("article").get_by_role("link", name=CONTACT).get_attribute("href") == f"mailto:{CONTACT}"
