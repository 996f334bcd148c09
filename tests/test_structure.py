"""A contract declares its own structure (« structure » in contrat.yaml): the levels of its strategy and their
words. The engine names no level: a contract of one level of « défis » builds a site that says « Défi 3 » where
the real contract says « Axe 3 », and never « axe », « objectif » or « fiche » in its pages, menu, breadcrumbs
or search filters; and no file of the engine, its schemas included, names those levels."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator.core import tables
from generator.core.registry import LEVELS
from generator.core.structure import structure_of
from tests.conftest import DEFIS, ROOT, city_build, copy_of

LEVEL_WORDS = re.compile(r"(?i)\baxes?\b|objectifs?|fiches?")


def _built(work: Path, contract: Path) -> Path:
    """The site of `contract` as its city keeps it."""
    assert city_build(work, contract) == 0
    return work / "site"


def _variant(folder: Path, levels: list[dict], items: dict[str, list[dict]]) -> Path:
    """The défis contract in `folder`, declaring `levels` (the défis' words first, with what each adds) and
    holding `items` besides its défis ({data folder: [fields of each item]})."""
    shutil.copytree(DEFIS, folder)
    meta = yaml.safe_load((folder / "contrat.yaml").read_text(encoding="utf-8"))
    meta["structure"] = [{**meta["structure"][0], **levels[0]}, *levels[1:]]
    (folder / "contrat.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for collection, entries in items.items():
        (folder / collection).mkdir(exist_ok=True)
        for fields in entries:
            (folder / collection / f"{fields['id']}.yaml").write_text(yaml.safe_dump(fields, allow_unicode=True), encoding="utf-8")
    return folder


ORIENTATION = {"singular": "orientation", "plural": "orientations", "article": "l'orientation", "short": "Orientation",
               "folder": "orientations", "feminine": True}
ORIENTATIONS = [{"id": f"{axis}.{n}", "axis": str(axis), "title": f"Orientation fictive {n} du défi {axis}"}
                for axis in (1, 2) for n in (1, 2)]


@pytest.fixture(scope="module")
def numbered_site(tmp_path_factory) -> Path:
    """Défis numbered in roman numerals, each with orientations numbered by their rank alone."""
    work = tmp_path_factory.mktemp("numeros")
    contract = _variant(work / "contrat", [{"number": "{I}"}, {**ORIENTATION, "number": "{n}"}],
                        {"objectives": ORIENTATIONS})
    return _built(work, contract)


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_the_real_contract_declares_todays_words_and_folders():
    real = structure_of(yaml.safe_load((ROOT / "contract" / "contrat.yaml").read_text(encoding="utf-8")))
    assert real.slots == LEVELS[:3]
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


def test_a_level_shows_the_number_it_declares_at_the_address_of_its_id(numbered_site):
    """« Défi II », « Orientation 2 » under it: the numbers the contract declares, in titles, breadcrumbs, menu,
    lists and search filters; the pages stay at the addresses of their ids (defis/2/, orientations/2.2/)."""
    axis = (numbered_site / "defis" / "2" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Défi II — Se soigner près de chez soi<", axis) and "› Défi II</p>" in axis
    assert re.search(r'<a href="../../orientations/2\.2/">Orientation 2 — Orientation fictive 2 du défi 2</a>', axis)
    assert 'data-pagefind-filter="numero:II"' in axis and "Défi 2 " not in axis
    page = (numbered_site / "orientations" / "2.2" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Orientation 2 — Orientation fictive 2 du défi 2<", page)
    breadcrumb = re.search(r'class="cv-breadcrumb".*?</nav>', page, re.S)
    assert breadcrumb and re.search(r">Défi II</a> › Orientation 2</p>", breadcrumb.group(0))
    assert 'data-pagefind-filter="numero:2"' in page and 'data-pagefind-filter="parent:II"' in page
    assert "2.2" not in re.sub(r'href="[^"]*"|<script\b.*?</script>', "", page, flags=re.S)  # its id is only its address
    menu = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', page, re.S)
    assert menu and re.search(r">\s*Défi II — Se soigner près de chez soi\s*<", menu.group(0))
    assert re.search(r">\s*Orientation 1 — Orientation fictive 1 du défi 2\s*<", menu.group(0))
    assert re.search(r">\s*Défi IV\s*<", menu.group(0))
    home = (numbered_site / "index.html").read_text(encoding="utf-8")
    assert '<a href="defis/4/">Défi IV — Habiter un quartier apaisé</a>' in home
    text = (numbered_site / "imprimer" / "index.html").read_text(encoding="utf-8")
    assert "Orientation 2 — Orientation fictive 2 du défi 1" in text and "Défi III — " in text


CHANTIER = {"singular": "chantier", "plural": "chantiers", "article": "le chantier", "short": "Chantier",
            "folder": "chantiers"}
ACTION = {"singular": "action", "plural": "actions", "article": "l'action", "short": "Action", "folder": "actions",
          "feminine": True}
CHANTIERS = [{"id": "1.1.1", "objective": "1.1", "title": "Chantier fictif de l'école"},
             {"id": "1.1.2", "objective": "1.1", "title": "Chantier fictif de l'apprentissage"},
             {"id": "2.1.1", "objective": "2.1", "title": "Chantier fictif de la santé"}]
ACTIONS = [{"id": "1.1.1.1", "action": "1.1.1", "title": "Action fictive des devoirs faits", "pilot": {"signatory": "etat"},
            "publics": ["collégiens"], "territories": ["tilleuls"],
            "funding_specific": [{"text": "Crédits fictifs", "signatory": "metropole", "amount_eur": 5000}]},
           {"id": "1.1.1.2", "action": "1.1.1", "title": "Action fictive du soutien aux parents"},
           {"id": "1.1.2.1", "action": "1.1.2", "title": "Action fictive des stages de Bellerive Métropole, après l'action 1.1.1.2"},
           {"id": "2.1.1.1", "action": "2.1.1", "title": "Action fictive du centre de santé"}]


@pytest.fixture(scope="module")
def four_levels_site(tmp_path_factory) -> Path:
    """Défis › orientations › chantiers › actions, the finest level with the rubrics of a sheet."""
    work = tmp_path_factory.mktemp("quatre")
    contract = _variant(work / "contrat", [{}, ORIENTATION, CHANTIER, ACTION],
                        {"objectives": ORIENTATIONS, "actions": CHANTIERS, "subactions": ACTIONS})
    return _built(work, contract)


def test_a_contract_of_four_levels_shows_each_with_its_words(four_levels_site):
    site = four_levels_site
    page = (site / "actions" / "1.1.1.1" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Action 1\.1\.1\.1 — Action fictive des devoirs faits<", page)
    breadcrumb = re.search(r'class="cv-breadcrumb".*?</nav>', page, re.S)
    assert breadcrumb and " ".join(re.sub(r"<[^>]+>", "", breadcrumb.group(0).split(">", 1)[1]).split()) == \
        "Accueil › Défi 1 › Orientation 1.1 › Chantier 1.1.1 › Action 1.1.1.1"
    assert re.findall(r"<li><strong>(\w+) :</strong> <a [^>]*>([^<]*)</a></li>", page)[:3] == [
        ("Chantier", "Chantier 1.1.1 — Chantier fictif de l'école"),
        ("Orientation", "Orientation 1.1 — Orientation fictive 1 du défi 1"), ("Défi", "Défi 1 — Réussir à l'école et après")]
    assert "Institution pilote" in page and "collégiens" in page  # the rubrics of a sheet, on the finest level
    assert ("action 1.1.1.1 « Action fictive des devoirs faits », chantier 1.1.1 « Chantier fictif de l'école », "
            "orientation 1.1 « Orientation fictive 1 du défi 1 », défi 1 « Réussir à l'école et après »") in page
    assert 'data-pagefind-filter="type:action"' in page and 'data-pagefind-filter="parent:1.1.1"' in page
    assert re.search(r'href="../1\.1\.1\.2/"[^>]*>\s*Action 1\.1\.1\.2 — Action fictive du soutien aux parents →', page)
    assert (site / "donnees" / "actions" / "1.1.1.1.json").is_file()
    table = (site / "donnees" / "actions.csv").read_text(encoding="utf-8").splitlines()
    assert table[0].startswith("id,chantier,intitule,sous_points,pilote,") and table[1].startswith("1.1.1.1,1.1.1,Action fictive")

    chantier = (site / "chantiers" / "1.1.1" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Chantier 1\.1\.1 — Chantier fictif de l'école<", chantier)
    assert re.search(r">Actions<", chantier) and 'href="../../actions/1.1.1.2/">Action 1.1.1.2 — ' in chantier
    assert "pilote" not in chantier  # an item with items under it does not list the rubrics they carry
    orientation = (site / "orientations" / "1.1" / "index.html").read_text(encoding="utf-8")
    assert re.search(r">Chantiers<", orientation) and ">Chantier 1.1.2 — Chantier fictif de l'apprentissage</a>" in orientation
    menu = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>\s*</div>\s*</div>', orientation, re.S)
    assert menu and re.search(r">\s*Orientation 1\.1 — Orientation fictive 1 du défi 1\s*<", menu.group(0))
    assert re.search(r">\s*Défis, orientations, chantiers et actions\s*<", menu.group(0))
    printed = (site / "imprimer" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"Chantier 1\.1\.1 — Chantier fictif de l'école</a>\s*<ul>\s*<li><a [^>]*>Action 1\.1\.1\.1 — ", printed)
    data = json.loads((site / "donnees" / "contrat.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in data["axes"][0]["objectives"][0]["actions"][0]["subactions"]] == ["1.1.1.1", "1.1.1.2"]
    from jsonschema import Draft202012Validator
    schema = json.loads((site / "donnees" / "schemas" / "export.schema.json").read_text(encoding="utf-8"))
    content = {key: value for key, value in data.items() if key != "publication"}  # this test site declares no licence
    assert list(Draft202012Validator(schema).iter_errors(content)) == []


def test_the_relations_of_a_four_level_contract_are_those_of_its_finest_level(four_levels_site):
    """Its fourth level carries the sheet's rubrics: the signatories' roles and mentions, the relation tables, the
    empty rubrics counted on the transcription page, the sheets of a territory in a line and the items cited in
    prose (« l'action 1.1.1.2 ») are its."""
    site = four_levels_site
    def text(path):
        return " ".join(re.sub(r"<[^>]+>", " ", (site / path / "index.html").read_text(encoding="utf-8")).split())
    assert ("Son rôle dans les actions ¶ Pilote (1) : Action 1.1.1.1 Actions qui le nomment ¶ Aucun intitulé d'action "
            "ne le nomme.") in text("signataires/etat")
    assert ("Son rôle dans les actions ¶ Financeur (1) : Action 1.1.1.1 Actions qui le nomment ¶ Action 1.1.2.1 — "
            "Action fictive des stages de Bellerive Métropole") in text("signataires/metropole")
    data = site / "donnees"
    assert (data / "actions-acteurs.csv").read_text(encoding="utf-8").splitlines() == [
        "action,acteur,nom,role", "1.1.1.1,etat,L'État,pilote", "1.1.1.1,metropole,Bellerive Métropole,financeur"]
    assert (data / "actions-territoires.csv").read_text(encoding="utf-8").splitlines() == ["action,territoire", "1.1.1.1,tilleuls"]
    assert (data / "actions-financements.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "1.1.1.1,specifique,Crédits fictifs,metropole,Bellerive Métropole,5000"]
    assert not list(data.glob("chantiers-*.csv"))
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"]: r["description"] for r in package["resources"]}
    assert "(une ligne par relation : actions-acteurs.csv, actions-territoires.csv, actions-financements.csv)" \
        in described["actions.csv"] and "relation" not in described["chantiers.csv"]
    assert "Des actions laissent des rubriques vides" in text("transcription") and " sur 4 " in text("transcription")
    assert "Citée dans ¶ Action 1.1.2.1 — " in text("actions/1.1.1.2")
    assert "Actions de ce territoire : Action 1.1.1.1 " in text("territoires/tilleuls")


def test_number_patterns_fill_parent_rank_letters_and_roman_numerals(tmp_path, monkeypatch):
    """The pattern of each level: its parent's number as shown, its rank in figures, letters or roman numerals;
    a rank that is not a number (an item named, not numbered) shown as it is."""
    from generator.check.pipeline import check
    contract = _variant(tmp_path / "contrat", [{"number": "{A}"}, {**ORIENTATION, "number": "{parent}.{i}"}],
                        {"objectives": ORIENTATIONS})
    result = check(contract)
    assert result.ok and result.contract is not None, result.problems
    shown = {e.id: result.contract.number_of(e) for c in ("axes", "objectives") for e in result.contract.all(c)}
    assert shown == {"1": "A", "2": "B", "3": "C", "4": "D", "1.1": "A.i", "1.2": "A.ii", "2.1": "B.i", "2.2": "B.ii"}
    from generator.site import search
    levels = json.loads(search.panel(result.contract))["levels"]  # what the search box reads typed numbers by
    assert [level["numbers"][1] for level in levels] == [["B", "defis/2/", 2], ["A.ii", "orientations/1.2/", 0]]
    assert levels[1]["words"] == ["orientation"]
    monkeypatch.setattr(search, "MAX_NUMBERS", 5)  # bounded: the top levels' first
    assert [len(level["numbers"]) for level in json.loads(search.panel(result.contract))["levels"]] == [4, 1]
    level = result.contract.structure.levels[0]
    assert [level.shown(rank, "") for rank in ("26", "27", "transversal")] == ["Z", "AA", "transversal"]
    roman = replace(level, number="n° {I}")
    assert [roman.shown(rank, "") for rank in ("4", "9", "14", "1994")] == ["n° IV", "n° IX", "n° XIV", "n° MCMXCIV"]


def test_by_default_a_level_shows_its_id():
    """Declared or not, the real contract's numbers are its ids: « Fiche 2.4.3 » of objective 2.4 of axis 2."""
    real = structure_of(yaml.safe_load((ROOT / "contract" / "contrat.yaml").read_text(encoding="utf-8")))
    assert [level.number for level in real.levels] == ["{n}", "{parent}.{n}", "{parent}.{n}"]
    assert real.levels[2].shown("3", real.levels[1].shown("4", real.levels[0].shown("2", ""))) == "2.4.3"


@pytest.mark.parametrize("pattern, first, found", [
    ("{parent}.{n}", False, ["repère « {parent} » au premier niveau"]),
    ("{parent}", True, ["le rang de l'élément n'y figure pas"]),
    ("{N}", True, ["repère « {N} » inconnu"]),
    ("{n}}", True, ["accolade « } » seule"]),
    ("{parent} {n!r}", True, ["repère « {n!r} » inconnu"]),
    ("Annexe {parent}-{A} ({i})", True, []),
])
def test_a_number_pattern_that_does_not_read_is_said(pattern, first, found):
    from generator.core.structure import number_problems
    assert [message[:len(f)] for (_, message), f in zip(number_problems(pattern, first), found)] == found
    assert len(number_problems(pattern, first)) == len(found)


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


# Where a schema names a data folder (`axes/1`), not a level: its patterns, enumerations and references.
FOLDER_KEYS = ("pattern", "enum", "x-ref", "x-ref-key")
SCHEMA_WORDS = re.compile(r"(?i)\b(?:axes?|objectifs?|fiches?)\b(?!/)")  # « axes/ » in a text is a folder too


def _schema_words(node, where: str) -> list[str]:
    """The level words of a schema's texts (titles, descriptions, what is expected, examples, labels…)."""
    if isinstance(node, dict):
        return [found for key, value in node.items() if key not in FOLDER_KEYS for found in _schema_words(value, f"{where}/{key}")]
    if isinstance(node, list):
        return [found for i, value in enumerate(node) for found in _schema_words(value, f"{where}[{i}]")]
    return [f"{where}: {m.group(0)}" for m in SCHEMA_WORDS.finditer(node)] if isinstance(node, str) else []


def test_no_schema_names_a_level():
    """What an editor reads on hover, what a message says is expected, what the published schemas say: the
    schemas describe the levels by their rank (« élément du premier niveau »), the contract names them."""
    found = [w for p in sorted((ROOT / "schemas").glob("*.json")) for w in _schema_words(json.loads(p.read_text(encoding="utf-8")), p.name)]
    assert found == []
    assert _schema_words({"description": "l'axe", "x-expected": "axes/, objectives/", "pattern": "^(axes)/"}, "") == ["/description: axe"]


def test_a_named_item_of_the_first_level_is_named_in_its_levels_words():
    """« axe transversal » for the real contract, « défi transversal », « orientation transversale » for others:
    the level's name and the qualifier of the kind, agreeing with the name; a numbered item takes the level's words."""
    real = structure_of(yaml.safe_load((ROOT / "contract" / "contrat.yaml").read_text(encoding="utf-8"))).level("axes")
    assert real.kinds() == (("strategique", "axe stratégique", "axes stratégiques"),
                                          ("transversal", "axe transversal", "axes transversaux"))
    defi = structure_of(yaml.safe_load((DEFIS / "contrat.yaml").read_text(encoding="utf-8"))).level("axes")
    assert [defi.kind_name("transversal"), defi.kind_name("strategique", plural=True)] == ["défi transversal", "défis"]
    orientation = replace(defi, singular="orientation stratégique", plural="orientations stratégiques", article="l'orientation",
                          names="orientations", feminine=True)
    assert [orientation.kind_name("transversal"), orientation.kind_name("transversal", plural=True)] == \
        ["orientation transversale", "orientations transversales"]
    assert orientation.kind_name("inconnu") is None


def test_the_words_of_a_page_agree_with_its_level(defis_site):
    """« Cité dans » under a défi (masculine), « Citée dans » under a sheet (feminine): the level's gender."""
    page = (defis_site / "defis" / "3" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h2[^>]*>Cité dans", page) and "Citée dans" not in page


def test_the_search_box_reads_the_numbers_as_each_level_shows_them(numbered_site, four_levels_site, serve, page):
    """Roman numerals, ranks alone and four parts, typed after a level's words or not, in any case, with dashes:
    the item first (then what it holds, whose pages do not show its number); Enter opens its page."""
    def first(query):
        page.locator("#cv-q").fill(query)
        panel.get_by_role("status").filter(has_text=f"pour « {query} »").wait_for()
        return [a.inner_text() for a in panel.locator("li > a").all()]

    base = serve(numbered_site)
    page.goto(base + "defis/1/")
    panel = page.locator("#cv-q-panel")
    found = first("II")
    assert found[0] == "Défi II — Se soigner près de chez soi" and "Orientation 1 — Orientation fictive 1 du défi 2" in found
    assert first("défi iv")[0] == "Défi IV — Habiter un quartier apaisé"
    assert sorted(first("Orientation 2")[:2]) == ["Orientation 2 — Orientation fictive 2 du défi 1",
                                                  "Orientation 2 — Orientation fictive 2 du défi 2"]
    page.locator("#cv-q").fill("defi iii")
    page.locator("#cv-q").press("Enter")
    page.wait_for_url(base + "defis/3/")

    base = serve(four_levels_site)
    page.goto(base + "defis/1/")
    assert first("1.1.1.2")[0] == "Action 1.1.1.2 — Action fictive du soutien aux parents"
    assert first("action 1-1-2-1")[0].startswith("Action 1.1.2.1 — Action fictive des stages")
    found = first("chantier 1.1.1")
    assert found[:3] == ["Chantier 1.1.1 — Chantier fictif de l'école", "Action 1.1.1.1 — Action fictive des devoirs faits",
                         "Action 1.1.1.2 — Action fictive du soutien aux parents"]
    page.locator("#cv-q").fill("Action 2.1.1.1")
    page.locator("#cv-q").press("Enter")
    page.wait_for_url(base + "actions/2.1.1.1/")


# -- a level's pages move to another folder: the addresses already published stay served --------------------
def _moved(tmp_path: Path, former: list[str] | None) -> Path:
    """The défis contract, once published under « defis/ » (its list of published addresses kept), now
    declaring the folder « enjeux » for its défis, and `former` as the folders they left."""
    from generator.check.pipeline import ADDRESSES_FILE
    first = _built(tmp_path / "avant", DEFIS)
    contract = copy_of(DEFIS, tmp_path)
    shutil.copy(first / "adresses.txt", contract / ADDRESSES_FILE)
    meta = contract / "contrat.yaml"
    text = meta.read_text(encoding="utf-8").replace('    folder: "defis"', '    folder: "enjeux"'
                                                    + (f"\n    former_folders: {json.dumps(former)}" if former else ""))
    meta.write_text(text, encoding="utf-8")
    return contract


def test_a_level_that_changes_its_folder_leaves_a_redirect_from_each_published_page(tmp_path):
    contract = _moved(tmp_path, ["defis"])
    site = _built(tmp_path / "apres", contract)
    assert (site / "enjeux" / "3" / "index.html").is_file()
    redirect = (site / "defis" / "3" / "index.html").read_text(encoding="utf-8")
    assert "Cette page a changé d'adresse" in redirect and 'href="../../enjeux/3/"' in redirect
    served = (site / "adresses.txt").read_text(encoding="utf-8").splitlines()
    assert {"defis/3/", "enjeux/3/"} <= set(served)


def test_without_its_former_folder_the_published_addresses_are_missed(tmp_path, capsys):
    from generator.check.pipeline import ADDRESSES_FILE
    assert city_build(tmp_path / "apres", _moved(tmp_path, None)) != 0
    out = capsys.readouterr()
    assert re.search(rf"{ADDRESSES_FILE}:\d+:1: CV320 l'adresse publiée « defis/3/ » n'est plus servie", out.out + out.err)


@pytest.mark.parametrize("former, taken", [
    (["territoires"], "celui des pages des territoires"),
    (["enjeux"], "celui des pages du niveau 1"),
])
def test_a_former_folder_still_serving_pages_is_refused(tmp_path, former, taken):
    from generator.check.pipeline import check
    contract = copy_of(DEFIS, tmp_path)
    meta = contract / "contrat.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        '    folder: "defis"', f'    folder: "enjeux"\n    former_folders: {json.dumps(former)}'), encoding="utf-8")
    shown = [(p.code, p.message) for p in check(contract).problems]
    assert shown == [("CV341", f"l'ancien dossier « {former[0]} » est aussi {taken} : une adresse ne peut mener "
                               "qu'à une page ; retirez-le de « former_folders »")]
