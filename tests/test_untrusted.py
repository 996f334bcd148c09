"""Untrusted input, round two: redirects, one sanitising policy for every page, configuration values,
characters XML cannot carry, ids anchored to the whole string. Each test reproduces an attack."""
import json
import pathlib
import re
import xml.etree.ElementTree as ET

import pytest

from generator.engine.build import build_site
from generator.core.load import load_text
from generator.check.pipeline import check
from tests.conftest import MINI, ROOT, build


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff"])
@pytest.mark.parametrize("escaped", [False, True])
def test_characters_xml_cannot_carry_are_refused(char, escaped):
    written = f"\\U{ord(char):08X}" if escaped else char
    doc, problems = load_text(f'title: "Avant {written} après"\n', "a.yaml")
    assert doc is None and [p.code for p in problems] == ["CV405"], problems
    assert f"U+{ord(char):04X}" in problems[0].message


def test_feed_and_sitemap_are_xml(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTRAT_SITE_URL", "https://contrat.example.org/")
    site = build(MINI, tmp_path / "site")
    for name in ("flux.xml", "sitemap.xml"):
        assert len(ET.parse(site / name).getroot()) > 0, name


def _patterns(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def test_schema_patterns_are_anchored_to_the_whole_string():
    """Python's `$` (jsonschema uses re.search) also matches before a final line break; ECMA 262's, as
    editors read the schemas, does not. Validation reads them as editors do."""
    from generator.core.schemas import SCHEMA_DIR, matches
    patterns = {p for path in SCHEMA_DIR.glob("*.schema.json") for p in _patterns(json.loads(path.read_text(encoding="utf-8")))}
    assert len(patterns) > 10
    for pattern in patterns:
        assert "$" not in pattern[:-1], pattern  # « $ » only as the last character, where matches() reads it
    assert matches("^[0-9]+(\\.[0-9]+)*$", "1.2") and not matches("^[0-9]+(\\.[0-9]+)*$", "1.2\n")


def test_an_id_ending_with_a_line_break_is_refused_and_makes_no_folder(mini_copy, tmp_path):
    source = mini_copy / "actions" / "1.1.3.yaml"
    (mini_copy / "actions" / "1.1.3\n.yaml").write_text(source.read_text(encoding="utf-8").replace('id: "1.1.3"', 'id: "1.1.3\\n"'),
                                                      encoding="utf-8")
    source.unlink()
    result = check(mini_copy)
    assert not result.ok and [p.code for p in result.problems if "1.1.3" in p.file] == ["CV204"], result.problems
    assert build_site(ROOT / "mkdocs.yml", mini_copy, tmp_path / "site", pdf=False) == 1
    assert not any("\n" in p.name for p in tmp_path.rglob("*") if p != mini_copy / "actions" / "1.1.3\n.yaml")


# -- one sanitising policy for every page ----------------------------------------------------------

from generator.site import sanitize  # noqa: E402
from tests.test_site_build import scan  # noqa: E402


def project(tmp_path, docs=None, config=""):
    """A project beside the small contract: mkdocs.yml as the repository's (without its nav, with `config`
    added), and hand-written pages {path: Markdown} in docs/."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:")[0] + "\n" + config
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    for path, markdown in (docs or {}).items():
        (tmp_path / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "docs" / path).write_text(markdown, encoding="utf-8")
    return tmp_path / "mkdocs.yml"


HOSTILE_PAGE = """---
title: Page <script>alert('titre')</script>
---

# Une page écrite à la main

Un paragraphe qui se donne l'identifiant du thème.
{: #__config .md-dialog onclick="alert('attr')" }

<script>alert('script')</script>
<img src="x.png" onerror="alert('img')">
[cliquez](javascript:alert('lien')) <a href="JaVaScRiPt:alert('html')" id="__search" class="md-search cv-lead">lien</a>

<div markdown="1" onmouseover="alert('div')" id="cv-q">bloc</div>
"""


def test_hand_written_pages_are_sanitised_like_generated_ones(tmp_path):
    config = project(tmp_path, {"piege.md": HOSTILE_PAGE, "titre.md": "# Titre &lt;script&gt;alert('h1')&lt;/script&gt;\n"})
    assert build_site(config, MINI, tmp_path / "site", pdf=False) == 0
    page = tmp_path / "site" / "piege" / "index.html"
    s = scan(page)
    assert s.live == [] and s.scripts == scan(tmp_path / "site" / "index.html").scripts, s.live
    text = page.read_text(encoding="utf-8")
    assert text.count('id="__config"') == 1 and text.count('id="__search"') == 1  # the theme's own, once
    article = text.split("data-pagefind-body>")[1].split("</article>")[0]
    assert "id=" in article and not re.search(r'id="(__|cv-)', article) and "md-" not in article
    assert 'class="cv-lead"' in article
    assert "<script>alert" not in text
    assert "<title>Titre &lt;script&gt;alert(&#x27;h1&#x27;)&lt;/script&gt; - " in (tmp_path / "site/titre/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("html, kept, dropped", [
    ('<p id="__config">x</p>', "<p>x</p>", "__config"),
    ('<p id="cv-q" class="md-typeset cv-cite">x</p>', '<p class="cv-cite">x</p>', "cv-q"),
    ('<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>', 'id="fnref:1"', "xx"),
    ('<h2 id="objectif-1.1_1">T<a class="headerlink" href="#objectif-1.1_1">¶</a></h2>', 'id="objectif-1.1_1"', "xx"),
    (f'<h2 id="{"a" * 400}">T</h2>', f'id="{"a" * 400}"', "xx"),  # a long heading's anchor
    ('<a href="vbscript:x" class="admonition-title x">l</a>', '<a class="admonition-title">l</a>', "vbscript"),
])
def test_the_sanitiser_keeps_only_the_ids_and_classes_of_the_engine(html, kept, dropped):
    cleaned = sanitize.clean(html)
    assert kept in cleaned and dropped not in cleaned, cleaned


# -- redirects ---------------------------------------------------------------------------------

def _redirects(maps: dict) -> str:
    lines = "".join(f"        {json.dumps(old)}: {json.dumps(new)}\n" for old, new in maps.items())
    return "plugins:\n  - contrat\n  - redirects:\n      redirect_maps:\n" + lines


def _with_redirects(tmp_path, maps: dict):
    config = project(tmp_path)
    text = config.read_text(encoding="utf-8")
    text = text.replace("plugins:\n  - contrat", "plugins_:\n  - contrat").replace("  - redirects:\n      redirect_maps: {}\n", "")
    config.write_text(text.replace("plugins_:\n  - contrat", _redirects(maps).rstrip("\n")), encoding="utf-8")
    return config


@pytest.mark.parametrize("target", [
    "https://piege.example/",
    "HTTP://piege.example/\"><script>alert(1)</script>",
    "fiches/1.1.1.md#x\"><script>alert(1)</script>",
    "fiches/1.1.1.md#\";alert(1);//",
    "fiches/1.1.1.md#ancre-inconnue",
    "javascript:alert(1)",
    "//piege.example/",
])
def test_a_redirect_leads_only_to_a_page_of_this_site(tmp_path, capsys, target):
    config = _with_redirects(tmp_path, {"ancienne.md": target})
    assert build_site(config, MINI, tmp_path / "site", pdf=False) == 1
    err = capsys.readouterr().err
    line = next(n for n, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if "ancienne.md" in text)
    assert f"mkdocs.yml:{line}:" in err and "CV320" in err and "la redirection de « ancienne.md »" in err, err
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("old", ["flux.xml.md", "flux.xml/a.md", "donnees/index.md", "adresses.txt.md", "pagefind.md"])
def test_a_redirect_that_collides_with_a_published_file_is_cv320(tmp_path, capsys, old):
    config = _with_redirects(tmp_path, {old: "fiches/1.1.1.md"})
    assert build_site(config, MINI, tmp_path / "site", pdf=False) == 1
    err = capsys.readouterr().err
    assert "CV320" in err and "erreur inattendue" not in err, err


def test_redirect_pages_are_written_by_the_engine_in_french(tmp_path):
    from generator.site.urls import anchor
    contract = check(MINI).contract
    shared = next(e for c in contract.collections for e in contract.all(c) if anchor(e))
    from generator.site.urls import page_path
    target = f"{page_path(shared, contract.structure)}#{anchor(shared)}"
    config = _with_redirects(tmp_path, {"ancienne.md": "fiches/1.1.1.md", "vieux/dossier.md": target})
    assert build_site(config, MINI, tmp_path / "site", pdf=False) == 0
    page = tmp_path / "site" / "ancienne" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "Cette page a changé d'adresse" in text and '<a href="../fiches/1.1.1/">' in text and 'lang="fr"' in text
    assert 'content="0; url=../fiches/1.1.1/"' in text and "../fiches" not in text.split("<script>")[1].split("</script>")[0]
    assert scan(page).live == []
    deep = (tmp_path / "site" / "vieux" / "dossier" / "index.html").read_text(encoding="utf-8")
    assert f'href="../../{page_path(shared, contract.structure).removesuffix(".md").removesuffix("index")}' in deep


def test_hand_written_pages_and_redirects_run_nothing_in_the_browser(page, tmp_path, serve):
    config = _with_redirects(tmp_path, {"ancienne.md": "fiches/1.1.1.md"})
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "piege.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    assert build_site(config, MINI, tmp_path / "site", pdf=False) == 0
    base = serve(tmp_path / "site")
    page.add_init_script("window.__ran = []; window.alert = (m) => { window.__ran.push(m); };")
    page.goto(base + "piege/")
    page.wait_for_load_state("networkidle")
    for link in page.locator("article a").all():
        link.hover()
    page.locator("article").get_by_text("cliquez", exact=True).click()
    assert page.evaluate("window.__ran") == [] and page.dialogs == []
    # The theme still reads its own configuration, not the page's paragraph.
    assert page.evaluate("document.querySelector('#__config').tagName") == "SCRIPT"
    page.goto(base + "ancienne/#suite")
    page.wait_for_url(base + "fiches/1.1.1/#suite")


# -- configuration values and what would run code -------------------------------------------------

@pytest.mark.parametrize("variable, value", [
    ("CONTRAT_SITE_URL", 'https://contrat.example.org/"><script>alert(1)</script>'),
    ("CONTRAT_SITE_URL", "https://contrat.example.org/ x"),
    ("CONTRAT_SITE_URL", "ftp://contrat.example.org/"),
    ("CONTRAT_SITE_URL", "https://contrat.example.org/?x=1#y"),
    ("CONTRAT_REPO_URL", "javascript://forge.example/%0aalert(1)"),
    ("CONTRAT_REPO_URL", "https://forge.example/ville/'contrat"),
    ("CONTRAT_REPO_URL", "http://forge.example/ville/contrat"),
    ("CONTRAT_CONTACT_EMAIL", "erreurs@example.org?bcc=tiers@piege.example"),
    ("CONTRAT_CONTACT_EMAIL", "a?bcc=tiers@piege.example"),
    ("CONTRAT_CONTACT_EMAIL", "erreurs@example.org>"),
    ("CONTRAT_CONTACT_EMAIL", "Nom <erreurs@example.org>"),
    ("CONTRAT_CONTACT_EMAIL", "erreurs@example.org\n"),
])
def test_configuration_values_are_checked_on_reading(tmp_path, capsys, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    config = project(tmp_path)
    assert build_site(config, MINI, tmp_path / "site", pdf=False) == 1
    err = capsys.readouterr().err
    key = {"CONTRAT_SITE_URL": "site_url", "CONTRAT_REPO_URL": "repo_url", "CONTRAT_CONTACT_EMAIL": "contact_email"}[variable]
    line = next(n for n, text in enumerate(config.read_text(encoding="utf-8").splitlines(), 1) if text.lstrip().startswith(key + ":"))
    assert f"mkdocs.yml:{line}:" in err and "CV330" in err and variable in err, err
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("variable, value", [("CONTRAT_SITE_URL", "https://contrat.example.org/sous-dossier/"),
                                             ("CONTRAT_SITE_URL", "http://127.0.0.1:8000/"),
                                             ("CONTRAT_REPO_URL", "https://forge.example/ville/contrat"),
                                             ("CONTRAT_CONTACT_EMAIL", "politique.ville+site@amiens-metropole.example")])
def test_plain_configuration_values_are_accepted(tmp_path, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    assert build_site(project(tmp_path), MINI, tmp_path / "site", pdf=False) == 0


PWNED = "/tmp/contrat-pwned"


@pytest.mark.parametrize("config, what", [
    (f"hooks:\n  - hook.py\n", "hooks"),
    (f"extra:\n  x: !!python/object/apply:os.system [\"touch {PWNED}\"]\n", "!!python/object/apply:os.system"),
    ("markdown_extensions:\n  - hook\n", "hook"),
    ("markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:hook.f\n", "!!python/name:hook.f"),
    ("INHERIT: parent.yml\n", "hooks"),
    ("plugins:\n  - contrat\n  - inconnu\n", "inconnu"),
])
def test_configuration_that_would_run_code_is_refused(tmp_path, capsys, monkeypatch, config, what):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "hook.py").write_text(f"import pathlib\npathlib.Path({PWNED!r}).write_text('x')\ndef f(*a): pass\n", encoding="utf-8")
    (tmp_path / "parent.yml").write_text("hooks:\n  - hook.py\n", encoding="utf-8")
    path = project(tmp_path)
    text = path.read_text(encoding="utf-8")
    if config.startswith(("plugins", "extra")):
        head = config.split(":")[0] + ":\n"
        text = re.sub(rf"(?ms)^{head.strip()}\n(?:  .*\n|\n)*", "", text)
    path.write_text(text + config, encoding="utf-8")
    pathlib.Path(PWNED).unlink(missing_ok=True)
    assert build_site(path, MINI, tmp_path / "site", pdf=False) == 1
    err = capsys.readouterr().err
    assert "CV330" in err and what in err and "erreur inattendue" not in err, err
    assert not pathlib.Path(PWNED).exists()
