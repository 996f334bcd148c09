"""Amendments: every change to the data between two revisions must be declared by a new record.

Three kinds of change are told apart: an *avenant* (adopted and signed, it changes the contract)
and a *rectification* (a material error of the contract itself) are revisions of the contract,
in amendments/; a *correction de transcription* (our data did not match the signed text: it
changes the data, not the contract) is not a revision and lives apart, in corrections/, so that
it never enters the contract's history. Fields the schemas mark editorial (`x-editorial`: notes,
display forms, derived values, interpretations, source references) need no declaration, nor do the
entities whose whole schema is editorial (follow-up records).

check() compares what changed (diff.compare) with what the records added in that range declare;
draft() writes the amendment an editor would start from.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from generator.check.trace import is_text_field
from generator.core import registry
from generator.core.schemas import schema_for
from generator.revisions.diff import OPERATIONS, Change, Diff

COLLECTION = "amendments"
CORRECTIONS = "corrections"
RECORDS = registry.RECORDS
KINDS = {"avenant": "l'avenant", "rectification": "la rectification", "correction": "la correction de transcription"}
# What the draft leaves for the editor to fill in; validation refuses them (schema `x-placeholders`).
TODO, DATE_TODO = schema_for("amendment")["x-placeholders"]


@dataclass(frozen=True)
class Finding:
    file: str
    message: str


def _is_record(key: str) -> bool:
    return key.split("/")[0] in RECORDS


def kind_of(key: str, record: dict) -> str:
    return "correction" if key.startswith(CORRECTIONS + "/") else record.get("kind", "avenant")


def name_of(key: str, record: dict) -> str:
    """« l'avenant 2 », « la rectification 3 », « la correction de transcription 1 »."""
    return f"{KINDS.get(kind_of(key, record), KINDS['avenant'])} {record.get('id', '?')}"


def new_records(diff: Diff, head_entities: dict) -> list[tuple[str, dict]]:
    return [(c.key, head_entities[c.key]) for c in diff.changes if c.operation == "add" and _is_record(c.key)]


def data_changes(diff: Diff) -> list[Change]:
    return [c for c in diff.changes if not _is_record(c.key)]


def _strip_editorial(value, schema: dict):
    """The value without what the schema marks editorial (and without source references)."""
    if schema.get("x-editorial"):
        return None
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: _strip_editorial(v, props.get(k, {})) for k, v in value.items()
                if not k.endswith("source_lines") and not props.get(k, {}).get("x-editorial")}
    if isinstance(value, list):
        return [_strip_editorial(v, schema.get("items", {})) for v in value]
    return value


def editorial_only(change: Change) -> bool:
    """A modification of fields that are ours only (notes, derived values…), or any change to an entity
    that is ours as a whole (its schema is editorial: a follow-up record, information from outside the
    contract's text): no declaration needed."""
    kind = registry.schema_kind(change.key)
    if kind is None:
        return False
    if schema_for(kind).get("x-editorial"):
        return True
    if change.operation != "modify":
        return False
    props = schema_for(kind).get("properties", {})
    return all(_strip_editorial(f.old, props.get(f.field, {})) == _strip_editorial(f.new, props.get(f.field, {}))
               or f.field.endswith("source_lines") for f in change.fields)


