"""Amendments: every change to the data between two revisions must be declared by a new amendment.

check() compares what changed (diff.compare) with what the amendments added in that range
declare; draft() writes the amendment an editor would start from.
"""
from __future__ import annotations

from dataclasses import dataclass

from .diff import OPERATIONS, Change, Diff
from .validate import schema_for

COLLECTION = "amendments"
# What the draft leaves for the editor to fill in; validation refuses them (schema `x-placeholders`).
TODO, DATE_TODO = schema_for("amendment")["x-placeholders"]


@dataclass(frozen=True)
class Finding:
    file: str
    message: str


def new_amendments(diff: Diff, head_entities: dict) -> list[dict]:
    return [head_entities[c.key] for c in diff.changes
            if c.operation == "add" and c.key.startswith(COLLECTION + "/")]


def data_changes(diff: Diff) -> list[Change]:
    return [c for c in diff.changes if not c.key.startswith(COLLECTION + "/")]


def check(diff: Diff, head_entities: dict, prefix: str) -> tuple[list[Finding], list[str]]:
    """(findings, notes): findings are the mismatches between declared and actual changes."""
    actual = {(c.key, c.operation, c.to): c for c in data_changes(diff)}
    amendments = new_amendments(diff, head_entities)
    edited = [c for c in diff.changes if c.key.startswith(COLLECTION + "/") and c.operation != "add"]
    findings = [Finding(prefix + c.file, f"l'avenant {c.key.split('/')[1]} existait déjà : une révision adoptée ne se modifie "
                                         "pas ; déclarez la correction dans un nouvel avenant") for c in edited]
    notes = []
    if not actual:
        notes.append("Aucune modification des données du contrat dans cet intervalle.")
        return findings, notes
    if not amendments:
        findings += [Finding(prefix + c.file, f"{OPERATIONS[c.operation]} de {c.key}" + (f" → {c.to}" if c.to else "")
                             + " non déclarée : aucun nouvel avenant dans contract/amendments/ "
                               "(lancez « contrat amendment draft » pour le préparer)") for c in actual.values()]
        return findings, notes
    declared = {}
    for amendment in amendments:
        for item in amendment.get("changes", []):
            declared[(item.get("entity"), item.get("operation"), item.get("to"))] = amendment
    for key, change in actual.items():
        if key not in declared:
            findings.append(Finding(prefix + change.file,
                                    f"{OPERATIONS[change.operation]} de {change.key}" + (f" → {change.to}" if change.to else "")
                                    + " non déclarée dans l'avenant "
                                    + ", ".join(a.get("id", "?") for a in amendments)
                                    + f" ; ajoutez à « changes » : {{entity: \"{change.key}\", operation: \"{change.operation}\""
                                    + (f", to: \"{change.to}\"" if change.to else "") + ", reason: \"…\"}"))
    for key, amendment in declared.items():
        if key not in actual:
            entity, operation, to = key
            findings.append(Finding(prefix + f"{COLLECTION}/{amendment.get('id')}.yaml",
                                    f"l'avenant {amendment.get('id')} déclare {OPERATIONS.get(operation, operation)} de {entity}"
                                    + (f" → {to}" if to else "") + ", mais les données ne montrent pas cette modification"))
    if not findings:
        notes.append(f"{len(actual)} modification(s) déclarée(s) par l'avenant "
                     + ", ".join(a.get("id", "?") for a in amendments) + " : conforme.")
    return findings, notes


def next_number(head_entities: dict) -> int:
    numbers = [int(k.split("/")[1]) for k in head_entities if k.startswith(COLLECTION + "/") and k.split("/")[1].isdigit()]
    return max(numbers, default=0) + 1


def draft(diff: Diff, head_entities: dict, schema_path: str) -> tuple[str, str]:
    """(file name, YAML text) of a draft amendment declaring every data change of `diff`."""
    number = next_number(head_entities)
    lines = [f"# yaml-language-server: $schema={schema_path}",
             f"# Brouillon généré par « contrat amendment draft » : remplacez chaque « {TODO} » et « {DATE_TODO} ».",
             f'id: "{number}"',
             'kind: "avenant"            # ou "rectification" pour une erreur matérielle (sans signataires)',
             f'title: "Avenant n°{number} au contrat de ville"',
             f'date: "{DATE_TODO}"         # date d\'adoption',
             "decisions:",
             f'  - {{body: "{TODO} : instance", date: "{DATE_TODO}", reference: "{TODO}"}}',
             "signatories: []            # identifiants des signataires",
             "summary: |",
             f"  {TODO} : ce que change l'avenant et pourquoi.",
             "changes:"]
    for c in data_changes(diff):
        to = f', to: "{c.to}"' if c.to else ""
        lines.append(f'  - {{entity: "{c.key}", operation: "{c.operation}"{to}, reason: "{TODO}"}}')
    return f"{number}.yaml", "\n".join(lines) + "\n"
