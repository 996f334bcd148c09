"""Open data published with the site: the whole contract as JSON, CSV tables and the same tables as a
workbook, one JSON per sheet, the schemas, and a Frictionless Data Package describing every file and
column. Pure: returns {path: text or bytes}.
"""
from __future__ import annotations

import copy
import json
import re
import unicodedata
from typing import Any

from generator.core import tables
from generator.core.model import HIERARCHY, Contract
from generator.core.registry import COLLECTIONS
from generator.core.schemas import schema_for
from generator.core.structure import Structure, capital
from generator.publish import export, spreadsheet
from generator.site import urls

SCHEMA_KINDS = ("contrat", *(c.schema for c in COLLECTIONS.values()))
EXPORT_SCHEMA_ID = "urn:contrat-de-ville:schema:export"
PACKAGE = "datapackage.json"
# The CSV files as programs read them (RFC 4180 with « \n » line ends, UTF-8 without a byte-order mark):
# the workbook is the way into a spreadsheet.
CSV_DIALECT = {"delimiter": ",", "doubleQuote": True, "lineTerminator": "\n", "quoteChar": '"', "header": True}


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def export_schema(structure: Structure) -> dict:
    """The schema of contrat.json, self-contained: every entity schema is embedded under $defs; the items of
    the levels a contract of that structure declares nest in its first level's."""
    defs = {kind: schema_for(kind) for kind in SCHEMA_KINDS}

    def with_children(kind: str, key: str, child: dict, title: str) -> dict:
        schema = copy.deepcopy(defs[kind])
        for k in ("$schema", "$id", "examples"):
            schema.pop(k, None)
        schema["properties"][key] = {"type": "array", "title": title, "description": f"{title}, dans l'ordre.", "items": child}
        schema["required"] = schema["required"] + [key]
        return schema

    levels = structure.levels
    first = levels[0]
    item: dict = {"$ref": f"urn:contrat-de-ville:schema:{COLLECTIONS[levels[-1].slot].schema}"}
    for parent, child in reversed(list(zip(levels, levels[1:]))):
        item = with_children(COLLECTIONS[parent.slot].schema, child.slot, item, child.heading)
    below = [level.brief_plural for level in levels[1:]]

    def items(kind, title):
        return {"type": "array", "title": title, "description": f"{title} du contrat.",
                "items": {"$ref": f"urn:contrat-de-ville:schema:{kind}"}}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": EXPORT_SCHEMA_ID,
        "title": "Contrat de ville, données ouvertes",
        "description": f"Le contrat entier : {' › '.join(level.names for level in levels)}, territoires, signataires, "
                       "gouvernance, annexes, tableaux, chiffres, texte, avenants, et les conditions de publication.",
        "type": "object", "additionalProperties": False,
        "required": ["contract", "axes", "territories", "signatories", "amendments"],
        "properties": {
            "publication": {"type": "object", "title": "Publication", "description": "Licence et version des données.",
                            "additionalProperties": False, "required": ["licence", "version"], "properties": {
                                "licence": {"type": "string", "title": "Licence", "description": "Licence des données."},
                                "licence_url": {"type": "string", "title": "Texte de la licence", "description": "Adresse du texte de la licence."},
                                "version": {"type": "string", "title": "Version", "description": "Version du contrat présentée, en mots : texte initial ou dernier avenant, et sa date."}}},
            "contract": {"$ref": "urn:contrat-de-ville:schema:contrat"},
            "axes": {"type": "array", "title": capital(first.brief_plural),
                     "description": f"Les {first.brief_plural}" + (", avec leurs " + " et leurs ".join(below) if below else "") + ".",
                     "items": item},
            **{c.name: items(c.schema, capital(c.plural)) for c in COLLECTIONS.values()
               if c.name not in HIERARCHY and c.name != "axes"},
        },
        "$defs": {kind: schema for kind, schema in defs.items()},
    }


