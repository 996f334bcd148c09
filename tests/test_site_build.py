"""The built site as files: generated pages, escaping, determinism, generality, failure safety."""
import filecmp
import gzip
import html
import json
import re
import urllib.parse
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.engine.build import build_site
from generator.check.pipeline import check
from tests.conftest import CONTRACT, HOSTILE, MINI, ROOT, build, drop_source


# Attributes a browser follows as an address (a description or title holding the text « javascript: » is inert).
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset", "background"}


class _Scan(HTMLParser):
    """Collects what could run: script elements, on* handlers, javascript: URLs, iframes, styles."""

    def __init__(self):
        super().__init__()
        self.scripts, self.live = [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.live.append(f"<{tag} {name}>")
            url = name in URL_ATTRIBUTES or (tag == "meta" and name == "content"
                                             and (dict(attrs).get("http-equiv") or "").lower() == "refresh")
            if url and value and "javascript:" in value.lower().replace(" ", ""):
                self.live.append(f"<{tag} {name}={value}>")
        if tag in ("iframe", "object", "embed", "style"):
            self.live.append(f"<{tag}>")
        if tag == "script":
            self.scripts.append((dict(attrs).get("src") or "").rsplit("/", 1)[-1])
            self._in_script = True

    def handle_endtag(self, tag):
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data):
        if self._in_script and "alert" in data:
            self.live.append("inline script calling alert")


def scan(path: Path) -> _Scan:
    s = _Scan()
    s.feed(path.read_text(encoding="utf-8"))
    return s


def test_real_site_has_every_page(real_site):
    for path in ["index.html", "fiches/2.4.3/index.html", "objectifs/2.4/index.html", "axes/2/index.html",
                 "axes/transversal/index.html", "territoires/etouvie/index.html", "territoires/index.html",
                 "signataires/etat/index.html", "signataires/index.html", "gouvernance/index.html",
                 "annexes/index.html", "texte/partie-1/index.html", "texte/index.html", "recherche/index.html",
                 "accessibilite/index.html", "chronologie/index.html", "document-source/index.html",
                 "transcription/index.html", "flux.xml", "pagefind/pagefind.js", "pagefind/pagefind-entry.json"]:
        assert (real_site / path).is_file(), path
    assert len(list((real_site / "fiches").iterdir())) == 91
    html = (real_site / "fiches/2.4.3/index.html").read_text(encoding="utf-8")
    assert '<h1 id="fiche-action-243-agir-en-faveur-des-decrocheurses">Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)' in html
    # What the published contract does not give is said once, not row by row.
    assert html.count("non renseigné") == 0 and html.count("n'y sont pas renseignés") == 1
    # The rubrics of a sheet as the format has them; a complement of one (co-pilots) is not listed as missing.
    assert ("institution pilote, partenaires, publics cibles, territoires, crédits spécifiques politique de la ville, "
            "crédits de droit commun, indicateurs d'évaluation n'y sont pas renseignés") in html


def test_hostile_content_is_inert(tmp_path, monkeypatch):
    monkeypatch.setattr("generator.check.rawhtml.problems", lambda doc: [])  # validation refuses it: test the rendering alone
    site = build(HOSTILE, tmp_path / "site")
    benign = scan(build(MINI, tmp_path / "mini") / "index.html").scripts
    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        s = scan(page)
        assert s.live == [], (page, s.live)
        assert s.scripts == benign, page  # only the theme's own scripts
    # Text from the data inside HTML that Markdown reads is text too: no emphasis, no link made of it.
    for page in (site / "chronologie/index.html", site / "territoires/centre/index.html"):
        text = page.read_text(encoding="utf-8")
        assert "piege.example" in text and 'href="https://piege.example' not in text and "<em>gras</em>" not in text, page
    title = (site / "fiches/1.1.1/index.html").read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0]
    assert "&lt;/title&gt;&lt;script&gt;" in title
    # The site's name, description and licence come from contrat.yaml: shown as text, escaped once.
    home = (site / "index.html").read_text(encoding="utf-8")
    header = home.split('class="md-header__topic"')[1].split("</span>")[0]
    assert header.split('class="md-ellipsis">')[1].strip() == "Valbourg &lt;/title&gt;&lt;script&gt;alert(&#x27;contrat&#x27;)&lt;/script&gt;"
    assert "Données et textes : Licence &lt;/div&gt;&lt;script&gt;alert(&#39;licence&#39;)&lt;/script&gt;" in home
    assert ('<meta name="description" content="Description &quot;&gt;&lt;script&gt;alert(&#x27;description&#x27;)'
            in (site / "404.html").read_text(encoding="utf-8"))


