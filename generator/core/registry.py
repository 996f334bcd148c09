"""The registry: what each collection of a contract is, in one record per kind.

Load, link, render, search, export, diff and the published addresses loop over these records;
no other module keeps a table of the collections (the open-data tables of export.py are code, one
per table). Adding a collection is one record here, one schema in schemas/ and, if it has pages,
one template. Labels of enumerated values live in the schemas (`x-labels`).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from generator.core.schemas import schema_for


@dataclass(frozen=True)
class Collection:
    name: str                    # folder under the contract directory, and the collection's name in the model
    schema: str                  # schemas/<schema>.schema.json
    singular: str                # French labels: « fiche action »
    plural: str                  # « fiches actions »
    article: str                 # « la fiche action », in messages
    page: str | None = None      # where an entity is shown: a path pattern of its fields ("fiches/{id}.md"), filled by urls.py
    anchor: str = ""             # its anchor pattern on that page ("annexe-{id}"), when the page shows several
    printed: str = ""            # its anchor pattern on the printable page ("imprimer-axe-{id}"), when shown there
    template: str | None = None  # the template of its own page, when it has one
    prose: tuple[str, ...] = ()  # Markdown fields: cross-references linked on the site and checked
    numbered: bool = False       # numeric ids run 1, 2, 3… without gaps
    parent: tuple[str, str] | None = None  # (field naming the parent, parent collection): ids read parent.N
    short: str = ""              # short label before a number (« Fiche 1.1.1 »)
    search: str = ""             # the search page's « type » filter value of its pages (« fiche »)
    names: tuple[str, ...] = ()  # fields where the text names places (a territory page lists these passages)
    passage: str = ""            # how such a passage is introduced (« Fiche action »)
    record: bool = False         # a record of changes to the data (revisions, corrections), not text of the contract
    listing: str = ""            # the site's own page that lists it (a name of urls.PAGES), made only if there is something to list


COLLECTIONS: dict[str, Collection] = {c.name: c for c in (
    Collection("sections", "section", "section", "sections", "la section", page="texte/{part}.md", anchor="{id}",
               printed="imprimer-{id}", prose=("body",), names=("body",), passage="Texte du contrat"),
    Collection("axes", "axis", "axe", "axes", "l'axe", page="axes/{id}.md", template="axis.md.j2", printed="imprimer-axe-{id}", prose=("intro",),
               numbered=True, short="Axe", search="objectif",
               names=("title", "intro"), passage="Axe"),
    Collection("objectives", "objective", "objectif opérationnel", "objectifs opérationnels", "l'objectif", page="objectifs/{id}.md",
               template="objective.md.j2", printed="imprimer-objectif-{id}", prose=("context",), parent=("axis", "axes"), short="Objectif",
               search="objectif", names=("title", "context"), passage="Objectif opérationnel"),
    Collection("actions", "action", "fiche action", "fiches actions", "la fiche action", page="fiches/{id}.md",
               template="action.md.j2", prose=("title",), parent=("objective", "objectives"), short="Fiche",
               search="fiche", names=("title", "title_points"), passage="Fiche action"),
    Collection("territories", "territory", "territoire", "territoires", "le territoire", page="territoires/{id}.md",
               template="territory.md.j2", prose=("description",), search="quartier", listing="territories"),
    Collection("statistics", "statistics", "tableau", "tableaux statistiques", "le tableau", listing="figures"),
    Collection("signatories", "signatory", "signataire", "signataires", "le signataire", page="signataires/{id}.md",
               template="signatory.md.j2", search="signataire", listing="signatories"),
    Collection("governance", "governance", "instance de gouvernance", "instances de gouvernance", "l'instance",
               page="gouvernance/{id}.md", template="governance_body.md.j2", listing="governance"),
    Collection("annexes", "annex", "annexe", "annexes", "l'annexe", page="annexes.md", anchor="annexe-{id}",
               numbered=True, listing="annexes"),
    Collection("figures", "figure", "série de chiffres", "séries de chiffres", "la série de chiffres", listing="figures"),
    Collection("amendments", "amendment", "avenant", "avenants", "la révision", page="avenants.md",
               anchor="revision-{id}", prose=("summary",), numbered=True, record=True, listing="amendments"),
    Collection("corrections", "correction", "correction de transcription", "corrections de transcription",
               "la correction", page="corrections.md", anchor="correction-{id}", numbered=True, record=True,
               listing="corrections"),
)}
RECORDS = tuple(c.name for c in COLLECTIONS.values() if c.record)
PARTS = "parts"  # references to the parts of the text declared in contrat.yaml (not a collection)


def schema_kind(key: str) -> str | None:
    """The schema of a data file named by its key (« contrat », « actions/1.1.1 », or a collection name)."""
    if key == "contrat":
        return "contrat"
    collection = key.split("/")[0]
    return COLLECTIONS[collection].schema if collection in COLLECTIONS else None


def get(name: str) -> Collection:
    return COLLECTIONS[name]


def with_pages() -> tuple[Collection, ...]:
    """Collections with one page per entity, in registry order."""
    return tuple(c for c in COLLECTIONS.values() if c.template)


@cache
def declared_fields(collection: str) -> frozenset:
    return frozenset(schema_for(COLLECTIONS[collection].schema).get("properties", {})) if collection in COLLECTIONS else frozenset()


@cache
def labels(collection: str, field: str) -> tuple[tuple[str, str, str], ...]:
    """The values of an enumerated field, in schema order, each with its singular and plural label
    (`x-labels` in the schema): (value, singular, plural)."""
    spec = schema_for(COLLECTIONS[collection].schema)["properties"][field]
    return tuple((value, *spec["x-labels"][value]) for value in spec["enum"])


def label(collection: str, field: str, value: str, plural: bool = False) -> str | None:
    """The label of one value of an enumerated field; None when the schema gives it none."""
    if "x-labels" not in schema_for(COLLECTIONS[collection].schema)["properties"].get(field, {}):
        return None
    return next((many if plural else one for v, one, many in labels(collection, field) if v == value), None)


def noun(target: str) -> str:
    """What a reference names, for messages: « fiche action », « partie du texte (…) »."""
    if target == PARTS:
        return "partie du texte (voir « parts » dans contrat.yaml)"
    return COLLECTIONS[target].singular if target in COLLECTIONS else target
