import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "contract"
MINI = ROOT / "tests" / "fixtures" / "mini"
# A fictional contract of the 2024-2030 generation: one level of « défis », a project per neighbourhood,
# commitments followed up every year, a neighbourhood new in 2024, no signed text.
DEFIS = ROOT / "tests" / "fixtures" / "defis"
SECOND = ROOT / "tests" / "fixtures" / "second"  # a second, fictional contract of 2024-2030, three levels
# The published text the data is transcribed from, as contrat.yaml declares it.
SOURCE = CONTRACT / "source" / yaml.safe_load((CONTRACT / "contrat.yaml").read_text(encoding="utf-8"))["source_document"]["file"]


def copy_of(fixture: Path, tmp_path: Path) -> Path:
    """A writable copy of a fixture contract, as `tmp_path`/contract."""
    target = tmp_path / "contract"
    shutil.copytree(fixture, target)
    return target


@pytest.fixture
def mini_copy(tmp_path, monkeypatch):
    """A writable copy of the small test contract, with the current directory beside it."""
    target = copy_of(MINI, tmp_path)
    monkeypatch.chdir(tmp_path)
    return target


def git(repo: Path, *args) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def git_repo(repo: Path, before_commit=None, contract: Path = MINI) -> Path:
    """A throwaway git repository holding a copy of a test contract (the small one by default) in
    `contract/`, committed as « version initiale » (after `before_commit(repo)`, when given)."""
    shutil.copytree(contract, repo / "contract")
    if before_commit:
        before_commit(repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "user.name", "Test")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "version initiale")
    return repo


# What a contract without its signed text declares instead: the public sources it is described from.
SOURCES = 'sources:\n  - {title: "Source d\'essai", url: "https://example.org/contrat", consulted: "2024-06-02"}\n'


