"""`contrat build --moteur mkdocs|properdocs|zensical`: the same contract builds the same site with each engine.

The real contract and the `second` fixture are each built once per engine, through the command line
(one engine per process: ProperDocs takes over the `mkdocs` module names once loaded), from the
repositories the golden test builds from, in its fixed environment. Then, engine against engine (MkDocs):
the same published addresses (`adresses.txt`), the same files, the same visible text on every page.
Zensical brings its own theme assets and page frame (header, menu, footer): against it, the same
addresses, the same files outside the theme's assets, byte for byte, the same visible text in the article
of every page, and the Nu HTML Checker's verdict.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from html.parser import HTMLParser
from importlib.metadata import version
from pathlib import Path

import pytest

from generator.engine import engines
from generator.engine.build import build_site
from tests import golden
from tests.conftest import HOSTILE, MINI, ROOT
from tests.test_second_contract import words
from tests.test_site_build import scan
from tests.test_site_browser import PAGES_OF_EACH_KIND, axe_violations
from tests.test_site_checkers import nu_errors, pa11y_issues

CONTRACTS = ("real", "second")
REFERENCE = engines.DEFAULT
OTHERS = [name for name in engines.PLUGIN_ENGINES if name != REFERENCE]  # the same theme: the same whole pages
STAGED = [name for name in engines.NAMES if name not in engines.PLUGIN_ENGINES]  # their own theme (Zensical)
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)


def label(engine: str) -> str:
    return f"{engines.LABELS[engine]} {version(engine)}"


def contrat_build(project: Path, site: Path, *options: str, python: str = sys.executable,
                  env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`contrat build` run as a user runs it, in its own process, from the project folder."""
    return subprocess.run([python, "-m", "generator", "build", "--config", str(project / "mkdocs.yml"),
                           "--contract", str(project / "contract"), "--site-dir", str(site), *options],
                          cwd=project, capture_output=True, text=True, env=env)


def fixed_environment() -> dict[str, str]:
    """The golden builds' environment: fixed dates, the test contact address, no site or forge address."""
    env = {k: v for k, v in os.environ.items() if k not in golden.UNSET}
    return env | golden.ENV


@pytest.fixture(scope="session")
def engine_sites(tmp_path_factory):
    """sites(contract, engine) -> (site folder, what the build printed): each contract's repository is
    made once (as the golden test makes it), each (contract, engine) built once, on first use."""
    repos: dict[str, tuple[Path, bool]] = {}
    built: dict[tuple[str, str], tuple[Path, str]] = {}

    def sites(contract: str, engine: str) -> tuple[Path, str]:
        if contract not in repos:
            repo = tmp_path_factory.mktemp(contract) / "depot"
            with golden.fixed_environment():
                pdf = golden.CONTRACTS[contract](repo)
            repos[contract] = repo, pdf
        if (contract, engine) not in built:
            repo, pdf = repos[contract]
            site = repo.parent / f"site-{engine}"
            run = contrat_build(repo, site, "--moteur", engine, *(() if pdf else ("--sans-pdf",)), env=fixed_environment())
            assert run.returncode == 0, f"{label(engine)} : {contract}\n{run.stdout[-2000:]}{run.stderr[-3000:]}"
            built[contract, engine] = site, run.stdout
        return built[contract, engine]
    return sites


class _Text(HTMLParser):
    """What a reader sees of a page: its text, without scripts, styles and templates."""
    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN and self.hidden > 0

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(page: Path, part: re.Pattern | None = None) -> str:
    """The words a reader sees on the page, or in the `part` of it the pattern's group matches."""
    text = page.read_text(encoding="utf-8")
    if part is not None:
        found = part.search(text)
        assert found, f"{page}: no {part.pattern}"
        text = found.group(1)
    parser = _Text()
    parser.feed(text)
    parser.close()
    return words(" ".join(parser.parts))


def differences(who: str, engine: str, ours: dict[str, Path], theirs: dict[str, Path], part: re.Pattern | None = None) -> dict[str, str]:
    """{page: where its visible text differs}, `ours` (built by `engine`) against the reference's."""
    different = {}
    for name, page in ours.items():
        mine, other = visible_text(page, part), visible_text(theirs[name], part)
        assert mine, f"{who}: {name} shows no text"
        if mine != other:
            at = next(i for i, (a, b) in enumerate(zip(mine + "\0", other + "\0")) if a != b)
            different[name] = f"{engine}: …{mine[max(0, at - 60):at + 60]}… / {REFERENCE}: …{other[max(0, at - 60):at + 60]}…"
    return different


def pages(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}


