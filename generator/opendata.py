"""Open data published with the site: the whole contract as JSON, CSV tables, one JSON per sheet,
the schemas, and a catalogue describing every file and column. Pure: returns {path: text}.
"""
from __future__ import annotations

import copy
import json

from . import export
from .model import Contract
from .validate import schema_for

FOLDER = "donnees"
SCHEMA_KINDS = ("contrat", "section", "axis", "objective", "action", "territory", "statistics", "signatory",
                "governance", "annex", "figure", "amendment", "correction")
EXPORT_SCHEMA_ID = "urn:contrat-de-ville:schema:export"


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def sheet_path(action_id: str) -> str:
    return f"{FOLDER}/fiches/{action_id}.json"


def export_schema() -> dict:
    """The schema of contrat.json, self-contained: every entity schema is embedded under $defs."""
    defs = {kind: schema_for(kind) for kind in SCHEMA_KINDS}

    def with_children(kind: str, key: str, child: dict, title: str) -> dict:
        schema = copy.deepcopy(defs[kind])
        for k in ("$schema", "$id", "examples"):
            schema.pop(k, None)
        schema["properties"][key] = {"type": "array", "title": title, "description": f"{title}, dans l'ordre.", "items": child}
        schema["required"] = schema["required"] + [key]
        return schema

    objective = with_children("objective", "actions", {"$ref": "urn:contrat-de-ville:schema:action"}, "Fiches actions")
    axis = with_children("axis", "objectives", objective, "Objectifs opérationnels")

    def items(kind, title):
        return {"type": "array", "title": title, "description": f"{title} du contrat.",
                "items": {"$ref": f"urn:contrat-de-ville:schema:{kind}"}}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": EXPORT_SCHEMA_ID,
        "title": "Contrat de ville, données ouvertes",
        "description": "Le contrat entier : axes › objectifs › fiches actions, territoires, signataires, gouvernance, "
                       "annexes, tableaux, chiffres, texte, avenants, et les conditions de publication.",
        "type": "object", "additionalProperties": False,
        "required": ["contract", "axes", "territories", "signatories", "amendments"],
        "properties": {
            "publication": {"type": "object", "title": "Publication", "description": "Licence et version des données.",
                            "additionalProperties": False, "required": ["licence", "version"], "properties": {
                                "licence": {"type": "string", "title": "Licence", "description": "Licence des données."},
                                "licence_url": {"type": "string", "title": "Texte de la licence", "description": "Adresse du texte de la licence."},
                                "version": {"type": "string", "title": "Version", "description": "Version du contrat : dernier avenant, commit source."}}},
            "contract": {"$ref": "urn:contrat-de-ville:schema:contrat"},
            "axes": {"type": "array", "title": "Axes", "description": "Les axes, avec leurs objectifs et leurs fiches.", "items": axis},
            "territories": items("territory", "Territoires"),
            "signatories": items("signatory", "Signataires"),
            "governance": items("governance", "Instances de gouvernance"),
            "annexes": items("annex", "Annexes"),
            "statistics": items("statistics", "Tableaux statistiques"),
            "figures": items("figure", "Séries de chiffres"),
            "sections": items("section", "Sections du texte"),
            "amendments": items("amendment", "Avenants"),
            "corrections": items("correction", "Corrections de transcription"),
        },
        "$defs": {kind: schema for kind, schema in defs.items()},
    }


def files(contract: Contract, publication: dict) -> dict[str, str]:
    """Every open-data file, keyed by its path in the site."""
    out = {f"{FOLDER}/contrat.json": export.to_json(contract, publication)}
    for action in contract.all("actions"):
        out[sheet_path(action.id)] = _dumps(dict(action.data))
    for table in export.TABLES.values():
        out[f"{FOLDER}/{table.file}"] = export.to_csv(contract, table.name)
    for kind in SCHEMA_KINDS:
        out[f"{FOLDER}/schemas/{kind}.schema.json"] = _dumps(schema_for(kind))
    out[f"{FOLDER}/schemas/export.schema.json"] = _dumps(export_schema())
    out[f"{FOLDER}/catalogue.json"] = _dumps(catalogue(contract, publication))
    return out


def catalogue(contract: Contract, publication: dict) -> dict:
    files_ = [
        {"path": "contrat.json", "format": "JSON", "schema": "schemas/export.schema.json",
         "description": "Le contrat entier : axes › objectifs › fiches actions, territoires, signataires, gouvernance, "
                        "annexes, tableaux statistiques, chiffres, texte intégral, avenants."},
        {"path": "fiches/{numéro}.json", "format": "JSON", "schema": "schemas/action.schema.json",
         "description": f"Une fiche action par fichier ({len(contract.all('actions'))} fichiers), par exemple fiches/"
                        f"{contract.all('actions')[0].id}.json." if contract.all("actions") else "Une fiche action par fichier."},
    ]
    for table in export.TABLES.values():
        files_.append({"path": table.file, "format": "CSV (UTF-8, séparateur virgule)", "description": table.description,
                       "rows": sum(1 for _ in table.rows(contract)),
                       "columns": [{"name": n, "description": d} for n, d in table.columns]})
    files_.append({"path": "schemas/", "format": "JSON Schema 2020-12",
                   "description": "Les schémas de chaque type d'entité et celui de contrat.json."})
    return {"title": contract.meta["title"], **publication, "files": files_}
