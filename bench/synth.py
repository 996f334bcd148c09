"""Synthetic contracts at a scale factor, valid against the schemas, built from the real one.

×1 has the real contract's shape and text volume; ×k repeats its axes (with their objectives
and sheets), prose sections, territories, signatories and governance bodies k times, renumbered,
so that text volume and page count grow k-fold.
"""
from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _dump(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def generate(scale: int, target: Path, source: Path = ROOT / "contract") -> Path:
    """Write a ×`scale` contract into `target` (replaced) and return it."""
    shutil.rmtree(target, ignore_errors=True)
    meta = _load(source / "contrat.yaml")
    axes = sorted((_load(p) for p in (source / "axes").glob("*.yaml")), key=lambda a: (not a["id"].isdigit(), a["id"]))
    strategic = [a for a in axes if a["kind"] == "strategique"]
    objectives = [_load(p) for p in (source / "objectives").glob("*.yaml")]
    actions = [_load(p) for p in (source / "actions").glob("*.yaml")]
    n = len(strategic)

    def axis_id(copy: int, old: str) -> str:
        return str(copy * n + int(old))

    for copy in range(scale):
        for axis in axes:
            if axis["kind"] != "strategique" and copy:
                continue
            new = dict(axis, id=axis_id(copy, axis["id"]) if axis["kind"] == "strategique" else axis["id"])
            _dump(target / "axes" / f"{new['id']}.yaml", new)
        for o in objectives:
            a_id = axis_id(copy, o["axis"])
            new = dict(o, id=f"{a_id}.{o['id'].split('.')[1]}", axis=a_id)
            if "context" in new:  # references in prose follow the renumbering
                new["context"] = re.sub(r"\baxe (\d+)\.", lambda m: f"axe {axis_id(copy, m.group(1))}.", new["context"])
            _dump(target / "objectives" / f"{new['id']}.yaml", new)
        for a in actions:
            first, rest = a["id"].split(".", 1)
            a_id = axis_id(copy, first)
            new = dict(a, id=f"{a_id}.{rest}", objective=f"{a_id}.{a['objective'].split('.')[1]}")
            _dump(target / "actions" / f"{new['id']}.yaml", new)

    def copies(folder: str, rename):
        items = [_load(p) for p in sorted((source / folder).glob("*.yaml"))]
        for copy in range(scale):
            for item in items:
                new = rename(dict(item), copy)
                _dump(target / folder / f"{new['id']}.yaml", new)

    def suffix(item, copy, refs=()):
        if copy:
            item["id"] = f"{item['id']}-x{copy}"
            for key in refs:
                if isinstance(item.get(key), list):
                    item[key] = [f"{v}-x{copy}" for v in item[key]]
        return item

    sections = [_load(p) for p in (source / "sections").glob("*.yaml")]
    per_part = {}
    for s in sections:
        per_part.setdefault(s["part"], []).append(s)
    for part, items in per_part.items():
        items.sort(key=lambda s: s["order"])
        order = 0
        for copy in range(scale):
            for s in items:
                order += 1
                new = dict(s, order=order, id=s["id"] if not copy else f"{s['id']}-x{copy}")
                if "body" in new:  # prose cites axes 1-5 and sheets: keep them valid in every copy
                    new["body"] = re.sub(r"axe stratégique (\d+)", lambda m: f"axe stratégique {axis_id(copy, m.group(1))}", new["body"])
                _dump(target / "sections" / f"{new['id']}.yaml", new)
    section_ids = {s["id"] for s in sections}

    def section_of(value, copy):
        return value if not copy or value not in section_ids else f"{value}-x{copy}"

    copies("territories", lambda t, c: suffix(t, c, ("related",)))
    copies("signatories", lambda s, c: _fix_quotes(suffix(s, c), c, section_of))
    copies("governance", lambda g, c: dict(suffix(g, c, ("signatories",)), section=section_of(g["section"], c)))
    for folder in ("annexes", "statistics", "figures", "source"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder)
    for key in ("source_document", "not_content"):  # copies renumbered at scale are not a transcription
        meta.pop(key, None)
    for count in meta["counts"]:
        if count["entity"] in ("axes", "objectives", "actions", "territories", "signatories"):
            count["expected"] *= scale
    meta.pop("source_document", None)  # a synthetic contract is transcribed from no document: it names its source
    meta["sources"] = [{"title": f"Contrat synthétique ×{scale}, fait de copies du contrat réel (bench/synth.py)",
                        "url": "https://example.org/contrat-synthetique", "consulted": "2026-01-01"}]
    _dump(target / "contrat.yaml", meta)
    return target


def _fix_quotes(item, copy, section_of):
    for key in ("commitments", "programmes", "amounts"):
        for q in item.get(key, []):
            if "section" in q:
                q["section"] = section_of(q["section"], copy)
    return item


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Écrire un contrat synthétique à une échelle donnée.")
    parser.add_argument("scale", type=int)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    print(generate(args.scale, args.target))