def files(site: Path) -> list[str]:
    """Every file the build wrote, Pagefind's index left out (its file names are hashes of varying content)."""
    return sorted(n for p in site.rglob("*") if p.is_file() and not (n := p.relative_to(site).as_posix()).startswith("pagefind/"))


def same_addresses(engine_sites, contract: str, engine: str, listing) -> tuple[Path, Path, str]:
    """The site of `contract` built by `engine` and by the reference engine, which publish the same addresses
    and the same files (as `listing` lists them): (site, reference, who is compared, for messages)."""
    reference, _ = engine_sites(contract, REFERENCE)
    site, _ = engine_sites(contract, engine)
    who = f"{label(engine)} (against {label(REFERENCE)}), contract « {contract} »"
    listed = (site / "adresses.txt").read_text(encoding="utf-8")
    assert len(listed.splitlines()) > 20, who
    assert listed == (reference / "adresses.txt").read_text(encoding="utf-8"), who
    assert listing(site) == listing(reference), who
    return site, reference, who


@pytest.mark.parametrize("engine", OTHERS)
@pytest.mark.parametrize("contract", CONTRACTS)
def test_each_engine_publishes_the_same_addresses_files_and_text(engine_sites, contract, engine):
    site, reference, who = same_addresses(engine_sites, contract, engine, files)

    ours, theirs = pages(site), pages(reference)
    assert len(ours) > 20 and ours.keys() == theirs.keys(), who
    different = differences(who, engine, ours, theirs)
    assert different == {}, f"{who}: {len(different)} page(s) read differently"


def own_files(site: Path) -> list[str]:
    """The files of the site that are not the theme's own: Material's or Zensical's assets (file names
    hashed by each), and the compressed copy of the sitemap that Zensical does not write."""
    return [n for n in files(site) if not n.startswith("assets/") and n != "sitemap.xml.gz"]


@pytest.mark.parametrize("engine", STAGED)
@pytest.mark.parametrize("contract", CONTRACTS)
def test_zensical_publishes_the_same_addresses_data_and_articles(engine_sites, contract, engine):
    """Every file outside the theme's assets: the same names; each data file, feed, style and script the same
    bytes; each page (HTML) the same visible text in its article (`<article class="md-content__inner">`: the
    page's title and content, edit link included; the header, menu, table of contents and footer are the
    theme's), the same title and description in its head. Pages of past versions and the engine's search page
    included; redirect pages (written by the project) whole."""
    site, reference, who = same_addresses(engine_sites, contract, engine, own_files)
    data = [n for n in own_files(site) if not n.endswith(".html") and n != "sitemap.xml" and not n.startswith("pagefind/")]
    assert "flux.xml" in data and any(n.startswith("donnees/") for n in data), who
    changed = [n for n in data if (site / n).read_bytes() != (reference / n).read_bytes()]
    assert changed == [], f"{who}: {changed}"

    ours, theirs = pages(site), pages(reference)
    ours = {n: p for n, p in ours.items() if not n.startswith("pagefind/")}
    assert len(ours) > 20 and ours.keys() == {n for n in theirs if not n.startswith("pagefind/")}, who
    redirects = {n for n, p in ours.items() if "Cette page a changé d'adresse" in p.read_text(encoding="utf-8")}
    assert {n: visible_text(p) for n, p in ours.items() if n in redirects} == {n: visible_text(theirs[n]) for n in redirects}, who
    different = differences(who, engine, {n: p for n, p in ours.items() if n not in redirects}, theirs, ARTICLE)
    assert different == {}, f"{who}: {len(different)} page(s) read differently"
    heads = {n: (head(p), head(theirs[n])) for n, p in ours.items()}
    assert {n: h for n, h in heads.items() if h[0] != h[1]} == {}, f"{who}: titles or descriptions differ"


def head(page: Path) -> tuple[str, ...]:
    """A page's title and description, as search engines and sharing cards read them."""
    return tuple(re.findall(r'<title>[^<]*</title>|<meta name="description" content="[^"]*">', page.read_text(encoding="utf-8")))


@pytest.mark.parametrize("engine", STAGED)
@pytest.mark.parametrize("contract", CONTRACTS)
def test_the_zensical_site_is_valid_html(engine_sites, contract, engine):
    site, _ = engine_sites(contract, engine)
    assert nu_errors(site) == [], f"{label(engine)}, contract « {contract} »"


@pytest.mark.parametrize("engine", STAGED)
def test_pa11y_finds_no_error_on_the_zensical_site(engine_sites, serve, engine):
    """Zensical's page frame with our overrides and the fixes on the built HTML: as accessible as MkDocs'."""
    site, _ = engine_sites("real", engine)
    assert pa11y_issues(serve(site)) == {}, label(engine)


