"""generator/site/urls.py is the one place that knows a page's path, its public address and every anchor: unit
tests of each kind of page and anchor, the root included, and a scan that no other module or template
builds one."""
import re

import pytest

import yaml

from generator.core.model import Entity
from generator.core.registry import COLLECTIONS, LEVELS
from generator.core.structure import structure_of
from generator.site import urls
from tests.conftest import ROOT
from tests.imports import imports

GENERATOR = ROOT / "generator"
# The real contract's structure: its levels' folders are its addresses (« fiches/2.4.3/ »).
STRUCTURE = structure_of(yaml.safe_load((ROOT / "contract" / "contrat.yaml").read_text(encoding="utf-8")))


def entity(collection: str, id_: str, **data) -> Entity:
    return Entity(collection, id_, f"{collection}/{id_}.yaml", 1, {"id": id_, **data})


@pytest.mark.parametrize("collection, id_, data, path, url, anchor", [
    ("axes", "2", {}, "axes/2.md", "axes/2/", ""),
    ("objectives", "2.4", {}, "objectifs/2.4.md", "objectifs/2.4/", ""),
    ("actions", "2.4.3", {}, "fiches/2.4.3.md", "fiches/2.4.3/", ""),
    ("territories", "etouvie", {}, "territoires/etouvie.md", "territoires/etouvie/", ""),
    ("projects", "projet-etouvie", {}, "projets/projet-etouvie.md", "projets/projet-etouvie/", ""),
    ("signatories", "etat", {}, "signataires/etat.md", "signataires/etat/", ""),
    ("governance", "comite-pilotage", {}, "gouvernance/comite-pilotage.md", "gouvernance/comite-pilotage/", ""),
    ("sections", "s-3-2", {"part": "cadre"}, "texte/cadre.md", "texte/cadre/", "s-3-2"),
    ("annexes", "3", {}, "annexes.md", "annexes/", "annexe-3"),
    ("amendments", "1", {}, "avenants.md", "avenants/", "revision-1"),
    ("corrections", "2", {}, "corrections.md", "corrections/", "correction-2"),
    ("commitments", "caf-creches", {"signatory": "caf"}, "signataires/caf.md", "signataires/caf/", "engagement-caf-creches"),
])
def test_each_kind_of_entity_has_its_page_address_and_anchor(collection, id_, data, path, url, anchor):
    e = entity(collection, id_, **data)
    assert urls.page_path(e, STRUCTURE) == path
    assert urls.public_url(path) == url
    assert urls.anchor(e) == anchor
    assert urls.public_address(e, STRUCTURE) == (f"{url}#{anchor}" if anchor else url)


def test_every_collection_with_a_page_is_covered_above():
    covered = {"axes", "objectives", "actions", "territories", "signatories", "governance", "sections", "annexes",
               "amendments", "corrections", "commitments", "projects"}
    assert covered == {c.name for c in COLLECTIONS.values() if c.page} | set(LEVELS)


def test_the_root_is_served_at_dot_slash_like_mkdocs():
    from mkdocs.structure.files import File
    assert urls.public_url(urls.PAGES["home"]) == "./" == File("index.md", "", "", use_directory_urls=True).url
    assert urls.public_url(urls.PAGES["home"], "x") == "./#x"
    assert urls.markdown_path("./") == urls.markdown_path("") == "index.md"
    assert urls.absolute("https://exemple.fr/contrat/", "./") == "https://exemple.fr/contrat/"
    assert urls.absolute("https://exemple.fr/contrat", "fiches/1.1.1/") == "https://exemple.fr/contrat/fiches/1.1.1/"
    assert urls.absolute("", "./") == "./"


@pytest.mark.parametrize("name", sorted(urls.PAGES))
def test_the_site_own_pages_agree_with_mkdocs_addresses(name):
    from mkdocs.structure.files import File
    path = urls.PAGES[name]
    assert urls.is_page(path)
    assert urls.public_url(path) == File(path, "", "", use_directory_urls=True).url
    assert urls.html_path(path) == File(path, "", "", use_directory_urls=True).dest_uri


@pytest.mark.parametrize("path", ["fiches/2.1.2.md", "index.md", "a/README.md", "texte/partie-1.md", "x.md"])
def test_the_file_a_page_is_written_to_is_where_mkdocs_writes_it(path):
    from mkdocs.structure.files import File
    assert urls.html_path(path) == File(path, "", "", use_directory_urls=True).dest_uri


def test_files_served_as_they_are_keep_their_path():
    assert urls.public_url(urls.FEED) == "flux.xml"
    assert urls.public_url(urls.PDF) == urls.PDF
    assert urls.item_data(entity("actions", "1.1.1"), STRUCTURE) == urls.data_file("fiches/1.1.1.json") == "donnees/fiches/1.1.1.json"
    assert not urls.is_page(urls.data_file("axes.csv"))


