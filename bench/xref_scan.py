"""The cross-reference scan on a hostile text: « voir 1.1.2 et » repeated (644 KB, then more).

Prints, for each size, the time of xref.find() alone and of a whole validation (check()) of
the small test contract whose preamble holds the text, with the machine it ran on (above
2 MB the file is refused unread, CV403). Nothing
here asserts: `tests/test_safety.py` only guards the 644 KB case with a generous timeout.
Run: `.venv/bin/python bench/xref_scan.py [--sizes 644,2576,20480]` (sizes in KB).
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from generator.core import xref  # noqa: E402
from generator.core.structure import structure_of  # noqa: E402
from generator.check.pipeline import check  # noqa: E402

PHRASE = "voir 1.1.2 et "


# What a contract without its signed text declares instead of it.
SOURCES = 'sources:\n  - {title: "Texte inventé pour la mesure", url: "https://example.org/mesure", consulted: "2026-01-01"}\n'


def hostile_contract(folder: Path, kilobytes: int) -> Path:
    contract = folder / "contract"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", contract)
    count = kilobytes * 1024 // len(PHRASE)  # in paragraphs of 200 phrases (400 signs: validation allows 500)
    text = "\n\n  ".join(PHRASE * min(200, count - i) for i in range(0, count, 200))
    preamble = contract / "sections" / "preambule.yaml"
    preamble.write_text(preamble.read_text(encoding="utf-8") + "  " + text + "\n", encoding="utf-8")
    meta = contract / "contrat.yaml"  # an invented text is transcribed from no document: no source checks
    meta.write_text(re.sub(r"source_document:\n(  .*\n)+", SOURCES, meta.read_text(encoding="utf-8")), encoding="utf-8")
    return contract


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="644,2576,20480", help="text sizes in KB, comma-separated")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(f"Machine : {os.cpu_count()} cœurs, {platform.processor() or platform.machine()}, "
          f"{platform.system()} {platform.release()}, Python {platform.python_version()}")
    forms = xref.forms(structure_of(yaml.safe_load((ROOT / "tests/fixtures/mini/contrat.yaml").read_text(encoding="utf-8"))))
    print("| texte | renvois | xref.find | validation complète |")
    print("| ---: | ---: | ---: | ---: |")
    for kilobytes in sizes:
        text = PHRASE * (kilobytes * 1024 // len(PHRASE))
        start = time.perf_counter()
        refs = xref.find(text, forms)
        scan = time.perf_counter() - start
        xref.find.cache_clear()  # the validation scans the text anew
        with tempfile.TemporaryDirectory() as tmp:
            contract = hostile_contract(Path(tmp), kilobytes)
            start = time.perf_counter()
            result = check(contract)
            whole = time.perf_counter() - start
        codes = sorted({p.code for p in result.problems})
        outcome = "valide" if result.ok else "refusé (" + ", ".join(codes) + ")"
        print(f"| {kilobytes} Ko | {len(refs)} | {scan:.2f} s | {whole:.2f} s, {outcome} |")


if __name__ == "__main__":
    main()