@pytest.mark.parametrize("engine", STAGED)
def test_axe_finds_no_violation_on_the_zensical_site(engine_sites, serve, page, engine):
    site, _ = engine_sites("real", engine)
    base = serve(site)
    found = {path: violations for path in PAGES_OF_EACH_KIND if (violations := axe_violations(page, base, path))}
    assert found == {}, label(engine)


@pytest.mark.parametrize("engine", engines.NAMES)
@pytest.mark.parametrize("contract", CONTRACTS)
def test_the_site_is_built_by_the_engine_asked_for_and_says_so(engine_sites, contract, engine):
    """Not the same engine twice: each page carries its engine's name, and so does the build's last word."""
    site, printed = engine_sites(contract, engine)
    assert f"(moteur {label(engine)})" in printed
    generator = {"mkdocs": f"mkdocs-{version('mkdocs')},", "properdocs": f"mkdocs-ProperDocs {version('properdocs')},",
                 "zensical": f"zensical-{version('zensical')}\""}[engine]
    assert f'<meta name="generator" content="{generator}' in (site / "index.html").read_text(encoding="utf-8")


def mini_project(tmp_path: Path, docs: bool = True) -> Path:
    """A city's project holding the small contract, with this repository's mkdocs.yml and, unless told, its docs/."""
    project = tmp_path / "projet"
    project.mkdir()
    shutil.copytree(MINI, project / "contract")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    if docs:
        shutil.copytree(ROOT / "docs", project / "docs")
    return project


@pytest.mark.parametrize("engine", engines.NAMES)
def test_a_failed_build_names_its_engine_and_what_it_said(tmp_path, engine):
    """Strict mode: a hand-written page linking to a missing page stops the build, whatever the engine."""
    project = mini_project(tmp_path)
    page = project / "docs" / "a-propos.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nVoir [la page absente](absente.md).\n", encoding="utf-8")
    run = contrat_build(project, tmp_path / "site", "--moteur", engine, "--sans-pdf")
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr.startswith(f"Construction du site impossible (moteur {label(engine)}) :\n"), run.stderr
    assert "absente.md" in run.stderr and "a-propos.md" in run.stderr and "Traceback" not in run.stderr
    assert "\x1b[" not in run.stderr  # Zensical's colours left out
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("engine", engines.PLUGIN_ENGINES)
def test_a_plugin_warning_on_the_legacy_logger_reaches_the_engine(engine):
    """Plugins (mkdocs-redirects, Material, the engine's own) log under « mkdocs.… »: the build collects
    the engine's warnings, and strict mode counts them, on the engine's own logger. ProperDocs' command line
    hangs the legacy logger under its own; `contrat build` does as much."""
    probe = ("import logging; from generator.engine import engines; e = engines.load(%r); seen = []; "
             "h = logging.Handler(logging.WARNING); h.emit = seen.append; logging.getLogger(e.logger).addHandler(h); "
             "logging.getLogger('mkdocs.plugin.redirects').warning('absente'); print(e.logger, len(seen))") % engine
    run = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.split() == [engine, "1"], run.stdout + run.stderr


def test_one_process_holds_one_engine(tmp_path, capsys):
    """Once MkDocs is loaded, ProperDocs would take over its module names halfway: refused, in French."""
    engines.load("mkdocs")
    assert build_site(ROOT / "mkdocs.yml", MINI, tmp_path / "site", pdf=False, engine="properdocs") == 2
    err = capsys.readouterr().err
    assert "le moteur MkDocs est déjà chargé dans ce processus" in err and "--moteur properdocs" in err
    assert engines.loaded() == "mkdocs" and not (tmp_path / "site").exists()


def environment_without(folder: Path, *engines_left_out: str) -> str:
    """The python of an environment holding everything the tests have but the engines left out (their
    packages and their metadata): a fresh virtual environment whose site-packages links to every entry of
    the test environment's but those."""
    env = folder / "venv"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    target = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 check=True, capture_output=True, text=True).stdout.strip())
    left_out = re.compile(r"(%s)(-[\d.]+\.dist-info)?" % "|".join(engines_left_out))
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not left_out.fullmatch(entry.name) and not (target / entry.name).exists():
            (target / entry.name).symlink_to(entry)
    probe = subprocess.run([str(python), "-c", "import importlib.util as u; print(*(u.find_spec(n) is not None for n in %r))"
                            % (engines.NAMES,)], capture_output=True, text=True)
    assert probe.stdout.split() == [str(n not in engines_left_out) for n in engines.NAMES], probe.stdout + probe.stderr
    return str(python)


