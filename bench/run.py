"""`make bench`: load+validate, render and full-build times, memory and sizes at several scales.

Each measurement runs in its own process (clean peak memory); the table gives the median of
several runs and the machine it ran on. Nothing here asserts: the figures are for reading.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# -- one measurement, in a child process ------------------------------------------------------

def measure(kind: str, contract: Path, site: Path) -> dict:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    from generator.check.pipeline import check
    from generator.engine.pipeline import render_inputs
    from generator.site.render import Renderer
    out = {}
    if kind == "validate":
        start = time.perf_counter()
        result = check(contract)
        out["seconds"] = time.perf_counter() - start
        assert result.ok, result.problems[:3]
    elif kind == "render":
        result = check(contract)
        start = time.perf_counter()
        pages = Renderer(render_inputs(result.contract)).pages()
        out["seconds"] = time.perf_counter() - start
        out["pages"] = len(pages)
    elif kind == "build":
        from generator.engine.build import build_site
        start = time.perf_counter()
        assert build_site(ROOT / "mkdocs.yml", contract, site, pdf=False) == 0
        out["seconds"] = time.perf_counter() - start
    elif kind == "plain":
        out["seconds"] = _plain_build(contract, site)
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _plain_build(contract: Path, site: Path) -> float:
    """The same pages written as static Markdown, built by mkdocs without the generator's plugin
    (with its theme, styles, scripts and Markdown extensions)."""
    import yaml
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from generator.check.pipeline import check
    from generator.engine.pipeline import ENGINE_PAGES, render_inputs
    from generator.plugin import use_engine_theme
    from generator.publish import feed, opendata
    from generator.site.render import Renderer
    work = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "docs", work / "docs")
    for page in ENGINE_PAGES.glob("*.md"):
        shutil.copy(page, work / "docs" / page.name)
    result = check(contract)
    renderer = Renderer(render_inputs(result.contract))
    pages = renderer.pages()
    for path, page in pages.items():
        target = work / "docs" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        title = page.title.replace('"', "'")
        target.write_text(f'---\ntitle: "{title}"\n---\n' + page.markdown, encoding="utf-8")
    (work / "docs" / feed.PATH).write_text(feed.atom(result.contract, ""), encoding="utf-8")
    for path, content in opendata.files(result.contract, dict(renderer.publication)).items():
        (work / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (work / "docs" / path).write_text(content, encoding="utf-8")
    config = yaml.safe_load(re.sub(r"!ENV \[\w+, \"\"\]", '""', (ROOT / "mkdocs.yml").read_text(encoding="utf-8")))
    config["plugins"] = []
    config["nav"] = json.loads(json.dumps(renderer.nav(config["nav"])))  # plain strings for YAML (titles are Markup)
    config.pop("edit_uri")
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    loaded = load_config(str(work / "mkdocs.yml"), site_dir=str(site), strict=True)
    use_engine_theme(loaded)
    start = time.perf_counter()
    build(loaded)
    seconds = time.perf_counter() - start
    shutil.rmtree(work)
    return seconds


def _child(kind: str, contract: Path, site: Path) -> dict:
    run = subprocess.run([sys.executable, __file__, "--measure", kind, str(contract), str(site)],
                         capture_output=True, text=True, cwd=ROOT)
    if run.returncode:
        raise SystemExit(f"mesure {kind} en échec :\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


# -- the table ----------------------------------------------------------------------------------

def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _kb(n: int) -> str:
    return f"{n / 1024:,.0f} Ko".replace(",", " ")


def scale_row(scale: int, runs: int, work: Path) -> dict:
    from bench.synth import generate
    contract = ROOT / "contract" if scale == 0 else generate(scale, work / f"contrat-x{scale}")
    site, plain_site = work / f"site-x{scale}", work / f"plain-x{scale}"
    times = {k: [] for k in ("validate", "render", "build", "plain")}
    peak = 0.0
    pages = 0
    for _ in range(runs):
        for kind in times:
            m = _child(kind, contract, plain_site if kind == "plain" else site)
            times[kind].append(m["seconds"])
            if kind == "build":
                peak = max(peak, m["peak_mb"])
            pages = m.get("pages", pages)
    median = {k: statistics.median(v) for k, v in times.items()}
    sheets = [p / "index.html" for p in (site / "fiches").iterdir()]
    return {"scale": "réel" if scale == 0 else f"×{scale}", "actions": len(sheets), "pages": len(list(site.rglob("*.html"))),
            **{f"{k}_s": v for k, v in median.items()}, "overhead": median["build"] / median["plain"] - 1,
            "peak_mb": peak, "site": _size(site), "largest_sheet": max(p.stat().st_size for p in sheets),
            "largest_page": max(p.stat().st_size for p in site.rglob("*.html")),
            "search_index": _size(site / "pagefind")}


def serve_rebuild(work: Path) -> float:
    """Real contract under `mkdocs serve`: seconds from a one-line YAML edit to the reloaded site."""
    copy = work / "serve"
    for name in ("docs", "contract"):
        shutil.copytree(ROOT / name, copy / name)
    shutil.copy(ROOT / "mkdocs.yml", copy / "mkdocs.yml")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(proc, "Serving on", 120)
        target = copy / "contract" / "actions" / "2.4.3.yaml"
        start = time.perf_counter()
        target.write_text(target.read_text(encoding="utf-8").replace("décrocheurs(es)", "décrocheurs(es) !"), encoding="utf-8")
        _wait_for(proc, "Reloading browsers", 120)
        return time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(10)


def _wait_for(proc, text: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if text in line:
            return
        if not line and proc.poll() is not None:
            raise SystemExit("mkdocs serve s'est arrêté")
    raise SystemExit(f"« {text} » non vu en {limit} s")


def machine() -> str:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    mem = next((int(l.split()[1]) // 1024 // 1024 for l in Path("/proc/meminfo").read_text().splitlines()
                if l.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    import yaml
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("mkdocs", "mkdocs-material", "jsonschema", "PyYAML", "Jinja2", "nh3"))
    return (f"{os.cpu_count()} cœurs ({cpu}), {mem} Gio de mémoire, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, libyaml {'oui' if getattr(yaml, '__with_libyaml__', False) else 'non'} ; {versions}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Mesurer la validation, le rendu et la construction du site.")
    parser.add_argument("--scales", default="1,10,30", help="facteurs d'échelle synthétiques (défaut : 1,10,30)")
    parser.add_argument("--runs", type=int, default=3, help="mesures par échelle ; la médiane est retenue (défaut : 3)")
    parser.add_argument("--measure", nargs=3, metavar=("TYPE", "CONTRAT", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]), Path(args.measure[2]))))
        return
    print(f"Machine : {machine()}")
    print(f"Médiane de {args.runs} mesures par ligne ; chaque mesure dans un processus neuf.\n")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for scale in [0] + [int(s) for s in args.scales.split(",")]:
            rows.append(scale_row(scale, args.runs, Path(tmp)))
        rebuild = serve_rebuild(Path(tmp))
    print("| échelle | fiches | pages | validation | rendu | construction | mkdocs seul | surcoût | mémoire max | site | plus grande fiche | plus grande page | index de recherche (Pagefind, sur disque) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['scale']} | {r['actions']} | {r['pages']} | {r['validate_s']:.2f} s | {r['render_s']:.2f} s | "
              f"{r['build_s']:.2f} s | {r['plain_s']:.2f} s | {r['overhead']:+.0%} | {r['peak_mb']:.0f} Mio | "
              f"{r['site'] / 2**20:.1f} Mio | {_kb(r['largest_sheet'])} | {_kb(r['largest_page'])} | {_kb(r['search_index'])} |")
    base = next(r for r in rows if r["scale"] == "×1") if any(r["scale"] == "×1" for r in rows) else None
    if base:
        print()
        for r in rows:
            if r["scale"] not in ("réel", "×1"):
                print(f"{r['scale']} : construction {r['build_s'] / base['build_s']:.1f} fois celle de ×1, "
                      f"validation {r['validate_s'] / base['validate_s']:.1f} fois.")
    print(f"\n`make serve`, contrat réel : site rechargé {rebuild:.2f} s après la modification d'une ligne de YAML.")


if __name__ == "__main__":
    main()
