"""A contract declares its own structure (« structure » in contrat.yaml): the levels of its strategy and their
words. The engine names no level: a contract of one level of « défis » builds a site that says « Défi 3 » where
the real contract says « Axe 3 », and never « axe », « objectif » or « fiche » in its pages, menu, breadcrumbs
or search filters; and no file of the engine names those levels (its schemas still do: see SCHEMAS_NOT_YET)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from generator.core import tables
from generator.core.registry import LEVELS
from generator.core.structure import structure_of
from tests.conftest import DEFIS, ROOT

LEVEL_WORDS = re.compile(r"(?i)\baxes?\b|objectifs?|fiches?")


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_the_real_contract_declares_todays_words_and_folders():
    real = structure_of(yaml.safe_load((ROOT / "contract" / "contrat.yaml").read_text(encoding="utf-8")))
    assert real.slots == LEVELS
    assert [(lv.short, lv.folder, lv.search) for lv in real.levels] == [
        ("Axe", "axes", "objectif"), ("Objectif", "objectifs", "objectif"), ("Fiche", "fiches", "fiche")]
    # its open-data tables keep the names people link to (donnees/fiches-actions.csv…)
    assert list(tables.names(real))[:6] == ["actions", "actors", "sheet_territories", "sheet_funding", "objectives", "axes"]
    assert list(tables.names(real).values())[:6] == ["fiches-actions", "fiches-acteurs", "fiches-territoires",
                                                     "fiches-financements", "objectifs", "axes"]


def test_a_contract_of_defis_says_defi_where_the_real_one_says_axe(defis_site):
    page = (defis_site / "defis" / "3" / "index.html").read_text(encoding="utf-8")
    assert "Défi 3 — Travailler et entreprendre" in page  # the title, where the real contract says « Axe 3 — … »
    breadcrumb = re.search(r'class="cv-breadcrumb".*?</nav>', page, re.S)
    assert breadcrumb and "› Défi 3</p>" in breadcrumb.group(0)
    assert "Présentation du défi" in page
    assert 'data-pagefind-filter="type:defi"' in page and 'data-pagefind-filter="numero:3"' in page
    home = (defis_site / "index.html").read_text(encoding="utf-8")
    assert "fixe les défis de la politique" in home and re.search(r">\s*Défis\s*<", home)  # lead sentence, menu
    assert not (defis_site / "axes").exists() and not (defis_site / "objectifs").exists()


def test_a_defi_named_in_prose_links_to_its_page(defis_site):
    """« le Défi 3 » in the text of défi 4 is read in the words the structure declares: a link, and défi 3
    lists défi 4 among the pages that cite it."""
    four = (defis_site / "defis" / "4" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'Il prolonge le <a href="\.\./3/">Défi 3</a>', four)
    three = (defis_site / "defis" / "3" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<li><a href="\.\./4/">Défi 4 — Habiter un quartier apaisé</a></li>', three)


def test_no_page_menu_breadcrumb_or_search_filter_of_the_defis_site_names_another_level(defis_site):
    found = []
    for path, text in _pages(defis_site).items():
        if path.startswith(("pagefind/", "assets/")):
            continue
        text = re.sub(r"<script\b.*?</script>", "", text, flags=re.S)  # the theme's own scripts
        found += [f"{path}: {m.group(0)}" for m in LEVEL_WORDS.finditer(re.sub(r"<[^>]+>", " ", text))]
        found += [f"{path} (attribut) : {m.group(0)}" for m in re.finditer(r'data-pagefind-filter="[^"]*"', text)
                  if LEVEL_WORDS.search(m.group(0))]
    assert found == []


def test_the_open_data_of_the_defis_site_has_a_table_of_defis_in_its_words(defis_site, capsys):
    """Its one level has its table, named after its folder, described and titled in its words; no table of a
    level it does not declare; the command line exports it by default, and refuses a table it does not publish."""
    import csv
    import json

    from generator import cli
    data = defis_site / "donnees"
    tables = sorted(p.name for p in data.glob("*.csv"))
    assert "defis.csv" in tables and not [t for t in tables if LEVEL_WORDS.search(t)], tables
    rows = list(csv.reader((data / "defis.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0] == ["id", "categorie", "intitule", "commission"] and [r[0] for r in rows[1:]] == ["1", "2", "3", "4"]
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    defis = next(r for r in package["resources"] if r["path"] == "defis.csv")
    assert defis["description"] == "Les défis du contrat." and defis["schema"]["fields"][0]["title"] == "Défi"
    assert not LEVEL_WORDS.search(json.dumps(package, ensure_ascii=False))
    contract = json.loads((data / "contrat.json").read_text(encoding="utf-8"))
    assert [sorted(set(axis) & {"objectives", "actions"}) for axis in contract["axes"]] == [[]] * 4
    assert cli.main(["export", "--contract", str(DEFIS), "--format", "csv"]) == 0
    assert capsys.readouterr().out == (data / "defis.csv").read_text(encoding="utf-8")
    assert cli.main(["export", "--contract", str(DEFIS), "--format", "csv", "--table", "fiches-actions"]) == 2
    assert "ne publie pas de table « fiches-actions » ; ses tables : defis, territoires" in capsys.readouterr().err


def test_the_search_panel_of_the_defis_site_offers_defis_and_finds_defi_3(defis_site, serve, page):
    """The panel's filters, the tags of its results and the numbers it reads are the declared levels' words."""
    base = serve(defis_site)
    page.goto(base + "defis/3/")
    panel = page.locator("#cv-q-panel")
    for query in ("défi 3", "Defi 3", "3"):
        page.locator("#cv-q").fill(query)
        panel.get_by_role("status").filter(has_text=f"pour « {query} »").wait_for()
        assert panel.locator("li > a").first.inner_text() == "Défi 3 — Travailler et entreprendre", query
    assert panel.locator("li .cv-search__kind").first.inner_text() == "Défi"
    assert [label.inner_text().strip() for label in panel.locator("fieldset label").all()] == \
        ["Tout", "Défis", "Territoires", "Projets de quartier", "Signataires", "Textes"]
    page.locator("#cv-q").fill("fictif")
    panel.get_by_label("Défis").check()
    panel.get_by_role("status").filter(has_text="pour « fictif »").wait_for()
    found = [a.inner_text() for a in panel.locator("li > a").all()]
    assert found and all(title.startswith("Défi ") for title in found)
    assert not LEVEL_WORDS.search(panel.inner_text())
    page.locator("#cv-q").fill("defi 2")
    page.locator("#cv-q").press("Enter")  # Enter on a number opens that page
    page.wait_for_url(base + "defis/2/")


# Not the engine: the example contract of `contrat nouveau` is a contract, and declares its structure.
DATA = ("generator/engine/scaffold/",)
SCHEMAS_NOT_YET = "the 2015 template's schemas (axis, objective, action…) keep their titles and category labels"
PYTHON_WORDS = re.compile(r"(?i)\baxe\b|\bobjectifs?\b|\bfiches?\b")  # « axes » is also the slot's English name
TEXT_WORDS = re.compile(r"(?i)\baxes?\b|\bobjectifs?\b|\bfiches?\b")


def _python_strings(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module, docstrings and comments left out (they may give examples)."""
    import io
    import tokenize
    out, previous = [], tokenize.NEWLINE
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type == tokenize.STRING and previous not in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.NL):
            out.append((token.start[0], token.string))
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            previous = token.type
    return out


def test_no_engine_file_names_a_level():
    found = []
    for path in sorted((ROOT / "generator").rglob("*")):
        name = str(path.relative_to(ROOT))
        if not path.is_file() or name.startswith(DATA) or path.suffix in (".pyc", ".typed"):
            continue
        if path.suffix == ".py":
            found += [f"{name}:{line}: {text}" for line, text in _python_strings(path) if PYTHON_WORDS.search(text)]
        else:
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".j2":  # the words of a template, its expressions left out
                text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", text, flags=re.S)
            found += [f"{name}: {m.group(0)}" for m in TEXT_WORDS.finditer(text)]
    assert found == []


def test_the_schemas_exception_is_still_needed():
    """The schemas still name the 2015 template's levels: when they no longer do, this exception goes."""
    assert SCHEMAS_NOT_YET and any(TEXT_WORDS.search(p.read_text(encoding="utf-8")) for p in (ROOT / "schemas").glob("*.json"))


def test_the_words_of_a_page_agree_with_its_level(defis_site):
    """« Cité dans » under a défi (masculine), « Citée dans » under a sheet (feminine): the level's gender."""
    page = (defis_site / "defis" / "3" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h2[^>]*>Cité dans", page) and "Citée dans" not in page
