"""The registry of collections is the one place that knows each kind of entity: every record must agree
with its schema and its template, and the rest of the engine must take its collections from it."""
import re
import string

import pytest

from generator.core import registry
from generator.core.registry import COLLECTIONS
from generator.site.render import TEMPLATES
from generator.core.schemas import schema_for
from tests.conftest import ROOT


@pytest.mark.parametrize("kind", COLLECTIONS.values(), ids=list(COLLECTIONS))
def test_each_record_agrees_with_its_schema_and_template(kind):
    properties = schema_for(kind.schema)["properties"]
    assert "id" in properties
    for name in kind.prose:
        assert properties[name]["type"] == "string", name
    if kind.parent:
        field, parent = kind.parent
        assert properties[field]["x-ref"] == parent and parent in COLLECTIONS
    if kind.page:
        fields = {f for _, f, _, _ in string.Formatter().parse(kind.page) if f}
        assert fields <= set(properties), kind.page
        assert kind.page.endswith(".md")
    if kind.template:
        assert (kind.page or kind.name in registry.LEVELS) and (TEMPLATES / kind.template).is_file()
    assert kind.singular and kind.plural and kind.article


def test_enumerations_have_french_labels():
    """Every enumerated category an entity can have is named in the schema (x-labels), singular and plural."""
    for kind in COLLECTIONS.values():
        for name, spec in schema_for(kind.schema)["properties"].items():
            if "enum" in spec and name in ("kind", "status", "unit", "category"):
                assert set(spec["x-labels"]) == set(spec["enum"]), (kind.name, name)
                assert set(spec.get("x-feminine-labels", spec["x-labels"])) == set(spec["enum"]), (kind.name, name)
                assert [v for v, _, _ in registry.labels(kind.name, name)] == spec["enum"]


def test_no_module_lists_the_collections_but_the_registry():
    """A collection's folder name appears as a key of a table only in the registry."""
    pattern = re.compile(r'\{\s*"(sections|axes|objectives|actions|territories|signatories|governance|annexes)"\s*:')
    # core/tables.py names the open-data tables by their keys in the export, some of which a collection's name
    found = [p.name for p in (ROOT / "generator").rglob("*.py")
             if p.name not in ("registry.py", "tables.py") and pattern.search(p.read_text())]
    assert found == []


def test_schemas_that_name_collections_name_the_registry_s():
    """Where a schema names the collections (declared counts, the entities a revision changes), it names
    exactly the registry's: revisions change the contract's text, not the records of revisions."""
    counted = schema_for("contrat")["properties"]["counts"]["items"]["properties"]["entity"]["enum"]
    assert set(counted) == set(COLLECTIONS)
    revised = {c for c in COLLECTIONS if c not in ("amendments", "corrections")}
    for kind in ("amendment", "correction"):
        change = schema_for(kind)["properties"]["changes"]["items"]["properties"]
        for name in ("entity", "to"):
            listed = re.search(r"\^\(contrat\|\(([^)]*)\)/", change[name]["pattern"]).group(1).split("|")
            assert set(listed) == revised, (kind, name)


def test_a_listing_page_is_one_of_the_site_s_own_pages():
    """The page that lists a collection is named as urls.PAGES names it; it is made only over something."""
    from generator.site.urls import PAGES
    listings = {c.listing for c in COLLECTIONS.values() if c.listing}
    assert listings and listings <= set(PAGES)
