"""Commands over git revisions: `contrat diff` and `contrat amendment check|draft`."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from . import amendment, diff


def _repo_and_path(contract: Path) -> tuple[Path, str]:
    top = subprocess.run(["git", "-C", str(contract if contract.is_dir() else contract.parent), "rev-parse", "--show-toplevel"],
                         capture_output=True, text=True)
    if top.returncode != 0:
        raise ValueError(f"« {contract} » n'est pas dans un dépôt git")
    repo = Path(top.stdout.strip())
    return repo, contract.resolve().relative_to(repo.resolve()).as_posix()


def _diff(contract: Path, base: str, head: str | None):
    repo, path = _repo_and_path(contract)
    old = diff.git_snapshot(repo, base, path)
    new = diff.git_snapshot(repo, head, path) if head else diff.read_snapshot(contract, "copie de travail")
    return diff.compare(old, new), old, new, path


def run(args) -> int:
    try:
        if args.command == "diff":
            result, _, _, path = _diff(args.contract, args.base, args.head)
            for change in result.changes:
                change.file = f"{path}/{change.file}"
            render = {"text": diff.to_text, "markdown": diff.to_markdown, "json": diff.to_json}[args.format]
            sys.stdout.write(render(result) + ("" if args.format == "json" else "\n"))
            return 0
        result, base, head, path = _diff(args.contract, args.base, None)
    except ValueError as exc:
        print(f"contrat : {exc}", file=sys.stderr)
        return 2
    if args.action == "draft":
        if not amendment.data_changes(result):
            print(f"Aucune modification des données depuis {args.base} : pas d'avenant à préparer.")
            return 0
        name, text = amendment.draft(result, head.entities, "../../schemas/amendment.schema.json", base.entities)
        target = args.contract / amendment.COLLECTION / name
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            print(f"contrat : {target} existe déjà", file=sys.stderr)
            return 1
        target.write_text(text, encoding="utf-8")
        print(f"Brouillon d'avenant écrit dans {target} : complétez les champs « À COMPLÉTER », puis "
              "lancez « contrat amendment check ».")
        return 0
    findings, notes = amendment.check(result, head.entities, path + "/")
    problems = head.problems
    for p in problems:
        print(f"{path}/{p.text()}")
    for f in findings:
        print(f"{f.file}: {f.message}")
    for note in notes:
        print(note)
    if findings or problems:
        print(f"Vérification des avenants depuis {args.base} : {len(findings) + len(problems)} problème(s).")
        return 1
    return 0
