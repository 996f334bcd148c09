"""Lighthouse (mobile, simulated throttling) on the home, a sheet, a territory and the search page, served
by a local server that compresses as static hosting does (bench/gzserve.py). A measure, not a test:
scores move from run to run on a shared machine. Prints a Markdown table for bench/RESULTS.md.

Usage: `make lighthouse` (installs bench/lighthouse/package.json: lighthouse 12.2.3, pinned; Debian's Chromium).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gzserve import start  # noqa: E402
from bench.run import machine  # noqa: E402
from generator.engine.build import build_site  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
PAGES = {"accueil": "", "fiche": "fiches/2.4.3/", "territoire": "territoires/etouvie/", "recherche": "recherche/?q=ecole"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def audit(url: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        subprocess.run([str(LIGHTHOUSE), url, "--output=json", f"--output-path={report.name}", "--quiet",
                        "--only-categories=" + ",".join(CATEGORIES), "--chrome-flags=--headless=new --no-sandbox"],
                       check=True, env=dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium")))
        data = json.loads(Path(report.name).read_text(encoding="utf-8"))
    scores = {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}
    audits = data["audits"]
    scores["fcp"] = audits["first-contentful-paint"]["numericValue"] / 1000
    scores["lcp"] = audits["largest-contentful-paint"]["numericValue"] / 1000
    scores["tbt"] = audits["total-blocking-time"]["numericValue"]
    scores["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    scores["failed"] = sorted(k for k, a in audits.items() if a.get("score") is not None and a["score"] < 0.9
                              and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings"))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description="Mesurer le site avec Lighthouse.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", default=",".join(PAGES))
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse manque : lancez `make lighthouse` (ou `cd bench/lighthouse && npm ci`).")
    site = Path(tempfile.mkdtemp(prefix="cv-lh-")) / "site"
    assert build_site(ROOT / "mkdocs.yml", ROOT / "contract", site, pdf=False) == 0
    server, base = start(site)
    print(f"Machine : {machine()} ; Lighthouse 12.2.3, mobile, ralentissement simulé ; serveur local gzip.\n")
    print("| page | performance | accessibilité | bonnes pratiques | SEO | FCP | LCP | TBT | CLS | audits sous 0,9 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, path in ((n, PAGES[n]) for n in args.pages.split(",")):
        for run in range(args.runs):
            s = audit(base + path)
            print(f"| {name} ({run + 1}) | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} | "
                  f"{s['fcp']:.1f} s | {s['lcp']:.1f} s | {s['tbt']:.0f} ms | {s['cls']:.3f} | {', '.join(s['failed']) or '—'} |",
                  flush=True)
    server.shutdown()


if __name__ == "__main__":
    main()
