"""Commands over git revisions: `contrat diff` and `contrat amendment check|draft`."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from generator.revisions import amendment, diff, gitrepo


def _diff(contract: Path, base: str, head: str | None):
    where = gitrepo.location(contract)
    old = diff.git_snapshot(where.repo, base, where.path)
    new = diff.git_snapshot(where.repo, head, where.path) if head else diff.read_snapshot(contract, "copie de travail")
    return diff.compare(old, new), old, new, where


def run(args) -> int:
    try:
        if args.command == "diff":
            result, _, _, where = _diff(args.contract, args.base, args.head)
            for change in result.changes:
                change.file = where.join(change.file)
            render = {"text": diff.to_text, "markdown": diff.to_markdown, "json": diff.to_json}[args.format]
            sys.stdout.write(render(result) + ("" if args.format == "json" else "\n"))
            return 0
        result, base, head, where = _diff(args.contract, args.base, None)
    except gitrepo.GitError as exc:
        print(f"contrat : {exc}", file=sys.stderr)
        return 2
    if args.action == "draft":
        if not amendment.data_changes(result):
            print(f"Aucune modification des données depuis {args.base} : pas d'avenant à préparer.")
            return 0
        name, text = amendment.draft(result, head.entities, "../../schemas/amendment.schema.json", base.entities)
        target = args.contract / amendment.COLLECTION / name
        if target.parent.is_symlink():
            print(f"contrat : {target.parent} est un lien symbolique : le brouillon n'est pas écrit", file=sys.stderr)
            return 1
        target.parent.mkdir(exist_ok=True)
        try:  # never through a link, never over an existing file
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except FileExistsError:
            print(f"contrat : {target} existe déjà", file=sys.stderr)
            return 1
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        print(f"Brouillon d'avenant écrit dans {target} : remplacez chaque « {amendment.TODO} » et "
              f"« {amendment.DATE_TODO} », puis lancez « contrat amendment check ».")
        return 0
    findings, notes = amendment.check(result, head.entities, where.join(""))
    problems = head.problems
    for p in problems:
        print(where.join(p.text()))
    for f in findings:
        print(f"{f.file}: {f.message}")
    for note in notes:
        print(note)
    if findings or problems:
        print(f"Vérification des avenants depuis {args.base} : {len(findings) + len(problems)} problème(s).")
        return 1
    return 0