def test_folders_parts_and_versions():
    assert urls.part_path("cadre") == "texte/cadre.md"
    assert urls.page_folder("actions", STRUCTURE) == "fiches"
    assert urls.folder_of("fiches/1.1.1.md") == "fiches" and urls.folder_of("texte/index.md") == ""
    assert urls.version_path("v2") == "versions/v2/index.md"
    assert urls.version_path("v2", "fiches/1.1.1.md") == "versions/v2/fiches/1.1.1.md"
    assert urls.is_version_path(urls.version_path("v2")) and not urls.is_version_path("fiches/1.1.1.md")
    assert urls.collection_path("actions", {"id": "9.9.9"}, STRUCTURE) == "fiches/9.9.9.md"


def test_anchors_outside_a_collection_pattern():
    assert urls.event_anchor({"date": "2015-07-06"}) == "evenement-2015-07-06"
    assert urls.line_anchor(12) == "L12"
    assert urls.note_anchor(entity("signatories", "etat")) == "note-etat"
    assert urls.item_anchor("1.2") == "1.2"
    assert urls.follow_up_anchor(entity("actions", "1.1.1")) == "suivi"
    assert urls.follow_up_anchor(entity("commitments", "caf-creches", signatory="caf")) == "suivi-engagement-caf-creches"
    assert [urls.print_anchor(entity(c, "1", part="p"), STRUCTURE) for c in ("sections", "axes", "objectives")] == \
        ["imprimer-1", "imprimer-axe-1", "imprimer-objectif-1"]


@pytest.mark.parametrize("here, target, fragment, link", [
    ("fiches/1.1.1.md", "fiches/1.1.2.md", "", "1.1.2.md"),
    ("fiches/1.1.1.md", "index.md", "", "../index.md"),
    ("index.md", "annexes.md", "annexe-3", "annexes.md#annexe-3"),
    ("versions/v1/texte/cadre.md", "versions/v1/index.md", "", "../index.md"),
])
def test_relative_links(here, target, fragment, link):
    assert urls.relative(here, target, fragment) == link


def test_urls_stays_below_the_markdown_layer():
    """urls.py, and what it imports, never reach markup: addresses are plain strings, marked by the renderer."""
    seen, todo = set(), ["generator.site.urls"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += imports(module)
    assert "generator.site.markup" not in seen, sorted(seen)


# Python: what building a page path, an address or an anchor looks like. The registry alone may hold page and
# anchor patterns, as data (« fiches/{id}.md », « annexe-{id} »): urls.py fills them in.
PYTHON_PATTERNS = {
    "page path literal": re.compile(r"""["'][\w{}./-]*\.md["']"""),
    "anchor joined to an address": re.compile(r"""["']#["']\s*\+|\+\s*["']#["']|\bf["']#\{"""),
    "served file": re.compile(r"""index\.html["']"""),
    "anchor pattern": re.compile(r"""\w-\{id\}"""),
}
ALLOWED = {("registry.py", "page path literal"), ("registry.py", "anchor pattern"),
           ("structure.py", "page path literal")}  # a level's page pattern, from the folder its contract declares
# Templates: every anchor they print (« { #… } », « id="…" », « href="#…" ») and every fragment they link to
# comes from the renderer (r.…), which asks urls.py; no page is named by its file.
TEMPLATE_PATTERNS = {
    "anchor not asked": re.compile(r"""\{ #(?!\{\{ r\.(?:aids\.)?\w+\()|\bid="(?!\{\{ r\.(?:aids\.)?\w+\()|\bhref="#(?!\{\{ r\.(?:aids\.)?\w+\()"""),
    "fragment literal": re.compile(r"""\br\.(?:to|href)\([^()]*,\s*["']"""),
    "page path literal": re.compile(r"""["'][\w{}./-]*\.md["']"""),
}


def _scan(files, patterns) -> list[str]:
    found = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{path.relative_to(ROOT)}:{number}: {kind}: {line.strip()}"
                      for kind, pattern in patterns.items() if pattern.search(line) and (path.name, kind) not in ALLOWED]
    return found


def test_no_module_but_urls_builds_an_address_or_an_anchor():
    modules = [p for p in sorted(GENERATOR.rglob("*.py")) if p.name != "urls.py"]
    assert _scan(modules, PYTHON_PATTERNS) == []


def test_no_template_builds_an_address_or_an_anchor():
    assert _scan(sorted((GENERATOR / "site" / "templates").glob("*.j2")), TEMPLATE_PATTERNS) == []


@pytest.mark.parametrize("kind, line", [
    ("anchor joined to an address", 'href = public_url(path) + "#" + anchor(e)'),
    ("anchor joined to an address", 'href = f"#{fragment}"'),
    ("page path literal", 'path = prefix + "index.md"'),
    ("anchor pattern", 'anchor="annexe-{id}"'),
])
def test_the_python_scan_finds_what_it_looks_for(kind, line):
    assert PYTHON_PATTERNS[kind].search(line)


@pytest.mark.parametrize("kind, line", [
    ("anchor not asked", "## {{ f.title }} { #{{ f.id | name }} }"),
    ("anchor not asked", '<p id="L{{ n }}"><a href="#L{{ n }}">'),
    ("fragment literal", '{{ r.to("transcription", "note-" ~ e.id) }}'),
    ("page path literal", '{{ r.href("index.md") }}'),
])
def test_the_template_scan_finds_what_it_looks_for(kind, line):
    assert TEMPLATE_PATTERNS[kind].search(line)
