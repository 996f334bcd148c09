"""Safe on untrusted pull requests and careless commands (issue 10): each finding is a test here
or a folder of tests/cases/invalid/."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.revisions import diff, gitrepo, history

from generator.check import pipeline
from tests.conftest import MINI, git, git_repo
from tests.test_amendments import run


@pytest.fixture
def repo(tmp_path, monkeypatch):
    repo = git_repo(tmp_path / "depot")
    monkeypatch.chdir(repo)
    return repo


# -- git: one module, refs checked, trees read from objects -----------------------------------

@pytest.mark.parametrize("args", [
    ("diff", "--", "--output=victime.txt"),
    ("diff", "main", "--", "--output=victime.txt"),
    ("amendment", "check", "--base=--output=victime.txt"),
    ("amendment", "draft", "--base=--output=victime.txt"),
])
def test_a_ref_never_becomes_a_git_option(repo, capsys, args):
    victim = repo / "victime.txt"
    victim.write_text("à garder\n", encoding="utf-8")
    code, out = run(capsys, *args)
    assert code == 2
    assert "révision git refusée : « --output=victime.txt »" in out
    assert victim.read_text(encoding="utf-8") == "à garder\n"


def test_an_unknown_ref_is_a_usage_error(repo, capsys):
    code, out = run(capsys, "diff", "n-existe-pas")
    assert (code, out.strip()) == (2, "contrat : révision git inconnue : « n-existe-pas »")


def test_gitrepo_refuses_option_like_refs(repo):
    with pytest.raises(gitrepo.GitError, match="refusée"):
        gitrepo.commit(repo, "-h")
    assert gitrepo.commit(repo, "main") == git(repo, "rev-parse", "HEAD").strip()


def test_gitrepo_helpers(repo, tmp_path):
    where = gitrepo.locate(repo / "contract")
    assert where == gitrepo.Location(repo.resolve(), "contract")
    untracked = repo / "ailleurs"
    untracked.mkdir()
    assert gitrepo.locate(untracked) is None and gitrepo.locate(tmp_path / "hors-depot") is None
    assert not gitrepo.is_modified(where)
    (repo / "contract/actions/1.1.1.yaml").write_text("id: \"1.1.1\"\n", encoding="utf-8")
    assert gitrepo.is_modified(where)
    git(repo, "commit", "-qam", "deux")
    commits = gitrepo.log(repo, "contract")
    assert [c.id for c in commits] == [git(repo, "rev-parse", r).strip() for r in ("HEAD", "HEAD~1")]
    assert [(c.path, c.status) for c in commits[0].changes] == [("actions/1.1.1.yaml", "M")]
    assert ("actions/1.1.1.yaml", "A") in [(c.path, c.status) for c in commits[1].changes] and not commits[1].parents
    entries = {e.path: e for e in gitrepo.tree(repo, "HEAD", "contract")}
    assert entries["actions"].is_dir and entries["actions/1.1.1.yaml"].is_file
    blob = gitrepo.blobs(repo, [entries["actions/1.1.1.yaml"].object])
    assert list(blob.values()) == [b'id: "1.1.1"\n']
    assert gitrepo.tree(repo, "HEAD", "absent") is None


def test_a_contract_at_the_top_of_its_repository(tmp_path, capsys, monkeypatch):
    repo = tmp_path / "contrat"
    shutil.copytree(MINI, repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.email=t@example.org", "-c", "user.name=T", "add", "-A")
    git(repo, "-c", "user.email=t@example.org", "-c", "user.name=T", "commit", "-qm", "v1")
    monkeypatch.chdir(repo)
    (repo / "actions/1.1.2.yaml").write_text((repo / "actions/1.1.2.yaml").read_text(encoding="utf-8")
                                             .replace("Fiche fictive B", "Fiche B"), encoding="utf-8")
    assert gitrepo.locate(repo) == gitrepo.Location(repo.resolve(), "")
    assert len(gitrepo.log(repo, "")) == 1
    code, out = run(capsys, "diff", "--contract", ".", "main")
    assert code == 0 and "modification : actions/1.1.2 (actions/1.1.2.yaml)" in out


def test_only_gitrepo_runs_git():
    generator = Path(__file__).resolve().parent.parent / "generator"
    runners = sorted(p.name for p in generator.rglob("*.py") if re.search(r"""["']git["']""", p.read_text(encoding="utf-8")))
    assert runners == ["gitrepo.py"]


def test_a_committed_symlink_is_a_problem_not_a_crash_nor_a_leak(repo, capsys, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text('id: "1.1.9"\ntitle: "CONTENU SECRET"\n', encoding="utf-8")
    (repo / "contract/actions/1.1.9.yaml").symlink_to(secret)
    (repo / "contract/actions/passwd.yaml").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "liens")
    code, out = run(capsys, "diff", "main~1", "main")
    assert code == 0, out
    assert "actions/1.1.9.yaml:1:1: CV401 lien symbolique refusé" in out
    assert "CONTENU SECRET" not in out and "root:" not in out
    code, out = run(capsys, "amendment", "check", "--base", "main~1")
    assert code == 1 and "CV401" in out and "CONTENU SECRET" not in out


def test_amendment_draft_never_writes_through_a_link(repo, capsys, tmp_path):
    sheet = repo / "contract/actions/1.1.2.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("Fiche fictive B", "Fiche B"), encoding="utf-8")
    (repo / "contract/amendments").mkdir()
    victim = tmp_path / "victime.txt"  # does not exist yet: the link dangles
    (repo / "contract/amendments/1.yaml").symlink_to(victim)
    code, out = run(capsys, "amendment", "draft", "--base", "main")
    assert code == 1 and "existe déjà" in out and not victim.exists()


def test_history_reads_a_tree_with_a_symlink(repo, tmp_path):
    amendments = repo / "contract/amendments"
    amendments.mkdir()
    (amendments / "1.yaml").write_text(AMENDMENT, encoding="utf-8")
    (repo / "contract/actions/lien.yaml").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "avenant et lien")
    snap = diff.git_snapshot(repo, "HEAD", "contract")
    assert [p.code for p in snap.problems if p.file == "actions/lien.yaml"] == ["CV401"]
    assert "CV401" in {p.code for p in pipeline.check(repo / "contract").problems}
    clean = tmp_path / "propre"
    shutil.copytree(MINI, clean)
    shutil.copytree(amendments, clean / "amendments")
    contract = pipeline.check(clean).contract
    found = history.collect(repo / "contract", contract)
    assert found.commit == git(repo, "rev-parse", "--short", "HEAD").strip()
    assert "CV401" in {p.code for problems in found.diffs["1"].problems.values() for p in problems}


