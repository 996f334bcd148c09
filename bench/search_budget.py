"""Bytes the first search query loads after the page, as a compressing server sends them (response bodies,
encoded), on the real contract and on the ×30 synthetic one. Prints a Markdown table for bench/RESULTS.md.

Usage: `NO_MKDOCS_2_WARNING=1 .venv/bin/python bench/search_budget.py [--scales 0,30]` (0 = the real contract).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gzserve import start  # noqa: E402
from bench.run import machine  # noqa: E402
from generator.engine.build import build_site  # noqa: E402

QUERIES = ["decrochage", "2.4.3", "etouvie", "quartier", "renoncement aux soins"]
BUDGET = {0: 150 * 1024, 30: 400 * 1024}


def first_query(browser, server, base: str, start_page: str, query: str) -> dict[str, int]:
    """Bodies the server sent (compressed where it compresses) from the first keystroke to the results."""
    context = browser.new_context()  # empty cache
    page = context.new_page()
    page.goto(base + start_page)
    page.wait_for_load_state("networkidle")
    before = len(server.sent)
    page.fill("#cv-q", query)
    page.locator("#cv-q-panel .cv-search__status").filter(has_text="résultat").wait_for()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    context.close()
    loaded: dict[str, int] = {}
    for path, size in server.sent[before:]:
        loaded[path] = loaded.get(path, 0) + size
    return loaded


def kind_of(path: str) -> str:
    name = path.split("?")[0].rsplit("/", 1)[-1]
    for test, kind in ((lambda: name.startswith("pagefind") and name.endswith(".js"), "scripts"),
                       (lambda: name.startswith("wasm."), "wasm"), (lambda: name.endswith(".pf_meta"), "méta"),
                       (lambda: name.endswith(".pf_index"), "index"), (lambda: name.endswith(".pf_filter"), "filtres"),
                       (lambda: name.endswith(".pf_fragment"), "extraits")):
        if test():
            return kind
    return "autre"


def main() -> None:
    parser = argparse.ArgumentParser(description="Mesurer ce que charge la première recherche.")
    parser.add_argument("--scales", default="0,30")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    from bench.synth import generate
    work = Path(tempfile.mkdtemp(prefix="cv-search-"))
    print(f"Machine : {machine()}\n")
    print("| contrat | pages | requête | octets compressés | détail | budget |")
    print("| --- | ---: | --- | ---: | --- | --- |")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for scale in map(int, args.scales.split(",")):
            contract = ROOT / "contract" if scale == 0 else generate(scale, work / f"contrat-x{scale}")
            site = work / f"site-x{scale}"
            assert build_site(ROOT / "mkdocs.yml", contract, site, pdf=False) == 0
            pages = len(list(site.rglob("*.html")))
            server, base = start(site)
            sheet = sorted(p.name for p in (site / "fiches").iterdir())[0]
            for query in QUERIES:
                loaded = first_query(browser, server, base, f"fiches/{sheet}/", query)
                total = sum(loaded.values())
                parts: dict[str, int] = {}
                for url, size in loaded.items():
                    parts[kind_of(url)] = parts.get(kind_of(url), 0) + size
                detail = ", ".join(f"{k} {v / 1024:.0f}" for k, v in sorted(parts.items(), key=lambda kv: -kv[1]))
                ok = "oui" if total < BUDGET.get(scale, BUDGET[30]) else "**non**"
                label = "réel" if scale == 0 else f"×{scale}"
                print(f"| {label} | {pages} | {query} | {total / 1024:.0f} Ko ({len(loaded)} fichiers) | {detail} | {ok} |",
                      flush=True)
            server.shutdown()
        browser.close()


if __name__ == "__main__":
    main()