def check(diff: Diff, head_entities: dict, prefix: str) -> tuple[list[Finding], list[str]]:
    """(findings, notes): findings are the mismatches between declared and actual changes."""
    changes = data_changes(diff)
    actual = {(c.key, c.operation, c.to): c for c in changes if not editorial_only(c)}
    records = new_records(diff, head_entities)
    edited = [c for c in diff.changes if _is_record(c.key) and c.operation != "add"]
    findings = [Finding(prefix + c.file, f"{name_of(c.key, head_entities.get(c.key, {'id': c.key.split('/')[1]}))} "
                                         "existait déjà : un enregistrement adopté ne se modifie pas ; déclarez la "
                                         "correction dans un nouvel enregistrement") for c in edited]
    notes = []
    if not actual:
        notes.append("Aucune modification des données du contrat dans cet intervalle"
                     + (" (en dehors des champs éditoriaux)." if changes else "."))
        return findings, notes
    if not records:
        findings += [Finding(prefix + c.file, f"{OPERATIONS[c.operation]} de {c.key}" + (f" → {c.to}" if c.to else "")
                             + f" non déclarée : aucun nouvel avenant ni nouvelle rectification dans {prefix}{COLLECTION}/, "
                               f"aucune nouvelle correction de transcription dans {prefix}{CORRECTIONS}/ "
                               "(lancez « contrat amendment draft » pour préparer un avenant)") for c in actual.values()]
        return findings, notes
    declared: dict[tuple, tuple] = {}
    for key, record in records:
        for item in record.get("changes", []):
            declared[(item.get("entity"), item.get("operation"), item.get("to"))] = (key, record)
    names = ", ".join(name_of(key, record) for key, record in records)
    for change_key, change in actual.items():
        if change_key not in declared:
            findings.append(Finding(prefix + change.file,
                                    f"{OPERATIONS[change.operation]} de {change.key}" + (f" → {change.to}" if change.to else "")
                                    + f" non déclarée dans {names}"
                                    + f" ; ajoutez à « changes » : {{entity: \"{change.key}\", operation: \"{change.operation}\""
                                    + (f", to: \"{change.to}\"" if change.to else "") + ", reason: \"…\"}"))
    every = {(c.key, c.operation, c.to) for c in changes}  # editorial changes may be declared too
    for declared_key, (record_key, record) in declared.items():
        if declared_key not in every:
            entity, operation, to = declared_key
            findings.append(Finding(prefix + f"{record_key}.yaml",
                                    f"{name_of(record_key, record)} déclare {OPERATIONS.get(operation, operation)} de {entity}"
                                    + (f" → {to}" if to else "") + ", mais les données ne montrent pas cette modification"))
    if not findings:
        corrections = [r.get("id", "?") for k, r in records if kind_of(k, r) == "correction"]
        notes.append(f"{len(actual)} modification(s) déclarée(s) par {names} : conforme."
                     + (f" Les corrections de transcription ({', '.join(corrections)}) ne sont pas des révisions du "
                        "contrat : elles n'entrent pas dans son historique." if corrections else ""))
    return findings, notes


def next_number(head_entities: dict) -> int:
    numbers = [int(k.split("/")[1]) for k in head_entities if k.startswith(COLLECTION + "/") and k.split("/")[1].isdigit()]
    return max(numbers, default=0) + 1


def draft(diff: Diff, head_entities: dict, schema_path: str, base_entities: dict | None = None) -> tuple[str, str]:
    """(file name, YAML text) of a draft amendment declaring every data change of `diff`, with the
    new wording of each changed text and the source lines of each removed entity."""
    number = next_number(head_entities)
    lines = [f"# yaml-language-server: $schema={schema_path}",
             f"# Brouillon généré par « contrat amendment draft » : remplacez chaque « {TODO} » et « {DATE_TODO} ».",
             "# Une erreur de nos données par rapport au texte signé n'est pas un avenant : déclarez-la dans",
             "# contract/corrections/ (correction de transcription).",
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
        if editorial_only(c):
            continue
        to = f', to: "{c.to}"' if c.to else ""
        lines.append(f'  - {{entity: "{c.key}", operation: "{c.operation}"{to}, reason: "{TODO}"}}')
        wording = _wording(c, head_entities.get(c.to or c.key, {}))
        if wording:
            lines[-1] = lines[-1][:-1] + ","
            lines.append("     wording: {" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in wording.items()) + "}}")
        old = (base_entities or {}).get(c.key, {})
        if c.operation == "remove" and isinstance(old.get("source_lines"), str):
            lines[-1] = lines[-1][:-1] + f', source_lines: "{old["source_lines"]}"}}'
    return f"{number}.yaml", "\n".join(lines) + "\n"


def _wording(change: Change, data: dict) -> dict[str, str]:
    """New text of each transcribed top-level field the change adds or modifies."""
    kind = registry.schema_kind(change.key)
    props = schema_for(kind).get("properties", {}) if kind else {}
    names = list(data) if change.operation == "add" else [f.field for f in change.fields]
    return {n: data[n] for n in names if isinstance(data.get(n), str) and is_text_field(props.get(n, {}))}