def test_builds_are_deterministic(tmp_path, real_site):
    again = build(CONTRACT, tmp_path / "again", pdf=True)
    cmp = filecmp.dircmp(real_site, again)

    def differences(c):
        out = c.left_only + c.right_only + c.diff_files + c.funny_files
        for sub in c.subdirs.values():
            out += differences(sub)
        return out
    # Pagefind writes the values of each filter in hash-map order: its filter files and the meta file that
    # names them by their hash change from one run to the next, with the same content in another order.
    def unordered(name):
        return name.startswith(("pagefind.", "pagefind-entry.json")) or name.endswith(".pf_filter")
    assert [n for n in differences(cmp) if not unordered(n)] == []
    for path in real_site.rglob("*"):
        if path.is_file() and not unordered(path.name):
            assert path.read_bytes() == (again / path.relative_to(real_site)).read_bytes(), path

    def filters(site):
        return sorted(len(gzip.decompress(p.read_bytes())) for p in (site / "pagefind/filter").iterdir())
    assert filters(real_site) == filters(again)


def test_another_contract_builds_its_own_site(tmp_path):
    site = build(MINI, tmp_path / "site")
    assert sorted(p.name for p in (site / "fiches").iterdir()) == ["1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2", "2.1.1", "2.1.2"]
    assert sorted(p.name for p in (site / "axes").iterdir()) == ["1", "2"]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Contrat de ville de Valbourg 2024-2030 (fictif)</title>" in home  # its name, from its contrat.yaml
    assert "Données et textes" not in home  # it declares no licence
    # Only the hand-written pages of docs/ (Amiens's own, built with this repository's mkdocs.yml) name Amiens.
    naming = {p.relative_to(site).parts[0] for p in site.rglob("*") if p.suffix in {".html", ".xml", ".json", ".csv", ".js", ".css"}
              and "amiens" in p.read_text(encoding="utf-8").lower()}
    assert naming == {"a-propos", "mentions-legales"}


def test_site_name_description_and_licence_come_from_the_contract(real_site):
    meta = check(CONTRACT).contract.meta
    home = (real_site / "index.html").read_text(encoding="utf-8")
    name = html.escape(meta["publication"]["name"])  # a display form of the printed title, chosen by the editors
    assert f"<title>{name}</title>" in home  # the home page's title is the site's name, once
    assert f">{html.escape(meta['title'])}<" in home  # the printed title stays the home page's heading
    sheet = (real_site / "fiches/2.4.3/index.html").read_text(encoding="utf-8")
    assert f"<title>Fiche action 2.4.3 — Agir en faveur des décrocheurs(es) - {name}</title>" in sheet
    assert f"Données et textes : {meta['publication']['licence']}" in sheet
    missing = (real_site / "404.html").read_text(encoding="utf-8")
    assert f'<meta name="description" content="{html.escape(meta["publication"]["description"])}">' in missing
    package = json.loads((real_site / "donnees/contrat.json").read_text(encoding="utf-8"))["publication"]
    assert package["licence_url"] == meta["publication"]["licence_url"]


