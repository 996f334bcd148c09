"""Semantic diff: two versions of a contract compared as data, not as text.

A version is read with the strict loader only (no schema needed), so that a side with
invalid data is still compared, and its problems are reported instead of crashing.
Entities are keyed by "collection/id"; contrat.yaml is "contrat".
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generator.check import pipeline
from generator.check.tree import Tree
from generator.core.model import natural_key
from generator.core.problems import Problem, printable
from generator.core.registry import COLLECTIONS
from generator.revisions import gitrepo
from generator.revisions.trees import from_git

LONG_TEXT = 40  # characters from which a changed text is shown as a word diff


@dataclass
class Snapshot:
    label: str
    entities: dict[str, dict]             # "actions/1.1.3" -> data
    files: dict[str, str]                 # key -> file path inside the contract directory
    problems: list[Problem] = field(default_factory=list)


@dataclass
class FieldChange:
    field: str
    old: object
    new: object
    words: list | None = None             # [[op, text], …] for long texts: op is "=", "-" or "+"


@dataclass
class Change:
    key: str
    operation: str                        # add | remove | modify | renumber
    file: str
    to: str | None = None
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class Diff:
    base: str
    head: str
    changes: list[Change]
    problems: dict[str, list[Problem]]    # side label -> problems found in its data


def read_snapshot(contract: Path | Tree, label: str, validate: bool = True) -> Snapshot:
    """A version of the contract (a folder on disk or a tree read from git): its entities as
    loaded, and the problems of its data, if any (without `validate`, only those of reading it)."""
    snap = Snapshot(label, {}, {})
    reading = pipeline.read(contract, shown="")  # files named relative to the contract directory
    for path, kind, doc in reading.files:
        if doc is None or not isinstance(doc.data, dict):
            continue
        collection = path.parent.name
        key = "contrat" if kind == "contrat" else f"{collection}/{doc.data.get('id', path.stem)}"
        snap.entities[key] = doc.data
        snap.files[key] = doc.file
    if validate:
        snap.problems = pipeline.check(contract, reading).problems if reading.tree.exists else []
    else:  # what reading itself found (links refused, files unreadable or not YAML), no schema
        snap.problems = reading.problems
    return snap


def git_snapshot(repo: Path, rev: str, contract_path: str) -> Snapshot:
    """The contract folder as it is at a git revision, read from git objects (an empty contract
    if it did not exist). Raises gitrepo.GitError for a revision git does not know."""
    tree = from_git(repo, gitrepo.commit(repo, rev), contract_path)
    return read_snapshot(tree, rev) if tree.exists else Snapshot(rev, {}, {})


def compare(base: Snapshot, head: Snapshot) -> Diff:
    added = sorted(set(head.entities) - set(base.entities), key=_order)
    removed = sorted(set(base.entities) - set(head.entities), key=_order)
    changes: list[Change] = []
    for old in list(removed):  # same content under a new number in the same collection: a renumbering
        match = next((new for new in added if new.split("/")[0] == old.split("/")[0]
                      and _without_numbering(base.entities[old]) == _without_numbering(head.entities[new])), None)
        if match:
            added.remove(match)
            removed.remove(old)
            fields = _field_changes(base.entities[old], head.entities[match])
            changes.append(Change(old, "renumber", head.files[match], to=match, fields=fields))
    changes += [Change(k, "add", head.files[k]) for k in added]
    changes += [Change(k, "remove", base.files[k]) for k in removed]
    for key in sorted(set(base.entities) & set(head.entities), key=_order):
        fields = _field_changes(base.entities[key], head.entities[key])
        if fields:
            changes.append(Change(key, "modify", head.files[key], fields=fields))
    changes.sort(key=lambda c: _order(c.key))
    return Diff(base.label, head.label, changes,
                {label: problems for label, problems in ((base.label, base.problems), (head.label, head.problems)) if problems})


def _order(key: str):
    collection, _, id_ = key.partition("/")
    rank = (["contrat"] + list(COLLECTIONS)).index(collection) if collection in COLLECTIONS or collection == "contrat" else 99
    return rank, natural_key(id_)


_NUMBERING_FIELDS = ("id", "objective", "axis", "order", "number", "label", "source_lines")


def _without_numbering(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in _NUMBERING_FIELDS}


def _field_changes(old: dict, new: dict) -> list[FieldChange]:
    out = []
    for name in sorted(set(old) | set(new), key=lambda n: (n not in old, n)):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        words = word_diff(a, b) if isinstance(a, str) and isinstance(b, str) and max(len(a), len(b)) >= LONG_TEXT else None
        out.append(FieldChange(name, a, b, words))
    return out


def word_diff(old: str, new: str) -> list[list[str]]:
    a, b = old.split(" "), new.split(" ")
    out: list[list[str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(["=", " ".join(a[i1:i2])])
            continue
        if i2 > i1:
            out.append(["-", " ".join(a[i1:i2])])
        if j2 > j1:
            out.append(["+", " ".join(b[j1:j2])])
    return out


# -- reporters ---------------------------------------------------------------------------------

OPERATIONS = {"add": "ajout", "remove": "suppression", "modify": "modification", "renumber": "renumérotation"}


def _value(value) -> str:
    if value is None:
        return "(absent)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = text.replace("\n", " ⏎ ")
    return f"« {text if len(text) <= 200 else text[:197] + '…'} »"


def _words(words) -> str:
    return " ".join(t if op == "=" else (f"[-{t}-]" if op == "-" else f"{{+{t}+}}") for op, t in words)


def to_text(diff: Diff) -> str:
    lines = [f"Différences entre {diff.base} et {diff.head} : {len(diff.changes)} entité(s) concernée(s)."]
    for label, problems in diff.problems.items():
        lines.append(f"Attention : les données de {label} comportent {len(problems)} problème(s) ; "
                     "la comparaison porte sur ce qui a pu être lu.")
        lines += [f"  {p.text()}" for p in problems[:20]]
    for c in diff.changes:
        head = f"{OPERATIONS[c.operation]} : {c.key}" + (f" → {c.to}" if c.to else "") + f" ({c.file})"
        lines.append(head)
        for f in c.fields:
            if f.words:
                lines.append(f"  {f.field} : {_words(f.words)}")
            else:
                lines.append(f"  {f.field} : {_value(f.old)} → {_value(f.new)}")
    if not diff.changes:
        lines.append("Aucune différence dans les données du contrat.")
    return "\n".join(lines)


def _md_text(text: str) -> str:
    """Text from the data as inert Markdown: one line, no markup, no HTML (for a CI summary)."""
    return re.sub(r"([\\`*_\[\]<>|~&])", r"\\\1", printable(str(text)))


def _md_code(text: str) -> str:
    """An id or file name as a code span that its own backticks or line breaks cannot end."""
    text = printable(str(text)).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def to_markdown(diff: Diff) -> str:
    lines = [f"### Modifications du contrat : {_md_code(diff.base)} → {_md_code(diff.head)}", ""]
    for label, problems in diff.problems.items():
        lines += [f"> **Attention** : les données de {_md_code(label)} comportent {len(problems)} problème(s).", ""]
    if not diff.changes:
        return "\n".join(lines + ["Aucune différence dans les données du contrat.", ""])
    lines += ["| Entité | Opération | Fichier |", "| --- | --- | --- |"]
    for c in diff.changes:
        target = _md_code(c.key) + (f" → {_md_code(c.to)}" if c.to else "")
        lines.append(f"| {target} | {OPERATIONS[c.operation]} | {_md_code(c.file)} |")
    for c in diff.changes:
        if not c.fields:
            continue
        lines += ["", f"#### {_md_code(c.key)}" + (f" → {_md_code(c.to)}" if c.to else ""), ""]
        for f in c.fields:
            if f.words:
                shown = " ".join(_md_text(t) if op == "=" else (f"~~{_md_text(t)}~~" if op == "-" else f"**{_md_text(t)}**")
                                 for op, t in f.words)
                lines.append(f"- **{_md_text(f.field)}** : {shown}")
            else:
                lines.append(f"- **{_md_text(f.field)}** : {_md_text(_value(f.old))} → {_md_text(_value(f.new))}")
    return "\n".join(lines) + "\n"


def to_json(diff: Diff) -> str:
    data = asdict(diff)
    data["problems"] = {k: [asdict(p) for p in v] for k, v in diff.problems.items()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
