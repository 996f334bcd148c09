"""Cost of revisions: the git history and the past versions of a contract with amendments.

Default: for 1 to N amendments on a ×10 contract (each a committed rectification changing three
sheet titles and a word of the text), measures in this process: history.collect (git snapshots
and data diffs), the versions (the contract as it stood after each amendment) and the rendering
of their pages. With --many N: N small committed rectifications (one sheet title each) on a ×1
contract, measured once with the git processes started and the peak of Python memory.
Median of several runs; prints the machine. Nothing here asserts.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import machine  # noqa: E402
from synth import generate  # noqa: E402

from generator.revisions import history

from generator.revisions import versions  # noqa: E402
from generator.check.pipeline import check  # noqa: E402
from generator.site.render import Inputs, version_pages  # noqa: E402


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def amend(contract: Path, number: int) -> None:
    """A rectification changing three sheet titles and one section's text."""
    sheets = sorted((contract / "actions").glob("*.yaml"))[number * 7: number * 7 + 3]
    changes = []
    for path in sheets:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["title"] += f" (rectifié n°{number})"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        changes.append({"entity": f"actions/{data['id']}", "operation": "modify", "reason": "essai"})
    section = sorted((contract / "sections").glob("*.yaml"))[number]
    data = yaml.safe_load(section.read_text(encoding="utf-8"))
    if data.get("body"):
        data["body"] = data["body"].replace(" ", f" rectifié{number} ", 1)
        section.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        changes.append({"entity": f"sections/{data['id']}", "operation": "modify", "reason": "essai"})
    (contract / "amendments").mkdir(exist_ok=True)
    amendment = {"id": str(number), "kind": "rectification", "title": f"Rectification n°{number}",
                 "date": f"2016-0{number}-01", "summary": "Essai de mesure.\n", "changes": changes}
    (contract / "amendments" / f"{number}.yaml").write_text(yaml.safe_dump(amendment, allow_unicode=True, sort_keys=False),
                                                            encoding="utf-8")


def small_amend(contract: Path, number: int) -> None:
    """A rectification changing one sheet title (sheets taken in turn)."""
    sheets = sorted((contract / "actions").glob("*.yaml"))
    path = sheets[number % len(sheets)]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["title"] = data["title"].split(" (rectifié")[0] + f" (rectifié n°{number})"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (contract / "amendments").mkdir(exist_ok=True)
    amendment = {"id": str(number), "kind": "rectification", "title": f"Rectification n°{number}",
                 "date": (date(2016, 1, 1) + timedelta(days=number)).isoformat(), "summary": "Essai de mesure.\n",
                 "changes": [{"entity": f"actions/{data['id']}", "operation": "modify", "reason": "essai"}]}
    (contract / "amendments" / f"{number}.yaml").write_text(yaml.safe_dump(amendment, allow_unicode=True, sort_keys=False),
                                                            encoding="utf-8")


def many(count: int) -> None:
    """N small amendments, each in its own commit: time, git processes and memory of the versions."""
    print(f"Contrat ×1, {count} rectifications commitées une à une (un intitulé de fiche chacune).\n")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "depot"
        contract = generate(1, repo / "contract")
        git(repo, "init", "-q", "-b", "main")
        who = ("-c", "user.email=bench@example.org", "-c", "user.name=bench")
        git(repo, *who, "add", "-A")
        git(repo, *who, "commit", "-qm", "initial")
        for number in range(1, count + 1):
            small_amend(contract, number)
            git(repo, "add", "-A")
            git(repo, *who, "commit", "-qm", f"rectification {number}")
        model = check(contract).contract
        started = []
        real_run = subprocess.run

        def counted(args, *rest, **kwargs):
            if args and args[0] == "git":
                started.append(args)
            return real_run(args, *rest, **kwargs)

        subprocess.run = counted
        tracemalloc.start()
        try:
            start = time.perf_counter()
            past = history.collect(contract, model)
            collected = time.perf_counter()
            shown = versions.versions(model, past)
            computed = time.perf_counter()
            pages = version_pages(Inputs(model, past, tuple(shown)))
            rendered = time.perf_counter()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
            subprocess.run = real_run
        print("| avenants | versions | pages | processus git | historique git | versions | rendu des versions | total | pic mémoire Python |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        print(f"| {count} | {len(shown)} | {len(pages)} | {len(started)} | {collected - start:.2f} s | {computed - collected:.2f} s | "
              f"{rendered - computed:.2f} s | {rendered - start:.2f} s | {peak / 1e6:.0f} Mo |")


def measure(contract: Path) -> dict:
    model = check(contract).contract
    start = time.perf_counter()
    past = history.collect(contract, model)
    collected = time.perf_counter()
    shown = versions.versions(model, past)
    computed = time.perf_counter()
    pages = len(version_pages(Inputs(model, past, tuple(shown))))
    rendered = time.perf_counter()
    return {"history": collected - start, "versions": computed - collected, "pages_s": rendered - computed,
            "pages": pages, "count": len(shown)}


def main() -> None:
    parser = argparse.ArgumentParser(description="Mesurer le coût des versions successives d'un contrat ×10.")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--amendments", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--many", type=int, default=0, help="N petites rectifications sur un contrat ×1 (mesurées une fois)")
    args = parser.parse_args()
    print(f"Machine : {machine()}")
    if args.many:
        many(args.many)
        return
    print(f"Contrat ×{args.scale} ; médiane de {args.runs} mesures par ligne.\n")
    print("| avenants | versions | pages de versions | historique git | versions | rendu des versions | par version |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "depot"
        contract = generate(args.scale, repo / "contract")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "-c", "user.email=bench@example.org", "-c", "user.name=bench", "add", "-A")
        git(repo, "-c", "user.email=bench@example.org", "-c", "user.name=bench", "commit", "-qm", "initial")
        for number in range(1, args.amendments + 1):
            amend(contract, number)
            git(repo, "add", "-A")
            git(repo, "-c", "user.email=bench@example.org", "-c", "user.name=bench", "commit", "-qm", f"rectification {number}")
            runs = [measure(contract) for _ in range(args.runs)]
            med = {k: statistics.median(r[k] for r in runs) for k in ("history", "versions", "pages_s")}
            total = sum(med.values())
            print(f"| {number} | {runs[0]['count']} | {runs[0]['pages']} | {med['history']:.2f} s | {med['versions']:.3f} s | "
                  f"{med['pages_s']:.2f} s | {total / runs[0]['count']:.2f} s |")


if __name__ == "__main__":
    main()
