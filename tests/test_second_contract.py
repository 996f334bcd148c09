"""A second contract, unlike the real one in shape (issue 11), built end to end: what a visitor and a
re-user of its site get. tests/fixtures/second is the fictional « Contrat de ville de Rivebelle »:
3 axes, 7 objectives (one of 12 sheets), 25 sheets with their pilot, partners, publics, territories,
funding and indicators, 4 neighbourhoods whose names carry accents, apostrophes and Œ, a statistics
table whose reference column comes first, one amendment. It declares no source document."""
import csv
import gzip
import html
import json
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
import yaml

from generator import cli
from generator.engine.build import build_site
from generator.site.markup import plain
from generator.engine.new import SCAFFOLD
from tests.conftest import SECOND, git, git_repo, headings_over_nothing
from tests.test_amendments import edit
from tests.test_links import crawl
from tests.test_marks import marks_shown
from tests.test_site_checkers import nu_errors



def _load(folder: str) -> dict:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((SECOND / folder).glob("*.yaml"))}


TITLE = yaml.safe_load((SECOND / "contrat.yaml").read_text(encoding="utf-8"))["title"]
AXES, OBJECTIVES, SHEETS = _load("axes"), _load("objectives"), _load("actions")
TERRITORIES, SIGNATORIES = _load("territories"), _load("signatories")
TABLE = _load("statistics")["chiffres-cles"]
NEIGHBOURHOODS = {i: t["name"] for i, t in TERRITORIES.items() if t["kind"] == "quartier-prioritaire"}
REFERENCE = next(t["name"] for t in TERRITORIES.values() if t["kind"] == "reference")
# What amendment 1 changed: file -> (text today, text as signed).
AMENDED = {"actions/3.2.2.yaml": ("créatrices et créateurs d'entreprise", "créateurs d'entreprise"),
           "annexes/2.yaml": ("Tableau des financements 2024-2026", "Tableau des financements")}


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """The second contract in a git repository, as a city keeps it: the signed text, then amendment 1."""
    def signed(repo):
        shutil.rmtree(repo / "contract" / "amendments")
        for path, (today, then) in AMENDED.items():
            edit(repo / "contract" / path, today, then)
    repo = git_repo(tmp_path_factory.mktemp("second") / "depot", signed, contract=SECOND)
    shutil.rmtree(repo / "contract")
    shutil.copytree(SECOND, repo / "contract")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "avenant 1")
    return repo


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory):
    """Built as the city would: its own mkdocs.yml and docs/ pages, those `contrat nouveau` writes."""
    shutil.copy(SCAFFOLD / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copytree(SCAFFOLD / "docs", repo / "docs")
    site = tmp_path_factory.mktemp("second-site") / "site"
    assert build_site(repo / "mkdocs.yml", repo / "contract", site, pdf=False) == 0
    return site


# -- reading a built page as a visitor does ---------------------------------------------------
def words(text: str) -> str:
    """Text as read: one plain space between words (no-break and thin spaces too), no permalink sign."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").replace("¶", "").split())


@dataclass
class Block:
    """A list item, table row or paragraph of the article, with the heading it stands under."""
    tag: str
    heading: str
    text: str
    links: list


class _Article(HTMLParser):
    BLOCKS, HEADINGS = ("li", "tr", "p"), ("h1", "h2", "h3", "h4", "h5", "h6")

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.parts, self.headings, self.blocks, self.anchors = [], [], [], []
        self._open, self._heading, self._anchor = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag in self.HEADINGS:
            self._heading = []
        if tag in self.BLOCKS:
            self._open.append((tag, self.headings[-1] if self.headings else "", [], []))
        href = dict(attrs).get("href")
        if tag == "a" and href:
            link = urljoin(self.url, href).removeprefix(SITE)
            self._anchor = (link, [])
            for block in self._open:
                block[3].append(link)

    def handle_endtag(self, tag):
        if tag in self.HEADINGS and self._heading is not None:
            self.headings.append(words(" ".join(self._heading)))
            self._heading = None
        if tag == "a" and self._anchor:
            self.anchors.append((self._anchor[0], words(" ".join(self._anchor[1]))))
            self._anchor = None
        if tag in self.BLOCKS and any(b[0] == tag for b in self._open):
            while True:
                name, heading, text, links = self._open.pop()
                self.blocks.append(Block(name, heading, words(" ".join(text)), links))
                if name == tag:
                    break

    def handle_data(self, data):
        self.parts.append(data)
        for collecting in [self._heading, self._anchor[1] if self._anchor else None, *(b[2] for b in self._open)]:
            if collecting is not None:
                collecting.append(data)


SITE = "http://site/"


@dataclass
class Page:
    raw: str
    title: str      # the <title>, unescaped
    site_name: str  # the site name in the header
    h1: str
    headings: list
    text: str       # the article's text
    links: list     # the article's links, relative to the site's root (« fiches/1.1.1/ », « annexes/#annexe-2 »)
    anchors: list   # (link, link text)
    blocks: list

    def under(self, heading: str) -> str:
        return " ".join(b.text for b in self.blocks if b.heading == heading)


def page(site, path: str) -> Page:
    raw = (site / path / "index.html").read_text(encoding="utf-8")
    parser = _Article(SITE + path)
    parser.feed(raw[raw.index("<article"):raw.index("</article>")])
    parser.close()
    header = re.search(r'<div class="md-header__topic">\s*<span class="md-ellipsis">(.*?)</span>', raw, re.S).group(1)
    return Page(raw, html.unescape(re.search(r"<title>(.*?)</title>", raw, re.S).group(1)), words(html.unescape(header)),
                parser.headings[0], parser.headings, words(" ".join(parser.parts)), [link for link, _ in parser.anchors],
                parser.anchors, parser.blocks)


def escaped_twice(raw: str) -> list[str]:
    """Character references escaped a second time (« l&amp;#x27;école » reads « l&#x27;école »)."""
    return re.findall(r".{0,40}&amp;(?:#\d+|#x[0-9a-f]+|amp|lt|gt|quot);.{0,20}", raw)


def table(site, name: str) -> list[dict]:
    with (site / "donnees" / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def name_of(item: dict) -> str:
    return SIGNATORIES[item["signatory"]]["name"] if "signatory" in item else item["name"]


def euros(amount) -> str:
    return f"{amount:,}".replace(",", " ") + " €"


def shown(sheet: dict) -> list[str]:
    """What a sheet says, as a reader should find it: pilot, partners, publics, territories,
    funding with amounts, indicators."""
    funding = sheet.get("funding_specific", []) + sheet.get("funding_common_law", [])
    return ([name_of(sheet["pilot"])] if "pilot" in sheet else []) + [name_of(p) for p in sheet.get("partners", [])] \
        + sheet.get("publics", []) + [TERRITORIES[t]["name"] for t in sheet.get("territories", [])] \
        + [f["text"] for f in funding] + [euros(f["amount_eur"]) for f in funding if "amount_eur" in f] \
        + sheet.get("indicators", [])


# -- 1. it validates and builds ------------------------------------------------------------------
def test_it_validates_and_its_amendment_declares_what_changed(repo, capsys):
    assert cli.main(["validate", "--contract", str(SECOND)]) == 0
    assert "Aucun problème" in capsys.readouterr().out
    assert cli.main(["amendment", "check", "--contract", str(repo / "contract"), "--base", "HEAD~1"]) == 0
    assert "2 modification(s) déclarée(s) par l'avenant 1 : conforme." in capsys.readouterr().out


def test_it_builds_its_own_site(site):
    assert page(site, "").h1 == TITLE
    assert sorted(p.name for p in (site / "fiches").iterdir()) == sorted(SHEETS)


# -- 3. pages, titles and names --------------------------------------------------------------------
def test_every_sheet_objective_axis_and_territory_has_its_page_and_title(site):
    expected = {f"fiches/{i}/": f"Fiche action {i} — {plain(s['title'])}" for i, s in SHEETS.items()}
    expected |= {f"objectifs/{i}/": f"Objectif {i} — {o['title']}" for i, o in OBJECTIVES.items()}
    expected |= {f"axes/{i}/": f"Axe {i} — {a['title']}" for i, a in AXES.items()}
    expected |= {f"territoires/{i}/": t["name"] for i, t in TERRITORIES.items()}
    assert len(expected) == 25 + 7 + 3 + 7  # 4 neighbourhoods, one « en décrochage », one « poche de pauvreté », the town
    assert {path: page(site, path).h1 for path in expected} == expected
    assert {path: page(site, path).title.split(" - ")[0] for path in expected} == expected


def test_the_objective_of_twelve_sheets_lists_all_twelve_in_order(site):
    listed = [b for b in page(site, "objectifs/1.1/").blocks if b.heading == "Fiches actions"]
    assert [b.links for b in listed] == [[f"fiches/1.1.{n}/"] for n in range(1, 13)]
    assert [b.text for b in listed] == [f"Fiche action 1.1.{n} — {SHEETS[f'1.1.{n}']['title']}" for n in range(1, 13)]


def test_neighbourhood_names_keep_their_accents_apostrophes_and_oe(site):
    assert set(NEIGHBOURHOODS.values()) == {"Le Cœur-d'Œuvre", "Les Érables", "L'Île-aux-Pêcheurs", "Saint-Éloi"}
    home = page(site, "")
    for id_, name in NEIGHBOURHOODS.items():
        territory = page(site, f"territoires/{id_}/")
        assert territory.h1 == name
        assert territory.title.startswith(f"{name} - ")
        assert (f"territoires/{id_}/", name) in home.anchors
        assert (f"territoires/{id_}/", name) in page(site, "territoires/").anchors
    assert {r["id"]: r["nom"] for r in table(site, "territoires.csv")} == {i: t["name"] for i, t in TERRITORIES.items()}
    assert {r["en_tete"] for r in table(site, "statistiques.csv")} == {c["header"] for c in TABLE["columns"]}
    sheets = {r["id"]: r["intitule"] for r in table(site, "fiches-actions.csv")}
    assert sheets["2.2.1"] == "Relier le Cœur-d'Œuvre au centre-ville en bus"
    for path in ["", "territoires/", *(f"territoires/{id_}/" for id_ in NEIGHBOURHOODS)]:  # escaped once, not mangled
        assert escaped_twice(page(site, path).raw) == [], path
    for path in site.rglob("*.html"):
        raw = path.read_text(encoding="utf-8")
        assert "Ã" not in raw and "\ufffd" not in raw, path


def test_each_sheet_page_shows_what_its_sheet_says(site):
    missing, unlinked = {}, {}
    for id_, sheet in SHEETS.items():
        sheet_page = page(site, f"fiches/{id_}/")
        rows = sheet_page.under("La fiche")
        missing[id_] = [text for text in shown(sheet) if text not in rows]
        targets = [f"signataires/{p['signatory']}/" for p in [sheet.get("pilot", {}), *sheet.get("partners", [])] if "signatory" in p]
        targets += [f"territoires/{t}/" for t in sheet.get("territories", [])]
        unlinked[id_] = [t for t in targets if t not in sheet_page.links]
    assert missing == {id_: [] for id_ in SHEETS}
    assert unlinked == {id_: [] for id_ in SHEETS}
    for id_ in ("1.3.2", "3.2.1"):  # nothing given but the title: said once
        text = page(site, f"fiches/{id_}/").text
        assert text.count("n'y sont pas renseignés") == 1, id_


# -- 4. links --------------------------------------------------------------------------------------
def test_no_broken_internal_link(site, serve):
    pages, broken, missing = crawl(serve(site))
    assert broken == []
    assert missing == []
    assert len([u for u, kind in pages.items() if kind == "text/html"]) > 25 + 7 + 3 + 5 + 7


def test_every_page_is_valid_html(site):
    assert nu_errors(site) == []


def test_prose_references_become_links_and_amounts_and_dates_do_not(site):
    frame = page(site, "texte/cadre/")
    assert {"axes/2/", "objectifs/3.1/", "fiches/3.1.2/", "fiches/1.1.12/"} <= set(frame.links)
    assert ("axes/2/", "axe stratégique 2") in frame.anchors  # « … relève de l'axe stratégique 2. »
    context = [b for b in page(site, "objectifs/1.1/").blocks if b.heading == "Contexte"]
    assert {"fiches/1.1.1/", "fiches/1.1.12/"} <= {link for b in context for link in b.links}  # « fiche action n°1-12 »
    for path in ("texte/preambule/", "texte/cadre/"):
        shown_page = page(site, path)
        assert "1.250.000 €" in shown_page.text and "12.03.2024" in shown_page.text
        assert [a for a in shown_page.anchors if re.search(r"1\.250\.000|12\.03\.2024", a[1])] == []


# -- 5. statistics with the reference column first ----------------------------------------------
def test_statistics_columns_keep_their_names_with_the_reference_column_first(site):
    assert TABLE["columns"][0]["territory"] == "rivebelle"
    # the table as printed: the header names each column, each row's cells stand under their column
    printed = [words(" ".join(["Indicateur", *(c["header"] for c in TABLE["columns"])]))]
    printed += [words(" ".join([r["label"], *(c["text"] or "—" for c in r["cells"])])) for r in TABLE["rows"]]
    for path in ["chiffres/", *(f"territoires/{c['territory']}/" for c in TABLE["columns"])]:
        rows = [b.text for b in page(site, path).blocks if b.tag == "tr" and b.heading == TABLE["title"]]
        assert rows == printed, path
    for id_, name in NEIGHBOURHOODS.items():  # the bold columns are the neighbourhood's own, not the reference
        measured = next(b.text for b in page(site, f"territoires/{id_}/").blocks if b.text.startswith("Ce que mesurent"))
        assert name in measured and REFERENCE not in measured
    cells = {(r["ligne"], r["territoire"]): (r["en_tete"], r["texte"]) for r in table(site, "statistiques.csv")}
    assert cells == {(row["label"], col["territory"]): (col["header"], cell["text"])
                     for row in TABLE["rows"] for col, cell in zip(TABLE["columns"], row["cells"])}


# -- 6. the amendment ---------------------------------------------------------------------------------
def test_the_amendment_page_links_what_it_changed(site):
    amendments = page(site, "avenants/")
    assert "Avenant n°1 au contrat de ville de Rivebelle" in amendments.headings
    assert {"annexes/#annexe-2", "fiches/3.2.2/", "versions/initiale/", "versions/revision-1/"} <= set(amendments.links)
    annexes = page(site, "annexes/")
    assert 'id="annexe-2"' in annexes.raw and "Tableau des financements 2024-2026" in annexes.text
    sheet = page(site, "fiches/3.2.2/")
    assert "avenants/#revision-1" in sheet.links
    assert page(site, "versions/initiale/fiches/3.2.2/").h1 == "Fiche action 3.2.2 — Accompagner les créateurs d'entreprise"
    assert sheet.h1 == "Fiche action 3.2.2 — Accompagner les créatrices et créateurs d'entreprise"
    # A past version's page gives its own address to cite, not today's.
    assert '<span class="cv-page-address cv-page-address--relative">versions/initiale/fiches/3.2.2/</span>' in \
        page(site, "versions/initiale/fiches/3.2.2/").raw


# A contract described from public sources, without its signed text (issue 21)
SOURCES = yaml.safe_load((SECOND / "contrat.yaml").read_text(encoding="utf-8"))["sources"]


def test_without_its_signed_text_the_site_never_calls_its_content_the_text_of_the_contract(site):
    for path in sorted(site.rglob("*.html")):
        raw = path.read_text(encoding="utf-8")
        assert "texte du contrat" not in html.unescape(raw).lower(), path  # the menu included
    text_index = page(site, "texte/")
    assert text_index.h1 == "La présentation du contrat" and "d'après ses sources publiques" in text_index.text
    home = page(site, "")
    assert ("Lire la présentation du contrat" in home.text
            and "ce site présente le contrat d'après des sources publiques, sans son texte signé" in home.text)
    for source in SOURCES:  # named, linked, dated on the home page and on the page about them
        for shown_page in (home, page(site, "transcription/")):
            assert (source["url"], words(source["title"])) in shown_page.anchors
    assert "consultée le 2 avril 2024" in home.text


def test_the_page_about_the_sources_says_only_what_is_true_of_this_contract(site):
    about = page(site, "transcription/")
    assert about.h1 == "Sources et méthode" and "Sources et méthode" in page(site, "").raw  # its menu entry too
    assert "sans son texte signé" in about.text and "pas vérifié mot pour mot" in about.text
    # Facts of another contract's document are not said of this one.
    for said_of_another in ("mêmes mots", "coquilles comprises", "ne donne que le numéro et l'intitulé",
                            "en capitales", "document source", "Document source"):
        assert said_of_another not in about.text, said_of_another
    # What its sheets leave empty is counted from its sheets.
    rubrics = {"funding_common_law": "Crédits de droit commun", "funding_specific": "Crédits spécifiques politique de la ville",
               "pilot": "Institution pilote", "indicators": "Indicateurs d'évaluation"}
    rows = [b.text for b in about.blocks if b.tag == "tr" and b.heading == "Ce que les sources ne donnent pas"]
    for field, title in rubrics.items():
        empty = sum(1 for sheet in SHEETS.values() if not sheet.get(field))
        assert f"{title} {empty} sur {len(SHEETS)}" in rows, (title, rows)
    assert "correction" not in about.text  # it has none
    sheet = next(i for i, sh in SHEETS.items() if not sh.get("funding_common_law"))
    assert "Les sources du contrat ne donnent, pour cette fiche, que son numéro" in page(site, f"fiches/{sheet}/").text


def test_what_it_has_none_of_has_no_page_and_no_page_is_a_heading_over_nothing(site):
    """It has no transcription correction: no page, no menu entry, no address; every other listing is there."""
    assert not (site / "corrections").exists() and "corrections/" not in (site / "adresses.txt").read_text(encoding="utf-8")
    for listing in ("territoires", "signataires", "gouvernance", "annexes", "chiffres", "avenants"):
        assert (site / listing / "index.html").is_file(), listing
    for path in sorted(site.rglob("*.html")):
        raw = path.read_text(encoding="utf-8")
        assert "Corrections de transcription" not in raw and not re.search(r'href="(\.\./)*corrections/', raw), path
        assert headings_over_nothing(raw) == [], path


# Engine capabilities of issue 11 (registry, every field)
def test_no_word_amiens_in_any_file_of_the_site(site):
    found = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data  # search index, sitemap.xml.gz
            if b"amiens" in data.lower():
                found.append(str(path.relative_to(site)))
    assert found == []


def test_site_name_is_the_contract_title(site):
    for path in ("", "fiches/1.1.1/", "territoires/saint-eloi/"):
        shown_page = page(site, path)
        assert shown_page.site_name == TITLE, path
        assert shown_page.title.endswith(f" - {TITLE}") or shown_page.title == TITLE, path


def test_nothing_is_escaped_twice(site):
    found = {str(p.relative_to(site)): escaped_twice(p.read_text(encoding="utf-8")) for p in sorted(site.rglob("*.html"))}
    assert {path: hits for path, hits in found.items() if hits} == {}


def test_home_counts_say_one_in_the_singular(site):
    counts = page(site, "").under("En chiffres")
    assert "1 instance de gouvernance" in counts


def test_territory_chart_puts_the_page_territory_first_whatever_the_column_order(site):
    def titles(path):
        return [html.unescape(t) for t in re.findall(r'<strong id="graphique-[^"]+-titre">(.*?)</strong>', page(site, path).raw)]
    reference = TABLE["columns"][0]["header"]
    for id_, name in NEIGHBOURHOODS.items():
        assert titles(f"territoires/{id_}/") == [f"{name} comparé à {reference}, indicateurs en pourcentage"]
    assert [t for t in titles("territoires/rivebelle/") if "comparé à ," in t] == []  # nothing compared with nothing


def test_territory_page_lists_the_sheets_that_name_it(site):
    missing = {}
    for id_ in TERRITORIES:
        links = page(site, f"territoires/{id_}/").links
        missing[id_] = [s for s, sheet in SHEETS.items() if id_ in sheet.get("territories", []) and f"fiches/{s}/" not in links]
    assert missing == {id_: [] for id_ in TERRITORIES}


def _roles() -> dict:
    """signatory id -> {(sheet id, role)}: who pilots, partners and funds which sheet, from the data."""
    roles = {id_: set() for id_ in SIGNATORIES}
    for id_, sheet in SHEETS.items():
        for role, items in (("pilote", [sheet.get("pilot", {})]), ("partenaire", sheet.get("partners", [])),
                            ("financ", sheet.get("funding_specific", []) + sheet.get("funding_common_law", []))):
            for item in items:
                if "signatory" in item:
                    roles[item["signatory"]].add((id_, role))
    return roles


def test_signatory_page_lists_its_sheets_by_role(site):
    roles = _roles()
    assert {s for s, role in roles["etat"] if role == "pilote"} == {"1.1.1", "1.1.4", "1.1.9", "3.1.1"}
    missing = []
    for id_, expected in roles.items():
        blocks = page(site, f"signataires/{id_}/").blocks
        for sheet, role in sorted(expected):  # the role word in the item that links the sheet, or in its heading
            if not any(role in f"{b.heading} {b.text}".lower() for b in blocks if f"fiches/{sheet}/" in b.links):
                missing.append((id_, sheet, role))
    assert missing == []
    # One list item per role: a role's sheets never run into the next role's item.
    items = [b.text for b in page(site, "signataires/etat/").blocks if b.heading == "Son rôle dans les fiches actions"]
    assert [t.split(" ")[0] for t in items] == ["Pilote", "Partenaire", "Financeur"]


def test_sheet_page_names_each_funder_with_its_amount(site):
    missing = []
    for id_, sheet in SHEETS.items():
        blocks = page(site, f"fiches/{id_}/").blocks
        for line in sheet.get("funding_specific", []) + sheet.get("funding_common_law", []):
            if "signatory" in line and "amount_eur" in line:
                funder = f"signataires/{line['signatory']}/"
                if not any(funder in b.links and euros(line["amount_eur"]) in b.text for b in blocks):
                    missing.append((id_, line["signatory"], line["amount_eur"]))
    assert missing == []


def test_sheets_csv_has_a_column_for_each_field(site):
    rows = {r["id"]: r for r in table(site, "fiches-actions.csv")}
    columns = ("pilote", "partenaires", "publics", "territoires", "credits_specifiques", "credits_droit_commun", "indicateurs")
    assert [c for c in columns if c not in rows["1.1.1"]] == []
    assert {c: bool(rows["1.1.1"][c]) for c in columns} == dict.fromkeys(columns, True)
    assert {c: rows["1.3.2"][c] for c in columns} == dict.fromkeys(columns, "")


def test_relations_are_published_as_tidy_tables(site):
    assert [name for name in ("fiches-acteurs.csv", "fiches-territoires.csv") if not (site / "donnees" / name).is_file()] == []
    actors = table(site, "fiches-acteurs.csv")
    assert list(actors[0]) == ["fiche", "acteur", "nom", "role"]
    got = {(r["fiche"], r["acteur"], r["nom"], r["role"]) for r in actors if r["role"] in ("pilote", "partenaire")}
    assert got == {(s, p.get("signatory", ""), name_of(p), role) for s, sheet in SHEETS.items()
                   for role, items in (("pilote", [sheet["pilot"]] if "pilot" in sheet else []), ("partenaire", sheet.get("partners", [])))
                   for p in items}
    assert {("1.1.1", "etat", "financeur"), ("2.1.1", "rive-habitat", "financeur")} <= {(r["fiche"], r["acteur"], r["role"]) for r in actors}
    places = table(site, "fiches-territoires.csv")
    assert list(places[0]) == ["fiche", "territoire"]
    assert sorted((r["fiche"], r["territoire"]) for r in places) == sorted((s, t) for s, sheet in SHEETS.items()
                                                                           for t in sheet.get("territories", []))
    package = json.loads((site / "donnees" / "datapackage.json").read_text(encoding="utf-8"))
    fields = {r["path"]: [f["name"] for f in r.get("schema", {}).get("fields", [])] for r in package["resources"]}
    assert fields.get("fiches-acteurs.csv") == ["fiche", "acteur", "nom", "role"]
    assert fields.get("fiches-territoires.csv") == ["fiche", "territoire"]


def test_printable_page_shows_each_sheets_fields(site):
    text = page(site, "imprimer/").text
    strategy = text.index("Les orientations")  # the part that holds the axes (commitments, before it, name sheets too)
    starts = [text.index(f"Fiche action {id_} — {plain(sheet['title'])}", strategy) for id_, sheet in SHEETS.items()]
    ends = sorted(starts)[1:] + [len(text)]
    missing = {}
    for (id_, sheet), start in zip(SHEETS.items(), starts):
        end = min(e for e in ends if e > start)
        missing[id_] = [s for s in shown(sheet) if s not in text[start:end]]
    assert missing == {id_: [] for id_ in SHEETS}


def test_inline_marks_are_rendered_never_shown(site):
    """A sheet title with bold and underline (2.1.2): formatted on its page, words only in plain text."""
    assert marks_shown(site) == []
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", (site / "fiches" / "2.1.2" / "index.html").read_text(encoding="utf-8"), re.S)
    assert "<u>précarité</u> <strong>énergétique</strong>" in heading.group(1)


# -- commitments, their follow-up and the facts of the territories (issue 21) ------------------------
COMMITMENTS, FOLLOW_UPS = _load("commitments"), _load("follow-ups")


def test_a_signatory_page_shows_each_of_its_commitments_in_full(site):
    caf = page(site, "signataires/caf-basse-rive/")
    assert "Places d'accueil du jeune enfant pour les familles des quartiers" in caf.headings
    assert 'id="engagement-caf-accueil-petite-enfance"' in caf.raw
    heading = "Places d'accueil du jeune enfant pour les familles des quartiers"
    text = caf.under(heading).replace(" ,", ",")
    assert ("La caisse d'allocations familiales de la Basse-Rive finance, d'ici 2027, 40 places d'accueil du jeune enfant "
            "réservées aux familles des Érables et de Saint-Éloi, en lien avec la fiche 1.1.1 .") in text
    assert "fiches/1.1.1/" in next(b for b in caf.blocks if b.heading == heading and b.tag == "p").links  # a linked reference
    assert "<strong>40 places</strong>" in caf.raw  # its Markdown rendered
    # The items under the site's own labels for them, level by level, each linked to its page.
    items = [b for b in caf.blocks if b.heading == heading and re.match(r"(Objectif|Fiche) \S+ concernée? :", b.text)]
    assert [b.text.replace(" ,", ",") for b in items] == [
        "Objectif opérationnel concerné : Objectif 1.1 — Réussir à l'école et après l'école",
        "Fiche action concernée : Fiche action 1.1.1 — Accueillir les enfants de moins de trois ans à l'école maternelle"]
    assert [b.links for b in items] == [["objectifs/1.1/"], ["fiches/1.1.1/"]]
    assert "Territoires concernés : Les Érables, Saint-Éloi" in text
    assert "Indicateur : Places d'accueil du jeune enfant réservées — cible : 40 places" in text
    assert "Source : Contrat de ville de Rivebelle 2024-2030, annexe 3 : engagements des signataires, p. 12" in text
    # Quoted commitments stay; a signatory with commitments of its own is not said to have none.
    assert "ne détaille pas d'engagement" not in caf.text
    etat = page(site, "signataires/etat/")
    assert "« mobiliser ses crédits de droit commun d'abord dans les quartiers prioritaires »" in etat.text
    assert "Aller vers les jeunes des Tanneries" in etat.headings
    assert "Indicateur" not in etat.under("Aller vers les jeunes des Tanneries")  # the source gives none
    rive = page(site, "signataires/rive-habitat/")
    assert "https://example.org/rive-habitat/plan-strategique" in rive.links  # its source, by address
    assert "Source : Plan stratégique de patrimoine de Rive Habitat (fictif)" in rive.text


def test_a_commitment_s_follow_up_is_a_dated_list_oldest_first(site):
    caf = page(site, "signataires/caf-basse-rive/")
    assert caf.headings[caf.headings.index("Places d'accueil du jeune enfant pour les familles des quartiers") + 1] == "Suivi"
    assert 'id="suivi-engagement-caf-accueil-petite-enfance"' in caf.raw
    records = [b.text for b in caf.blocks if b.heading == "Suivi" and b.tag == "li" and "—" in b.text]
    assert [r.split(" — ")[0] for r in records] == ["31 décembre 2024", "31 décembre 2025"]
    assert records[0] == ("31 décembre 2024 — Deux crèches des Érables ont réservé leurs premières places aux familles "
                          "du quartier. Places réservées : 18 places Source : Bilan 2024 du contrat de ville de "
                          "Rivebelle (fictif), p. 7")
    assert "Une micro-crèche a ouvert à Saint-Éloi. Les places réservées couvrent désormais les deux quartiers." in records[1]
    assert "Part de l'objectif atteinte : 77,5 %" in records[1]  # French number format
    assert "https://example.org/rivebelle/bilan-2025" in caf.links


def test_item_pages_list_the_commitments_and_follow_ups_that_concern_them(site):
    sheet = page(site, "fiches/1.1.1/")
    assert sheet.under("Engagements") == ("Places d'accueil du jeune enfant pour les familles des quartiers — "
                                          "Caisse d'allocations familiales de la Basse-Rive")
    assert "signataires/caf-basse-rive/#engagement-caf-accueil-petite-enfance" in sheet.links
    assert sheet.under("Suivi").startswith("4 juillet 2025 — Les quatre écoles maternelles des quartiers accueillent des "
                                           "enfants de moins de trois ans. Enfants de moins de trois ans accueillis : 64 enfants")
    assert page(site, "objectifs/1.1/").under("Engagements").startswith("Places d'accueil du jeune enfant")
    assert page(site, "axes/2/").under("Engagements") == "Réhabiliter 350 logements — Rive Habitat"
    assert "Suivi" not in page(site, "axes/2/").headings  # nothing follows the axis itself
    for path in ("fiches/1.1.2/", "objectifs/1.2/", "axes/1/"):
        assert not {"Engagements", "Suivi"} & set(page(site, path).headings), path


def test_the_printable_page_has_the_commitments_where_their_signatory_stands_and_each_follow_up(site):
    """The printable page (and so the PDF) is the contract entire: each commitment in full under the parties,
    theirs in the parties' order; each follow-up where what it follows stands; every anchor once."""
    printed = page(site, "imprimer/")
    parties = printed.headings.index("Les parties au contrat")
    assert printed.headings[parties + 1:parties + 6] == [
        "Les engagements des signataires", "L'État : Aller vers les jeunes des Tanneries",
        "Caisse d'allocations familiales de la Basse-Rive : Places d'accueil du jeune enfant pour les familles des quartiers",
        "Suivi", "Rive Habitat : Réhabiliter 350 logements"]
    caf = printed.under("Caisse d'allocations familiales de la Basse-Rive : Places d'accueil du jeune enfant pour les familles des quartiers")
    assert "Indicateur : Places d'accueil du jeune enfant réservées — cible : 40 places" in caf
    assert 'id="imprimer-engagement-caf-accueil-petite-enfance"' in printed.raw
    records = [b.text for b in printed.blocks if b.heading == "Suivi" and b.tag == "li" and "—" in b.text]
    assert [r.split(" — ")[0] for r in records] == ["31 décembre 2024", "31 décembre 2025"]
    sheet = next(b.text for b in printed.blocks if b.tag == "li" and b.text.startswith("Fiche action 1.1.1 — "))
    assert ("Suivi : 4 juillet 2025 — Les quatre écoles maternelles des quartiers accueillent des enfants de moins de "
            "trois ans. Enfants de moins de trois ans accueillis : 64 enfants Source : Bilan 2025 du contrat de ville "
            "de Rivebelle (fictif), p. 3") in sheet
    ids = re.findall(r'\bid="([^"]+)"', printed.raw)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_a_territory_page_gives_its_facts_and_the_commitments_that_concern_it(site):
    erables = page(site, "territoires/erables/")
    facts = [b.text for b in erables.blocks if b.heading == "Ce territoire dans le contrat" and b.tag == "li"]
    assert facts == ["Code du quartier prioritaire : QN09902B",
                     "Texte qui le liste : Décret fictif n° 2023-9999 du 28 décembre 2023 fixant la liste des quartiers "
                     "prioritaires de la Basse-Rive (28 décembre 2023)",
                     "Date d'entrée : 1er janvier 2015"]
    assert "https://example.org/decret-fictif-2023-9999" in erables.links
    assert erables.under("Engagements") == ("Places d'accueil du jeune enfant pour les familles des quartiers — Caisse "
                                            "d'allocations familiales de la Basse-Rive Réhabiliter 350 logements — Rive Habitat")
    new = page(site, "territoires/ile-aux-pecheurs/")
    assert "Date d'entrée : 1er janvier 2024" in new.under("Ce territoire dans le contrat")
    tanneries = page(site, "territoires/tanneries/")
    assert "Les Tanneries est l'unique quartier en décrochage du contrat." in tanneries.text
    assert "Catégorie : quartier en décrochage" in tanneries.under("Ce territoire dans le contrat")
    assert "Code du quartier prioritaire" not in tanneries.text
    assert "signataires/etat/#engagement-etat-aller-vers" in tanneries.links
    listing = page(site, "territoires/")
    assert {"Quartiers en décrochage (1)", "Poches de pauvreté (1)"} <= set(listing.headings)


def test_commitments_and_follow_ups_are_open_data(site):
    data = json.loads((site / "donnees" / "contrat.json").read_text(encoding="utf-8"))
    assert {k["id"]: k for k in data["commitments"]} == COMMITMENTS
    assert {f["id"]: f for f in data["follow-ups"]} == FOLLOW_UPS
    assert next(t for t in data["territories"] if t["id"] == "saint-eloi")["qpv_code"] == "QN09904D"
    commitments = table(site, "engagements.csv")
    assert [r["id"] for r in commitments] == sorted(COMMITMENTS)
    assert {r["id"]: r["cible"] for r in commitments} == {"caf-accueil-petite-enfance": "40", "etat-aller-vers": "",
                                                          "rive-habitat-rehabilitation": "350"}
    assert [(r["date"], r["objet"]) for r in table(site, "suivis.csv")] == [
        ("2024-12-31", "commitments/caf-accueil-petite-enfance"), ("2025-07-04", "actions/1.1.1"),
        ("2025-12-31", "commitments/caf-accueil-petite-enfance")]
    assert [r["valeur"] for r in table(site, "suivis-chiffres.csv")] == ["18", "64", "31", "77.5"]
    territories = {r["id"]: r for r in table(site, "territoires.csv")}
    assert (territories["erables"]["code_qpv"], territories["erables"]["liste_date"],
            territories["erables"]["date_entree"]) == ("QN09902B", "2023-12-28", "2015-01-01")
    package = json.loads((site / "donnees" / "datapackage.json").read_text(encoding="utf-8"))
    types = {r["path"]: {f["name"]: f["type"] for f in r.get("schema", {}).get("fields", [])} for r in package["resources"]}
    assert (types["engagements.csv"]["cible"], types["engagements.csv"]["source_page"], types["suivis-chiffres.csv"]["valeur"]) \
        == ("number", "integer", "number")
    assert (site / "donnees" / "schemas" / "commitment.schema.json").is_file()
    assert (site / "donnees" / "schemas" / "follow-up.schema.json").is_file()