AMENDMENT = """id: "1"
kind: "rectification"
title: "Révision n°1"
date: "2025-03-14"
summary: "Essai."
changes:
  - {entity: "actions/1.1.1", operation: "modify", reason: "essai"}
"""


# -- contrat build: only ever replaces a site it built ------------------------------------------

from generator.engine import build as build_module  # noqa: E402
from generator.engine.build import MARKER, build_site  # noqa: E402
from tests.conftest import ROOT  # noqa: E402


def _snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(repo):
    """A git repository holding a project: mkdocs.yml, docs/ and contract/ (the refusals come
    before mkdocs reads the configuration)."""
    (repo / "mkdocs.yml").write_text("site_name: essai\n", encoding="utf-8")
    (repo / "docs").mkdir()
    (repo / "docs/index.md").write_text("# Accueil\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "projet")
    return repo


@pytest.mark.parametrize("site_dir", [".", "contract", "contract/actions", "docs", "/", "..", "HOME"])
def test_build_refuses_a_site_dir_that_holds_the_project(project, capsys, monkeypatch, site_dir):
    monkeypatch.setenv("HOME", str(project.parent))
    site_dir = str(project.parent) if site_dir == "HOME" else site_dir
    before = _snapshot(project)
    code, out = run(capsys, "build", "--sans-pdf", "--site-dir", site_dir)
    assert code == 2, out
    assert out.startswith("contrat : « ") and "Traceback" not in out
    assert _snapshot(project) == before and (project / ".git/HEAD").is_file()


@pytest.mark.parametrize("content", [".git/HEAD", "donnees.yaml", "contract/contrat.yaml", "sous/dossier/a.yml"])
def test_build_refuses_an_unmarked_folder_holding_what_a_build_never_writes(project, capsys, tmp_path, content):
    target = tmp_path / "ailleurs"
    (target / content).parent.mkdir(parents=True)
    (target / content).write_text("à garder\n", encoding="utf-8")
    code, out = run(capsys, "build", "--sans-pdf", "--site-dir", str(target))
    assert code == 2 and "n'est pas un site construit par « contrat build »" in out
    assert (target / content).read_text(encoding="utf-8") == "à garder\n"


def test_build_refuses_a_file_or_a_link_as_site_dir(project, tmp_path):
    (tmp_path / "fichier").write_text("x", encoding="utf-8")
    (tmp_path / "lien").symlink_to(project)
    for target in ("fichier", "lien"):
        with pytest.raises(build_module.Refused):
            build_module.check_site_dir(tmp_path / target, project / "mkdocs.yml", project / "contract")


def test_build_replaces_an_unmarked_site_and_a_marked_one_then_refuses_while_locked(tmp_path, capsys, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>ancien site</p>", encoding="utf-8")  # today's site/: no marker yet
    assert build_site(ROOT / "mkdocs.yml", MINI, site, pdf=False) == 0
    assert (site / MARKER).is_file() and "ancien site" not in (site / "index.html").read_text(encoding="utf-8")
    (site / "ajout.yaml").write_text("x: 1\n", encoding="utf-8")  # a marked site may be replaced whatever it holds
    assert build_site(ROOT / "mkdocs.yml", MINI, site, pdf=False) == 0
    assert not (site / "ajout.yaml").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.verrou", "site"]  # no staging left behind
    monkeypatch.setattr(build_module, "LOCK_WAIT", 0.3)
    capsys.readouterr()
    with build_module._lock(site):
        assert build_site(ROOT / "mkdocs.yml", MINI, site, pdf=False) == 2
    assert "une autre construction du site est en cours" in capsys.readouterr().err


def test_two_builds_at_once_leave_a_complete_site(tmp_path):
    site = tmp_path / "site"
    reference = build_site(ROOT / "mkdocs.yml", MINI, tmp_path / "reference", pdf=False)
    assert reference == 0
    command = [str(ROOT / ".venv/bin/contrat"), "build", "--sans-pdf", "--config", str(ROOT / "mkdocs.yml"),
               "--contract", str(MINI), "--site-dir", str(site)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    runs = [subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = [(r.wait(timeout=300), r.stderr.read()) for r in runs]
    for code, err in results:
        assert code == 0 or (code == 2 and "une autre construction du site est en cours" in err), err
    def files(root):  # the search index's file names are hashes of varying content: count them
        found = [p.relative_to(root) for p in root.rglob("*")]
        return sorted(p for p in found if p.parts[0] != "pagefind"), sum(p.parts[0] == "pagefind" for p in found)
    assert files(site) == files(tmp_path / "reference")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".en-cours", ".ancien"))]


@pytest.mark.parametrize("error", [OSError(36, "File name too long", "x" * 300), RuntimeError("échec du PDF")])
def test_a_failure_outside_mkdocs_cleans_up_and_keeps_the_previous_site(tmp_path, capsys, monkeypatch, error):
    site = tmp_path / "site"
    assert build_site(ROOT / "mkdocs.yml", MINI, site, pdf=False) == 0
    before = _snapshot(site)

    def broken_pdf(*args):
        raise error
    monkeypatch.setattr("generator.publish.pdf.write_pdf", broken_pdf)
    capsys.readouterr()
    assert build_site(ROOT / "mkdocs.yml", MINI, site, pdf=True) == 1
    err = capsys.readouterr().err
    assert "Construction du site impossible" in err and "Traceback" not in err
    assert "Le site précédent" in err
    assert _snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.verrou", "site"]


# -- the contract folder is read, never followed -----------------------------------------------

from generator.check.pipeline import check  # noqa: E402
from generator.core.problems import Problem, report  # noqa: E402


def _codes(result, name):
    return [(p.code, p.line, p.column) for p in result.problems if p.file == f"contract/{name}"]


def test_symlinks_in_the_contract_are_problems_and_never_read(mini_copy, tmp_path, capsys):
    secret = tmp_path / "secret.yaml"
    secret.write_text('id: "1.1.4"\nobjective: "1.1"\ntitle: "CONTENU SECRET"\n', encoding="utf-8")
    (mini_copy / "actions/1.1.4.yaml").symlink_to(secret)
    (mini_copy / "annexes/2.yaml").symlink_to("/etc/passwd")
    outside = tmp_path / "dehors"
    outside.mkdir()
    (mini_copy / "figures").symlink_to(outside)
    result = check(Path("contract"))
    for name in ("actions/1.1.4.yaml", "annexes/2.yaml", "figures"):
        assert _codes(result, name) == [("CV401", 1, 1)], name
    code, out = run(capsys, "validate")
    assert code == 1 and "CONTENU SECRET" not in out and "root:" not in out
    code, out = run(capsys, "build", "--sans-pdf", "--config", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site"))
    assert code == 1 and not (tmp_path / "site").exists()


def test_a_fifo_is_a_problem_and_never_opened(mini_copy):
    os.mkfifo(mini_copy / "actions/1.1.4.yaml")
    # A validator that opened the FIFO would wait for a writer forever: run it in a subprocess with a timeout.
    done = subprocess.run([str(ROOT / ".venv/bin/contrat"), "validate"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "contract/actions/1.1.4.yaml:1:1: CV401 fichier spécial refusé" in done.stdout


def test_unreadable_files_and_folders_are_problems(mini_copy, monkeypatch):
    # Tests may run as root, whom file permissions do not stop: the operating system's refusal is simulated.
    real_open, real_scandir = os.open, os.scandir

    def refusing_open(path, *args, **kwargs):
        if str(path).endswith("1.1.2.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    def refusing_scandir(path):
        if str(path).endswith("governance"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)
    monkeypatch.setattr("generator.check.tree.os.open", refusing_open)
    monkeypatch.setattr("generator.check.tree.os.scandir", refusing_scandir)
    result = check(Path("contract"))
    assert _codes(result, "actions/1.1.2.yaml") == [("CV402", 1, 1)]
    assert _codes(result, "governance") == [("CV402", 1, 1)]


def test_a_file_too_large_is_not_read(mini_copy):
    big = mini_copy / "actions/1.1.3.yaml"
    big.write_text(big.read_text(encoding="utf-8") + "# " + "x" * (3 * 1024 * 1024) + "\n", encoding="utf-8")
    assert _codes(check(Path("contract")), "actions/1.1.3.yaml") == [("CV403", 1, 1)]


def test_deep_nesting_is_a_problem_not_a_recursion_error():
    from generator.core.load import load_text
    for depth in (1000, 5000):
        block = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "v\n"
        flow = "a: " + "{b: " * depth + "1" + "}" * depth + "\n"
        for text in (block, flow):
            doc, problems = load_text(text, "x.yaml")
            assert doc is None and [p.code for p in problems] in (["CV404"], ["CV101"])


def test_problem_messages_are_short_and_inert(mini_copy, capsys):
    key = "clé-" + "x" * 1000
    (mini_copy / "actions/1.1.3.yaml").write_text(f'id: "1.1.3"\n"{key}": 1\n"{key}": 2\n', encoding="utf-8")
    code, out = run(capsys, "validate")
    line = next(line for line in out.splitlines() if "CV102" in line)
    assert code == 1 and len(line) < 200 and "clé-xxx" in line
    problem = Problem("a\nb.yaml", 1, 1, "CV999", "\x1b[31m\u202e" + "m" * 10000)
    assert problem.text().startswith("a\\nb.yaml:1:1: CV999 \\x1b[31m\\u202emmm")
    assert len(problem.message) == 600 and problem.message.endswith("…")


# -- CI outputs that cannot be forged ----------------------------------------------------------

def test_github_annotations_cannot_be_forged():
    from generator.core.problems import github_message, github_property
    problem = Problem("x.yaml\n::error file=faux.yaml::forgé\n::stop-commands::jeton", 1, 2, "CV101", "a\r\n::warning::b %")
    out = report([problem], "github")
    assert "\n" not in out and "\r" not in out
    assert out.startswith("::error file=x.yaml\\n%3A%3Aerror file=faux.yaml%3A%3Aforgé\\n%3A%3Astop-commands%3A%3Ajeton,line=1,col=2::")
    assert github_property("a:b,c%d\r\ne") == "a%3Ab%2Cc%25d%0D%0Ae"
    assert github_message("a:b,c%d\r\ne") == "a:b,c%25d%0D%0Ae"


def test_markdown_summary_escapes_ids_and_text():
    change = diff.Change("actions/1.1.1\n# Titre forgé", "modify", "actions/x`y|z\n## h.yaml",
                         fields=[diff.FieldChange("title", "a", "<img src=x onerror=alert(1)>\n# h")])
    out = diff.to_markdown(diff.Diff("main\n# b", "HEAD", [change], {}))
    assert not [l for l in out.splitlines() if l.startswith("#") and not l.startswith(("### Modifications", "#### "))]
    assert "\\<img" in out and "<img" not in out.replace("\\<img", "")


# -- raw HTML and images ------------------------------------------------------------------------

from generator.publish import pdf

from generator.site import sanitize  # noqa: E402
from tests.conftest import HOSTILE  # noqa: E402


def test_the_hostile_fixture_is_refused_by_validation():
    codes = {p.code for p in check(HOSTILE).problems}
    assert "CV407" in codes


@pytest.mark.parametrize("tag", ["script", "style", "title", "textarea", "SCRIPT"])
def test_the_sanitiser_never_removes_text_after_a_tag(tag):
    html = f"<p>avant <{tag}>caché</p><p>après la balise</p>"
    assert "après la balise" in sanitize.clean(html)


def test_the_sanitiser_drops_third_party_images():
    cleaned = sanitize.clean('<img src="https://exemple.org/p.png"><img src="//cdn/p.png"><img src="images/plan.png">')
    assert "exemple.org" not in cleaned and "cdn" not in cleaned and 'src="images/plan.png"' in cleaned


@pytest.mark.parametrize("url", ["https://exemple.org/p.png", "//cdn/p.png", "\\\\hote/p.png", "\\hote/p.png", " https://x/p.png"])
def test_validation_refuses_every_image_the_sanitiser_would_drop(url):
    """One rule for images from elsewhere: what validation accepts, the site shows (no silently broken image)."""
    from generator.core.load import load_text
    from generator.check.rawhtml import problems
    doc, _ = load_text(f"id: 'p'\nbody: '![plan]({url})'\n", "sections/p.yaml")
    assert [p.code for p in problems(doc)] == ["CV408"]
    assert "src" not in sanitize.clean(f'<img src="{url}" alt="plan">')


def test_the_pdf_step_fetches_nothing(tmp_path):
    import http.server
    import threading
    from weasyprint import HTML
    requested = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        page = f'<img src="{url}/image.png"><link rel="stylesheet" href="{url}/style.css"><p>texte</p>'
        HTML(string=page).write_pdf(tmp_path / "temoin.pdf")  # WeasyPrint's default fetcher does call the server
        assert requested
        requested.clear()
        HTML(string=page, url_fetcher=pdf.local_fetcher()).write_pdf(tmp_path / "a.pdf")
        pdf.write_pdf("Titre", f"Texte ![image]({url}/p.png)\n", tmp_path / "b.pdf")
        assert requested == [] and (tmp_path / "b.pdf").stat().st_size > 0
    finally:
        server.shutdown()


def test_a_long_text_full_of_references_validates_in_reasonable_time(tmp_path):
    from bench.xref_scan import hostile_contract
    contract = hostile_contract(tmp_path, 644)
    # A guard, not a measure (bench/xref_scan.py measures): the quadratic scan took 24 s here, linear well under 1 s.
    done = subprocess.run([str(ROOT / ".venv/bin/contrat"), "validate", "--contract", str(contract)],
                          capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stdout[-500:]


# -- make serve shows problems instead of hanging -----------------------------------------------

import socket  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def _until(url: str, wanted: str, limit: float = 180) -> str:
    """GET `url` (each request with a timeout) until the page holds `wanted`."""
    deadline, last = time.monotonic() + limit, ""
    while time.monotonic() < deadline:
        try:
            last = _get(url)[1]
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            last = ""
        if wanted in last:
            return last
        time.sleep(0.5)
    raise AssertionError(f"« {wanted} » jamais servi par {url} ; dernière réponse : {last[:300]}")


def test_serve_shows_problems_in_the_browser_then_the_site_when_fixed(tmp_path):
    project = tmp_path / "projet"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(MINI, project / "contract")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    sheet = project / "contract/actions/1.1.2.yaml"
    good = sheet.read_text(encoding="utf-8")
    sheet.write_text(good.replace('objective: "1.1"', 'objective: "9.9"'), encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([str(ROOT / ".venv/bin/mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}/"
        page = _until(base, "Le contrat comporte des problèmes")
        assert "contract/actions/1.1.2.yaml:2:12</code> CV301 référence inconnue : « 9.9 »" in page
        assert "livereload" in page  # the page reloads by itself once fixed
        status, other = _get(base + "fiches/1.1.1/")  # any address shows the problems
        assert "contract/actions/1.1.2.yaml:2:12" in other
        sheet.write_text(good, encoding="utf-8")
        page = _until(base, "Valbourg")
        assert "comporte des problèmes" not in page
        assert _get(base + "fiches/1.1.1/")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_security_md_cites_tests_and_cases_that_exist():
    import re
    text = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    tests = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    for name in set(re.findall(r"`(test_\w+)`", text)) | set(re.findall(r"::(test_\w+)`", text)):
        assert f"def {name}(" in tests, name
    cases = re.search(r"dossiers de `tests/cases/invalid/` : (.*) \|", text).group(1)
    for case in re.findall(r"`([\w-]+)`", cases):
        assert (ROOT / "tests/cases/invalid" / case / "expected.yaml").is_file(), case


def test_templates_escape_by_default_and_refuse_unknown_names():
    """Every value a template prints is escaped unless the engine built it as Markdown; a misspelled
    variable, method or entity field stops the build instead of printing nothing."""
    from jinja2 import UndefinedError

    from generator.site.render import Inputs, Renderer, _environment
    contract = check(MINI).contract
    renderer, sheet = Renderer(Inputs(contract)), contract.get("actions", "1.1.1")
    env = _environment()
    assert env.from_string("{{ x }}").render(x="*gras* <script>[lien](javascript:x)") == \
        "\\*gras\\* &lt;script&gt;\\[lien\\]\\(javascript:x\\)"
    assert env.from_string("{{ r.link(e) }}").render(r=renderer, e=sheet).startswith("[Fiche action 1\\.1\\.1")
    for mistake in ("{{ r.lien(e) }}", "{{ e.titre }}", "{{ inconnu }}", "{% if e.titre %}x{% endif %}"):
        with pytest.raises(UndefinedError):
            env.from_string(mistake).render(r=renderer, e=sheet)
    assert env.from_string("{{ e.co_pilots is none }}|{{ e.pilot.name is none }}").render(e=sheet) == "True|True"