@pytest.fixture(scope="module")
def without_mkdocs(tmp_path_factory) -> str:
    return environment_without(tmp_path_factory.mktemp("sans-mkdocs"), "mkdocs")


def test_with_only_properdocs_installed_contrat_build_uses_it(without_mkdocs, tmp_path):
    project = mini_project(tmp_path)
    run = contrat_build(project, tmp_path / "site", "--sans-pdf", python=without_mkdocs)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    assert f"(moteur {label('properdocs')})" in run.stdout
    assert "ModuleNotFoundError" not in run.stderr and "should be renamed to 'properdocs.yml'" not in run.stdout + run.stderr
    assert (tmp_path / "site" / "index.html").is_file() and (tmp_path / "site" / "adresses.txt").is_file()

    refused = contrat_build(project, tmp_path / "autre", "--sans-pdf", "--moteur", "mkdocs", python=without_mkdocs)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("contrat : le moteur MkDocs n'est pas installé (pip install mkdocs)"), refused.stderr
    assert not (tmp_path / "autre").exists()


def test_an_engine_not_supported_is_refused_in_french(tmp_path, capsys):
    from generator import cli
    assert cli.main(["build", "--moteur", "hugo", "--site-dir", str(tmp_path / "site")]) == 2
    err = capsys.readouterr().err
    assert "argument --moteur: choix invalide : 'hugo' (choix possibles : 'mkdocs', 'properdocs', 'zensical')" in err
    assert not (tmp_path / "site").exists()


def test_with_no_engine_installed_contrat_build_says_what_to_install(tmp_path):
    python = environment_without(tmp_path / "env", *engines.NAMES)
    project = mini_project(tmp_path, docs=False)
    run = contrat_build(project, tmp_path / "site", "--sans-pdf", python=python)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.startswith("contrat : aucun moteur de publication n'est installé : installez MkDocs (pip install mkdocs) "
                                 "ou ProperDocs (pip install properdocs)"), run.stderr
    assert not (tmp_path / "site").exists()
    validated = subprocess.run([python, "-m", "generator", "validate"], cwd=project, capture_output=True, text=True)
    assert validated.returncode == 0 and "Aucun problème" in validated.stdout, validated.stdout + validated.stderr


@pytest.mark.parametrize("engine", STAGED)
def test_hostile_content_is_inert_with_zensical(tmp_path, monkeypatch, engine):
    """As test_site_build.test_hostile_content_is_inert, built with Zensical: its templates get the site's
    name and the pages' titles as text (escaped once), and the generated pages are sanitised after its build."""
    monkeypatch.setattr("generator.check.rawhtml.problems", lambda doc: [])  # validation refuses it: test the rendering alone
    site = tmp_path / "site"
    assert build_site(ROOT / "mkdocs.yml", HOSTILE, site, pdf=False, engine=engine) == 0
    assert build_site(ROOT / "mkdocs.yml", MINI, tmp_path / "mini", pdf=False, engine=engine) == 0
    benign = scan(tmp_path / "mini" / "index.html").scripts
    built = list(site.rglob("*.html"))
    assert len(built) > 20
    for page in built:
        s = scan(page)
        assert s.live == [], (page, s.live)
        assert s.scripts == benign, page  # only the theme's own scripts
    for page in (site / "chronologie/index.html", site / "territoires/centre/index.html"):
        text = page.read_text(encoding="utf-8")
        assert "piege.example" in text and 'href="https://piege.example' not in text and "<em>gras</em>" not in text, page
    title = (site / "fiches/1.1.1/index.html").read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0]
    assert "&lt;/title&gt;&lt;script&gt;" in title and "&amp;lt;" not in title
    home = (site / "index.html").read_text(encoding="utf-8")
    header = home.split('class="md-header__topic"')[1].split("</span>")[0]
    assert header.split('class="md-ellipsis">')[1].strip() == "Valbourg &lt;/title&gt;&lt;script&gt;alert(&#x27;contrat&#x27;)&lt;/script&gt;"
    assert "Données et textes : Licence &lt;&#x2f;div&gt;&lt;script&gt;alert(" in home and "&amp;lt;" not in home  # « | e » of Zensical
    assert '<meta name="description" content="Description &quot;&gt;&lt;script&gt;alert(' in (site / "404.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", STAGED)
