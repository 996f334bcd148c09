"""The names of the open-data tables: a public interface (« donnees/<name>.csv », people link to the files; a
sheet of the workbook; a resource of the data package), owned here.

A level of the strategy has its table under the name its contract declares (`table`, by default its folder);
the items that carry a sheet's rubrics (`Structure.sheets`) have three more, one row per relation, named after
their folder (« fiches-acteurs »).
A slot the contract does not declare has no table. The others are the engine's, fixed. The check stage
refuses a level's name that another table has (CV343); generator/publish/export.py writes the tables.
"""
from __future__ import annotations

from generator.core.structure import Level, Structure

# The tables that are no level's, by their key in the export.
FIXED = {"territories": "territoires", "statistics": "statistiques", "figures": "chiffres",
         "signatories": "signataires", "signatory_amounts": "signataires-montants", "governance": "gouvernance",
         "commitments": "engagements", "projects": "projets", "follow_ups": "suivis",
         "follow_up_figures": "suivis-chiffres"}
RELATIONS = {"actors": "acteurs", "sheet_territories": "territoires", "sheet_funding": "financements"}
DOCUMENT, WORKBOOK = "contrat", "classeur"  # the data package's other resources: contrat.json, the workbook
LONGEST = 31  # characters: the longest name of a workbook's sheet


def of_level(level: Level, structure: Structure) -> dict[str, str]:
    """The tables of a level of `structure`, by their key in the export: its own (the slot's key), then its
    relations' when its items carry the sheet's rubrics."""
    own = {level.slot: level.table}
    if level.slot == structure.sheets:
        own |= {key: f"{level.folder}-{relation}" for key, relation in RELATIONS.items()}
    return own


def names(structure: Structure) -> dict[str, str]:
    """Every table a contract of that structure publishes, by its key in the export: the levels' own, the
    deepest first, then the fixed ones."""
    out: dict[str, str] = {}
    for level in reversed(structure.levels):
        out |= of_level(level, structure)
    return out | FIXED