def files(contract: Contract, publication: dict) -> dict[str, str | bytes]:
    """Every open-data file, keyed by its path in the site."""
    out: dict[str, str | bytes] = {urls.data_file("contrat.json"): export.to_json(contract, publication)}
    for sheet in (*contract.all("actions"), *contract.all("subactions")):
        out[urls.item_data(sheet, contract.structure)] = _dumps(dict(sheet.data))
    rows = export.rows_of(contract)
    published = export.tables_of(contract)
    for table in published.values():
        out[urls.data_file(table.file)] = export.csv_text(table, rows[table.name])
    out[urls.data_file(spreadsheet.FILE)] = spreadsheet.workbook(
        [(table, rows[name]) for name, table in published.items()], contract.meta["title"], _about(contract, publication))
    for kind in SCHEMA_KINDS:
        out[urls.data_file(f"schemas/{kind}.schema.json")] = _dumps(schema_for(kind))
    out[urls.data_file("schemas/export.schema.json")] = _dumps(export_schema(contract.structure))
    out[urls.data_file(PACKAGE)] = _dumps(datapackage(contract, publication))
    return out


def _about(contract: Contract, publication: dict) -> list[tuple[str, str]]:
    """The workbook's first sheet: what it holds and under which licence."""
    lines = [("Contrat", contract.meta["title"]), ("Version", publication.get("version", "")),
             ("Licence", publication.get("licence", "non précisée"))]
    if publication.get("licence_url"):
        lines.append(("Texte de la licence", publication["licence_url"]))
    lines.append(("Colonnes", f"décrites dans {PACKAGE} et sur la page « Données ouvertes » du site ; "
                              "chaque feuille reprend la table CSV du même nom"))
    return lines


def _name(text: str) -> str:
    """A Data Package name: lower-case letters, digits and dashes (accents folded)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or "contrat"


def datapackage(contract: Contract, publication: dict) -> dict:
    """The published files described as a Frictionless Data Package, with a Table Schema for each
    CSV table (the form schema.data.gouv.fr and Validata read)."""
    structure = contract.structure
    sheets = contract.all("actions")
    alone = ""
    if sheets:
        level = structure.level("actions")
        alone = (f"Chaque {level.short.lower()} existe aussi seul{level.e} : {level.folder}/{{numéro}}.json (par exemple "
                 f"{urls.item_data(sheets[0], structure).removeprefix(urls.data_file(''))}), de schéma "
                 f"schemas/{COLLECTIONS['actions'].schema}.schema.json.")
    resources: list[dict[str, Any]] = [
        {"name": tables.DOCUMENT, "path": "contrat.json", "format": "json", "mediatype": "application/json", "encoding": "utf-8",
         "title": "Le contrat entier",
         "description": capital(" › ".join(level.names for level in structure.levels)) + ", territoires, signataires, "
                        "gouvernance, annexes, tableaux statistiques, chiffres, "
                        + ("texte intégral" if contract.source is not None else "texte de la présentation") + ", avenants. Schéma JSON : "
                        "schemas/export.schema.json." + (" " + alone if alone else "")},
    ]
    for table in export.tables_of(contract).values():
        resources.append({
            "name": table.stem, "path": table.file, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "dialect": CSV_DIALECT,
            "title": table.description.rstrip("."), "description": table.description,
            "schema": {"fields": [{"name": col.name, "title": col.title, "type": col.type, "description": col.description}
                                  for col in table.columns],
                       **({"primaryKey": list(table.key)} if table.key else {})},
        })
    resources.append({
        "name": tables.WORKBOOK, "path": spreadsheet.FILE, "type": "file", "format": "xlsx",
        "mediatype": spreadsheet.MEDIATYPE, "title": "Les tables, en un classeur",
        "description": "Les mêmes tables que les fichiers CSV, pour un tableur : une feuille par table, du même nom "
                       f"que son fichier CSV, précédée d'une feuille « {spreadsheet.README} » ; titres de colonnes en "
                       "français, nombres en nombres."})
    package = {"profile": "data-package", "name": _name(contract.meta["title"]), "title": contract.meta["title"],
               "description": "Les données du contrat, publiées avec son site.", "resources": resources}
    if publication.get("version"):
        package["version"] = publication["version"]
    if publication.get("licence"):
        # A Data Package licence needs its address (path) or an identifier (name): the title folded, without one.
        package["licenses"] = [{"title": publication["licence"],
                                **({"path": publication["licence_url"]} if publication.get("licence_url")
                                   else {"name": _name(publication["licence"])})}]
    return package


def rows(contract: Contract) -> dict[str, int]:
    """Rows of each CSV table, by file name, for the open-data page."""
    counts = export.rows_of(contract)
    return {table.file: len(counts[name]) for name, table in export.tables_of(contract).items()}
