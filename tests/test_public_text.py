"""Words for the public, checked over the whole rendered site: no bare line numbers of a file the
public cannot see, no « non renseigné » repeated on a sheet, our own labels spelt one way."""
import re
import shutil
from html.parser import HTMLParser

import pytest

from generator.check.pipeline import check
from tests.conftest import CONTRACT, MINI, ROOT, build, drop_source


class _Text(HTMLParser):
    """Visible text of a page's article (scripts, styles and attributes left out)."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip, self._in_article = [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self._in_article += 1
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article -= 1
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if self._in_article and not self._skip:
            self.parts.append(data)


def article_text(path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


def test_no_bare_source_line_number_in_public_text(real_site):
    pages = list(real_site.rglob("*.html"))
    assert len(pages) > 150
    for path in pages:
        if path.parent.name == "document-source":
            continue  # the source document itself, numbered line by line
        found = re.findall(r"\bL[1-9][0-9]*(?:-L[0-9]+)?\b", article_text(path))
        assert found == [], (path.relative_to(real_site).as_posix(), found[:5])


def test_no_sheet_says_not_given_twice(real_site):
    sheets = sorted((real_site / "fiches").glob("*/index.html"))
    assert len(sheets) == 91
    for sheet in sheets:
        text = article_text(sheet)
        assert text.count("renseign") <= 1, sheet.parent.name


def test_our_labels_spell_fiches_actions_one_way(real_site):
    for path in [real_site / "index.html", *sorted((real_site / "axes").glob("*/index.html"))]:
        assert "fiches action " not in article_text(path) and "fiches action," not in article_text(path), path


def test_every_source_line_has_an_anchor_and_links_land_on_one(real_site):
    from generator.check.pipeline import check
    from tests.conftest import CONTRACT
    contract = check(CONTRACT).contract
    page = (real_site / "document-source/index.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'id="L(\d+)"', page))
    assert anchors == {str(n) for n in range(1, len(contract.source) + 1)}
    linked = {m for path in real_site.rglob("*.html") for m in re.findall(r'document-source/#L(\d+)"', path.read_text(encoding="utf-8"))}
    assert len(linked) > 100 and linked <= anchors


def test_a_contract_without_source_or_status_builds_without_those_pages(tmp_path):
    contract = tmp_path / "contract"
    shutil.copytree(MINI, contract)
    site = build(drop_source(contract), tmp_path / "site")
    assert not (site / "document-source").exists()
    assert (site / "chronologie/index.html").is_file()  # the mini contract has a timeline, no status
    home = article_text(site / "index.html")
    assert "Voir la chronologie du contrat" in home and "Où en est ce contrat" not in home
    assert "document-source" not in (site / "fiches/1.1.1/index.html").read_text(encoding="utf-8")


def test_the_transcription_page_says_what_the_data_shows_of_this_contract(real_site):
    """The facts the page states of the real contract are derived from its data, as they would be of any other."""
    about = " ".join(article_text(real_site / "transcription/index.html").split())
    assert about.startswith("À propos de la transcription")
    assert "mêmes mots, coquilles comprises" in about  # its signed text is there, checked word for word
    assert "Le texte extrait du document est consultable ligne par ligne" in about
    corrections = len(list((CONTRACT / "corrections").glob("*.yaml")))
    assert f"{corrections} corrections de transcription" in about
    assert ("Pour chaque fiche action, le document publié ne donne que le numéro et l'intitulé. Les rubriques du modèle "
            "de fiche (institution pilote, partenaires, publics cibles, territoires, crédits spécifiques politique de la "
            "ville, crédits de droit commun, indicateurs d'évaluation) n'y sont pas remplies") in about
    assert "Le document imprime certains titres d'axes en capitales sans accents." in about
    assert "texte du contrat" in article_text(real_site / "texte/index.html").lower()


def test_no_template_or_schema_speaks_of_one_contract():
    """The engine serves any contract: no city, no year of one contract in its templates, pages, scaffold, code or
    schemas (the JSON Schema dialect « 2020-12 » is not a year of a contract)."""
    one_contract = re.compile(r"amiens|\b(?:2015|2020)\b(?!-12)", re.IGNORECASE)
    files = [p for p in [*(ROOT / "generator").rglob("*"), *(ROOT / "schemas").rglob("*")]
             if p.is_file() and p.suffix in (".j2", ".html", ".md", ".json", ".py", ".yaml", ".yml", ".js", ".css")]
    assert len([p for p in files if p.suffix == ".j2"]) > 20 and len([p for p in files if p.suffix == ".json"]) > 10
    found = {str(p.relative_to(ROOT)): one_contract.findall(p.read_text(encoding="utf-8")) for p in files}
    assert {path: hits for path, hits in found.items() if hits} == {}
    assert one_contract.search("le contrat d'Amiens 2015-2020") and not one_contract.search('"draft/2020-12/schema"')


def test_transcription_notes_and_commit_only_on_the_transcription_page(real_site):
    for path in real_site.rglob("*.html"):
        text = article_text(path) + " " + path.read_text(encoding="utf-8").split('class="md-footer', 1)[-1]
        where = path.relative_to(real_site).as_posix()
        if where == "transcription/index.html":
            assert "l'extraction a accolé" in text and "identifiant de commit git" in text
        else:
            assert "l'extraction a accolé" not in text and "commit" not in text, where


def test_passages_find_every_spelling_and_only_whole_names(mini_copy):
    """A neighbourhood's passages: its name and variants, whatever the case and accents, never inside
    another word, each with the sentence around it."""
    from generator.check.pipeline import check
    from generator.site.render import Inputs, Renderer
    drop_source(mini_copy)
    section = mini_copy / "sections/preambule.yaml"
    section.write_text(section.read_text(encoding="utf-8") + "  Au CENTRE-BOURG, des ateliers. Le centre accueille. Le centrement ne compte pas.\n",
                       encoding="utf-8")
    objective = mini_copy / "objectives/1.1.yaml"
    objective.write_text(objective.read_text(encoding="utf-8").replace("Premier objectif fictif", "Agir au Centre"),
                         encoding="utf-8")
    contract = check(mini_copy).contract
    renderer = Renderer(Inputs(contract))
    passages = renderer.aids.passages(contract.get("territories", "centre"))
    assert [(p.entity.collection, p.excerpt) for p in passages] == [
        ("sections", "Au CENTRE-BOURG, des ateliers."),
        ("sections", "Le centre accueille."),
        ("objectives", "Agir au Centre"),
    ]
    assert all(p.line is None for p in passages)  # the mini contract declares no source document
    assert renderer.aids.passages(contract.get("territories", "gare")) == []
    assert [a.id for a in renderer.aids.sheets_naming(contract.get("territories", "centre"))] == ["1.1.1"]  # assigned in its data


def test_citation_carries_the_permanent_address_when_the_site_address_is_known(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTRAT_SITE_URL", "https://contrat.example.org/")
    site = build(MINI, tmp_path / "site")
    html = (site / "fiches/1.1.1/index.html").read_text(encoding="utf-8")
    cite = re.search(r'<p class="cv-cite__text">([^<]*)</p>', html).group(1)
    assert cite.startswith("Contrat de ville de Valbourg 2024-2030 (fictif), fiche action 1.1.1 « ")
    assert cite.endswith("texte initial du 1er juin 2024. https://contrat.example.org/fiches/1.1.1/")
    assert "cv-cite__note" not in html and "cv-page-address--relative" not in html
    assert ">https://contrat.example.org/fiches/1.1.1/</span>" in html  # the printed header's full address


@pytest.mark.parametrize("folder", [CONTRACT, ROOT / "tests/fixtures/second"], ids=["reel", "second"])
def test_one_pass_finds_each_territory_s_passages_as_a_search_per_territory_would(folder):
    """Passages are found in one pass for all territories; a search per territory (its names, longest first, as
    whole words) is the oracle: same passages, same order, same source lines."""
    from generator.site.reading import fold
    from generator.site.render import Inputs, Renderer
    contract = check(folder).contract
    renderer = Renderer(Inputs(contract))
    for territory in contract.all("territories"):
        names = sorted({fold(n) for n in renderer.aids.names_of(territory)}, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w])(" + "|".join(map(re.escape, names)) + r")(?![\w])")
        expected = [(e, renderer.aids._excerpt(text, m.start(), m.end()), renderer.aids._line_of(e, text, m.start(), m.end()))
                    for e, text, folded in renderer.aids._named_texts() for m in pattern.finditer(folded)]
        assert [(p.entity, p.excerpt, p.line) for p in renderer.aids.passages(territory)] == expected, territory.id
