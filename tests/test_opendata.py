"""Open data, pictures and print: what a journalist or a data re-user gets from the site."""
import csv
import html
import io
import json
import subprocess
import sys
import re

import pytest
from jsonschema import Draft202012Validator

from generator import export, opendata, urls
from generator.pipeline import check
from tests.conftest import CONTRACT, ROOT


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
        data = json.loads((real_site / urls.sheet_data(action.id)).read_text(encoding="utf-8"))
        assert list(check_sheet.iter_errors(data)) == [] and data == dict(action.data)
        page = (real_site / f"fiches/{action.id}/index.html").read_text(encoding="utf-8")
        assert f'href="../../donnees/fiches/{action.id}.json"' in page


def test_csv_tables_match_the_data_package(real_site, contract):
    package = json.loads((real_site / "donnees/datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["title"] == "Licence Ouverte / Open Licence 2.0"
    tables = [r for r in package["resources"] if r.get("schema")]
    assert {t["path"] for t in tables} == {t.file for t in export.TABLES.values()}
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
    assert sorted(task["name"] for task in report["tasks"]) == sorted([t.file.removesuffix(".csv") for t in export.TABLES.values()] + ["contrat"])


def test_a_filled_in_contract_publishes_a_valid_package_with_unique_relations(tmp_path):
    """The second contract names institutions several times on one sheet (a funder of two lines) and has a
    licence without an address: relation rows stay unique (primary keys checked) and the package valid."""
    contract = check(ROOT / "tests/fixtures/second").contract
    for path, content in opendata.files(contract, {"licence": "Licence d'essai", "version": "v"}).items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(content, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "frictionless", "validate", "--json", "datapackage.json"],
                         cwd=tmp_path / opendata.FOLDER, capture_output=True, text=True)
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
    for table in export.TABLES.values():
        assert f'href="{table.file}"' in page
        for name, _ in table.columns:
            assert f"<code>{name}</code>" in page


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