def test_a_city_theme_folder_comes_before_the_engine_theme(tmp_path):
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    (tmp_path / "ville/partials").mkdir(parents=True)
    (tmp_path / "ville/partials/copyright.html").write_text('<div class="md-copyright">Pied de page de la ville</div>\n',
                                                           encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: ville\n")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert build_site(tmp_path / "mkdocs.yml", MINI, tmp_path / "site", pdf=False) == 0
    home = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert "Pied de page de la ville" in home  # the city's partial
    assert 'data-cv-search="panel"' in home and "stylesheets/contrat.css" in home  # the engine's header and styles


@pytest.mark.parametrize("change, message", [
    (("  - contrat  ", "  - search  "), "n'active pas le greffon du contrat"),
    (("  name: material", "  name: mkdocs"), "le greffon contrat fonctionne avec le thème material"),
])
def test_a_config_the_engine_cannot_use_is_explained(tmp_path, capsys, change, message):
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert change[0] in config
    (tmp_path / "mkdocs.yml").write_text(config.replace(*change), encoding="utf-8")
    assert build_site(tmp_path / "mkdocs.yml", MINI, tmp_path / "site", pdf=False) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_failed_build_keeps_previous_site(tmp_path):
    site = build(MINI, tmp_path / "site")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    broken = tmp_path / "broken"
    shutil.copytree(MINI, broken)
    (broken / "actions" / "1.1.2.yaml").write_text('id: "1.1.2"\nobjective: "9.9"\ntitle: "x"\n', encoding="utf-8")
    assert build_site(ROOT / "mkdocs.yml", broken, site) == 1
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("name", ["annexes.md", "recherche.md"])  # a page made from the data, the engine's search page
def test_hand_written_page_cannot_be_shadowed(tmp_path, capsys, name):
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    (tmp_path / "docs" / name).write_text("# Une page écrite à la main\n", encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    assert build_site(tmp_path / "mkdocs.yml", MINI, tmp_path / "site") == 1
    assert f"docs/{name} : ce fichier porte le nom d'une page générée" in capsys.readouterr().err


def test_territory_chart_matches_its_table(real_site):
    import re
    from generator.check.pipeline import check
    contract = check(CONTRACT).contract
    table = contract.get("statistics", "insee-2011-zus")
    html = (real_site / "territoires/etouvie/index.html").read_text(encoding="utf-8")
    chart = html.split('<figure class="cv-chart"')[1].split("</figure>")[0]
    assert re.search(r'<strong id="graphique-insee-2011-zus-etouvie-titre">Étouvie comparé à Ville et Agglo\.', chart)
    assert "<figcaption>" in chart and "cv-chart__desc" in chart
    columns = [c["territory"] for c in table.columns]
    groups = []
    for row in table.rows:
        cells = [row["cells"][columns.index(t)] for t in ("zus-etouvie", "commune-amiens", "agglomeration-amiens-metropole")]
        if all(c.get("unit") == "pourcentage" and "value" in c for c in cells):
            groups.append([f"{c['value']:g}".replace(".", ",") + "\u202f%" for c in cells])
    groups.sort(key=lambda g: -float(g[0][:-2].replace(",", ".")))  # sorted by the territory's value
    drawn = re.findall(r'class="cv-bars__value">([^<]+)<', chart)
    assert drawn == [v for g in groups for v in g] and len(drawn) >= 30
    # the table stays beside the chart: the page is readable without it
    assert "<td>59 %</td>" in html or ">59 %</td>" in html


def test_generated_pages_edit_their_yaml_source(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTRAT_REPO_URL", "https://forge.example/ville/contrat")
    site = build(CONTRACT, tmp_path / "site")
    sheet = (site / "fiches/2.4.3/index.html").read_text(encoding="utf-8")
    assert 'href="https://forge.example/ville/contrat/edit/main/contract/actions/2.4.3.yaml"' in sheet
    territory = (site / "territoires/etouvie/index.html").read_text(encoding="utf-8")
    assert "/edit/main/contract/territories/etouvie.yaml" in territory
    about = (site / "a-propos/index.html").read_text(encoding="utf-8")
    assert "/edit/main/docs/a-propos.md" in about


def test_published_address_gives_canonical_sharing_tags_and_sitemap(tmp_path, monkeypatch, real_site):
    import re
    import xml.etree.ElementTree as ET
    monkeypatch.setenv("CONTRAT_SITE_URL", "https://exemple.fr/contrat/")
    site = build(CONTRACT, tmp_path / "site")
    sheet = (site / "fiches/2.4.3/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://exemple.fr/contrat/fiches/2.4.3/">' in sheet
    assert '<meta property="og:url" content="https://exemple.fr/contrat/fiches/2.4.3/">' in sheet
    assert '<meta property="og:title" content="Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)">' in sheet
    descriptions = {re.search(r'<meta name="description" content="([^"]+)">', p.read_text(encoding="utf-8")).group(1)
                    for p in site.glob("*/*/index.html")}
    assert len(descriptions) > 100  # one per page, not the site's
    urls = [u.findtext("{*}loc") for u in ET.parse(site / "sitemap.xml").getroot()]
    assert "https://exemple.fr/contrat/fiches/2.4.3/" in urls
    assert len(urls) >= len(list(site.rglob("index.html"))) - 1
    # without the address: no canonical link, no sharing card, a valid empty sitemap; descriptions still there
    home = (real_site / "fiches/2.4.3/index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in home and "og:" not in home
    assert '<meta name="description" content="Fiche action 2.4.3' in home
    assert list(ET.parse(real_site / "sitemap.xml").getroot()) == []


def test_site_name_with_quotes_and_ampersand_reads_right_everywhere(mini_copy, tmp_path):
    """The contract's title is the site's name: in <title>, the header and the « Signaler une erreur »
    subject it reads as written, never as « &amp; » or « &#x27; »."""
    drop_source(mini_copy)
    meta = mini_copy / "contrat.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('title: "Contrat de ville de Valbourg 2024-2030 (fictif)"',
                                                             'title: "Contrat d\'Île & Valbourg"'), encoding="utf-8")
    site = build(mini_copy, tmp_path / "site")
    missing = (site / "404.html").read_text(encoding="utf-8")
    subject = urllib.parse.unquote(re.search(r'subject=([^&"]+)', missing).group(1))
    assert subject == "Erreur sur le site du contrat : Contrat d'Île & Valbourg"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Contrat d&#x27;Île &amp; Valbourg</title>" in home


def test_every_field_of_the_contract_reaches_a_page(real_site):
    """Fields that once reached no page: the legal bases (text index), an instance's family, a signatory's other names."""
    contract = check(CONTRACT).contract
    text_index = (real_site / "texte/index.html").read_text(encoding="utf-8")
    assert all(html.escape(b["title"], quote=False) in text_index for b in contract.meta["legal_bases"])
    body = contract.get("governance", "cispd")
    assert "Famille d'instances :</strong> instance partenariale" in (real_site / "gouvernance/cispd/index.html").read_text(encoding="utf-8")
    named = next(s for s in contract.all("signatories") if s.aliases)
    page = (real_site / f"signataires/{named.id}/index.html").read_text(encoding="utf-8")
    assert "Autres noms dans le contrat" in page and html.escape(named.aliases[0], quote=False) in page
    assert body.category == "partenariale"
