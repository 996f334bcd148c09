"""Two outside judges of the built site: the W3C Nu HTML Checker (valid HTML on every page) and pa11y
(HTML_CodeSniffer, WCAG 2 AA, a second accessibility engine beside axe). Both are pinned npm packages
in tools/, installed by `make test` (`npm ci`); the checker runs with Java."""
import json
import subprocess

from tests.conftest import MINI, ROOT, build
from tests.test_site_browser import PAGES_OF_EACH_KIND

TOOLS = ROOT / "tools"
VNU = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _installed(path):
    assert path.exists(), f"{path} manque : lancez `make test` (ou `cd tools && npm ci`)"


def nu_errors(site) -> list[str]:
    _installed(VNU)
    run = subprocess.run(["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json", str(site)],
                         capture_output=True, text=True, timeout=600)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    return [f"{m.get('url', '').removeprefix('file:' + str(site))}:{m.get('lastLine')}: {m['message']}" for m in messages]


def test_every_page_of_the_real_site_is_valid_html(real_site):
    assert len(list(real_site.rglob("*.html"))) > 100
    assert nu_errors(real_site) == []


def test_the_small_contract_site_is_valid_html(tmp_path):
    assert nu_errors(build(MINI, tmp_path / "site")) == []


def pa11y_issues(base) -> dict[str, list]:
    """{page: what pa11y finds there} for a page of each kind of the real contract's site served at `base`."""
    _installed(TOOLS / "node_modules" / "pa11y")
    run = subprocess.run(["node", str(TOOLS / "pa11y-check.js"), *[base + p for p in PAGES_OF_EACH_KIND]],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    issues = json.loads(run.stdout)
    assert set(issues) == {base + p for p in PAGES_OF_EACH_KIND}
    return {url: found for url, found in issues.items() if found}


def test_pa11y_finds_no_error_on_any_page_kind(base):
    assert pa11y_issues(base) == {}