def drop_source(contract: Path) -> Path:
    """Make a contract copy one with no source document (no fidelity checks), described from public
    sources instead: for tests of other things that edit its texts."""
    meta = contract / "contrat.yaml"
    meta.write_text(re.sub(r"source_document:\n(  .*\n)+", SOURCES, meta.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.rmtree(contract / "source", ignore_errors=True)
    return contract


# -- built sites and a local server, shared by the site tests ------------------------------
import functools
from html.parser import HTMLParser
import http.server
import os
import threading

from generator.engine.build import build_site

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
CONTACT = "erreurs@example.org"  # the address « Signaler une erreur » writes to, in the test builds
os.environ.setdefault("CONTRAT_CONTACT_EMAIL", CONTACT)


def build(contract: Path, site: Path, pdf: bool = False) -> Path:
    assert build_site(ROOT / "mkdocs.yml", contract, site, pdf=pdf) == 0
    return site


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    """The real contract's site as `contrat build` publishes it, PDF included."""
    return build(CONTRACT, tmp_path_factory.mktemp("real") / "site", pdf=True)


def city_build(work: Path, contract: Path) -> int:
    """Build `contract` as its city keeps it (`contrat nouveau`'s mkdocs.yml and docs/, in a git repository
    under `work`, made here) into `work`/site: the build's exit code."""
    from generator.engine.new import SCAFFOLD
    from tests.golden import _commit, _git, fixed_environment
    repo = work / "depot"
    repo.mkdir(parents=True)
    shutil.copytree(contract, repo / "contract")
    shutil.copy(SCAFFOLD / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copytree(SCAFFOLD / "docs", repo / "docs")
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "version initiale")
    with fixed_environment():
        return build_site(repo / "mkdocs.yml", repo / "contract", work / "site")


@pytest.fixture(scope="session")
def defis_site(tmp_path_factory) -> Path:
    """The défis contract as its city keeps it."""
    work = tmp_path_factory.mktemp("defis")
    assert city_build(work, DEFIS) == 0
    return work / "site"


@pytest.fixture(scope="session")
def serve():
    """serve(site_dir) -> base URL of a local server for that directory (stopped at the end)."""
    servers = []

    def start(site: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def base(real_site, serve):
    """The real contract's site, served locally: its base URL."""
    return serve(real_site)


def h1(page) -> str:
    return page.locator("article h1").first.inner_text().replace("¶", "").strip()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium")
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


@pytest.fixture(scope="session")
def amended_site(tmp_path_factory):
    """A contract with two amendments in its git history, built as a site."""
    from tests.test_amendments import TITLE, amend, edit
    repo = git_repo(tmp_path_factory.mktemp("amended") / "depot")
    edit(repo / "contract/actions/1.1.2.yaml", TITLE, 'title: "Fiche fictive B de l\'objectif 1.1, corrigée"')
    amend(repo, 1, [{"entity": "actions/1.1.2", "operation": "modify", "reason": "coquille dans l'intitulé",
                     "wording": {"title": "Fiche fictive B de l'objectif 1.1, corrigée"}}], kind="rectification")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "rectification 1")
    edit(repo / "contract/sections/p1-1.yaml", "deux fois par an", "trois fois par an")
    (repo / "contract/actions/1.1.4.yaml").write_text('id: "1.1.4"\nobjective: "1.1"\ntitle: "Fiche ajoutée par avenant"\n', encoding="utf-8")
    edit(repo / "contract/contrat.yaml", '{entity: "actions", expected: 7}', '{entity: "actions", expected: 8}')
    edit(repo / "contract/governance/comite-pilotage.yaml", 'frequency: "deux fois par an"', 'frequency: "trois fois par an"')
    amend(repo, 2, [{"entity": "sections/p1-1", "operation": "modify", "reason": "rythme du comité",
                     "wording": {"body": (repo / "contract/sections/p1-1.yaml").read_text(encoding="utf-8").split("body: |\n")[1]}},
                    {"entity": "governance/comite-pilotage", "operation": "modify", "reason": "rythme du comité",
                     "wording": {"frequency": "trois fois par an"}},
                    {"entity": "actions/1.1.4", "operation": "add", "reason": "nouvelle fiche",
                     "wording": {"title": "Fiche ajoutée par avenant"}},
                    {"entity": "contrat", "operation": "modify", "reason": "8 fiches"}])
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "avenant 2")
    return build(repo / "contract", tmp_path_factory.mktemp("amended-site") / "site")


def declare_renumbering(contract: Path, old: str, new: str, summary: str, reason: str) -> None:
    """Write rectification n°1 declaring that entity `old` (« actions/1.1.1 ») is now `new`."""
    (contract / "amendments").mkdir()
    (contract / "amendments/1.yaml").write_text(yaml.safe_dump({
        "id": "1", "kind": "rectification", "title": "Rectification n°1", "date": "2025-03-14", "summary": summary + "\n",
        "changes": [{"entity": old, "operation": "renumber", "to": new, "reason": reason}]}, allow_unicode=True),
        encoding="utf-8")


# -- a page is never a heading over nothing -------------------------------------------------
class _Outline(HTMLParser):
    """The article of a page as a sequence of headings (level, text) and content (text, tables, figures)."""
    LEVELS = {f"h{n}": n for n in range(1, 7)}

    def __init__(self):
        super().__init__()
        self.items: list[tuple[int, str]] = []  # (level, heading text), or (0, content)
        self._article = self._skip = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self._article += tag == "article"
        self._skip += tag in ("script", "style")
        if self._article and tag in self.LEVELS:
            self._heading = []
            self.items.append((self.LEVELS[tag], ""))
        elif self._article and tag in ("img", "svg", "table", "figure", "input", "form"):
            self.items.append((0, tag))

    def handle_endtag(self, tag):
        self._article -= tag == "article"
        self._skip -= tag in ("script", "style")
        if tag in self.LEVELS and self._heading is not None:
            self.items[-1] = (self.items[-1][0], " ".join("".join(self._heading).replace("¶", "").split()))
            self._heading = None

    def handle_data(self, data):
        if not self._article or self._skip or not data.strip():
            return
        if self._heading is not None:
            self._heading.append(data)
        else:
            self.items.append((0, data))


def headings_over_nothing(raw: str) -> list[str]:
    """The headings of a page's article with nothing under them before the next heading of their level or above."""
    outline = _Outline()
    outline.feed(raw)
    empty = []
    for i, (level, text) in enumerate(outline.items):
        if level:
            following = next((lvl for lvl, _ in outline.items[i + 1:] if lvl == 0 or lvl <= level), None)
            if following != 0:
                empty.append(text)
    return empty