def test_hand_written_pages_are_sanitised_with_zensical(tmp_path, engine):
    """As test_untrusted.test_hand_written_pages_are_sanitised_like_generated_ones, built with Zensical."""
    from tests.test_untrusted import HOSTILE_PAGE, project
    config = project(tmp_path, {"piege.md": HOSTILE_PAGE, "titre.md": "# Titre &lt;script&gt;alert('h1')&lt;/script&gt;\n"})
    assert build_site(config, MINI, tmp_path / "site", pdf=False, engine=engine) == 0
    page = tmp_path / "site" / "piege" / "index.html"
    s = scan(page)
    assert s.live == [] and s.scripts == scan(tmp_path / "site" / "index.html").scripts, s.live
    text = page.read_text(encoding="utf-8")
    assert text.count('id="__config"') == 1 and text.count('id="__search"') == 1  # the theme's own, once
    article = text.split("data-pagefind-body>")[1].split("</article>")[0]
    assert "id=" in article and not re.search(r'id="(__|cv-)', article) and "md-" not in article
    assert 'class="cv-lead"' in article
    assert "<script>alert" not in text
    assert "<title>Page &lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt; - " in text
    assert "<title>Titre &lt;script&gt;alert(&#x27;h1&#x27;)&lt;/script&gt; - " in (tmp_path / "site/titre/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("engine", STAGED)
@pytest.mark.parametrize("query, first", [("2.4.3", "Fiche action 2.4.3 — Agir en faveur des décrocheurs(es)"),
                                          ("logement", None)])
def test_the_header_search_works_on_the_zensical_site(engine_sites, serve, page, engine, query, first):
    """The header's search box (ours, over Pagefind's index) in a browser: results as with MkDocs."""
    from tests.test_site_browser import search
    site, _ = engine_sites("real", engine)
    results = search(page, serve(site), query)
    assert results, f"{label(engine)}: nothing found for « {query} »"
    if first is not None:
        assert results[0] == first, f"{label(engine)}: {results[:3]}"
    assert page.dialogs == []


@pytest.mark.parametrize("engine", STAGED)
def test_a_published_address_no_longer_served_stops_the_zensical_build(tmp_path, engine):
    """CV320 runs outside the engine: with Zensical too, the build fails and the previous site stays."""
    project = mini_project(tmp_path)
    (project / "contract" / "adresses-publiees.txt").write_text("./\nfiches/9.9.9/\n", encoding="utf-8")
    run = contrat_build(project, tmp_path / "site", "--moteur", engine, "--sans-pdf")
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stderr.startswith(f"Construction du site impossible (moteur {label(engine)}) :\nAdresses publiées :\n"), run.stderr
    assert "adresses-publiees.txt:2:1: CV320 l'adresse publiée « fiches/9.9.9/ » n'est plus servie" in run.stderr
    assert {p.name for p in tmp_path.iterdir()} == {"projet", ".site.verrou"}  # no site, no staging folder left


def test_with_only_zensical_installed_contrat_build_says_so_and_builds_with_it(tmp_path):
    python = environment_without(tmp_path / "env", *engines.PLUGIN_ENGINES)
    project = mini_project(tmp_path)
    refused = contrat_build(project, tmp_path / "site", "--sans-pdf", python=python)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
    assert refused.stderr.startswith("contrat : ni MkDocs ni ProperDocs n'est installé : construisez avec Zensical "
                                     "(contrat build --moteur zensical)"), refused.stderr
    run = contrat_build(project, tmp_path / "site", "--sans-pdf", "--moteur", "zensical", python=python)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    assert f"(moteur {label('zensical')})" in run.stdout and (tmp_path / "site" / "adresses.txt").is_file()


@pytest.mark.parametrize("templates", ["material", "zensical"])
def test_the_theme_frame_outside_its_blocks_is_fixed_on_the_built_html(templates):
    """The hidden checkboxes each theme prints outside any block: named, without `autocomplete` (invalid on a
    checkbox); a table of contents' title with no checkbox to point at is no label; fixed once."""
    import importlib
    from generator.engine.theme import finish_page
    base = Path(importlib.import_module(templates).__file__).parent / "templates" / "base.html"
    frame = "\n".join(line for line in base.read_text(encoding="utf-8").splitlines() if '"__drawer"' in line or '"__search"' in line)
    fixed = finish_page(frame)
    assert fixed.count("<input ") == 2 and "autocomplete" not in fixed and 'aria-hidden' not in fixed
    assert 'id="__drawer" aria-label="Menu">' in fixed and 'id="__search" aria-label="Recherche" tabindex="-1">' in fixed
    assert finish_page(fixed) == fixed
    toc = '<label class="md-nav__title" for="__toc">\n  <span class="md-nav__icon md-icon"></span>\n  Sommaire\n</label>'
    assert finish_page(toc) == '<div class="md-nav__title">Sommaire</div>'
    assert finish_page(toc + '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">') == (
        toc + '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc" aria-label="Table des matières">')
