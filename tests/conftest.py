import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "contract"
MINI = ROOT / "tests" / "fixtures" / "mini"
# The published text the data is transcribed from, as contrat.yaml declares it.
SOURCE = CONTRACT / "source" / yaml.safe_load((CONTRACT / "contrat.yaml").read_text(encoding="utf-8"))["source_document"]["file"]


@pytest.fixture
def mini_copy(tmp_path, monkeypatch):
    """A writable copy of the small test contract, with the current directory beside it."""
    target = tmp_path / "contract"
    shutil.copytree(MINI, target)
    monkeypatch.chdir(tmp_path)
    return target


# -- built sites and a local server, shared by the site tests ------------------------------
import functools
import http.server
import os
import threading

from generator.build import build_site

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
