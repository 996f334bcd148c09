"""The registry: what each collection of a contract is, in one record per kind.

Load, link, render, search, export, diff and the published addresses loop over these records;
no other module keeps a table of the collections (the open-data tables of export.py are code, one
per table). Adding a collection is one record here, one schema in schemas/ and, if it has pages,
one template. Labels of enumerated values live in the schemas (`x-labels`); a level's kinds are only qualified
there, their names made with the level's declared words (structure.Level.kinds).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from generator.core.schemas import schema_for


@dataclass(frozen=True)
class Collection:
    name: str                    # folder under the contract directory, and the collection's name in the model
    schema: str                  # schemas/<schema>.schema.json
    singular: str                # French labels: « territoire » (a level's are the contract's: core/structure.py)
    plural: str                  # « territoires »
    article: str                 # « le territoire », in messages
    page: str | None = None      # where an entity is shown: a path pattern of its fields ("territoires/{id}.md"), filled
                                 # by urls.py (a level's: the folder its contract declares)
    anchor: str = ""             # its anchor pattern on that page ("annexe-{id}"), when the page shows several
    printed: str = ""            # its anchor pattern on the printable page ("imprimer-{id}"), when shown there
    template: str | None = None  # the template of its own page, when it has one
    prose: tuple[str, ...] = ()  # Markdown fields: cross-references linked on the site and checked
    numbered: bool = False       # numeric ids run 1, 2, 3… without gaps
    parent: tuple[str, str] | None = None  # (field naming the parent, parent collection): ids read parent.N
    search: str = ""             # the search page's « type » filter value of its pages (« quartier »)
    names: tuple[str, ...] = ()  # fields where the text names places (a territory page lists these passages)
    passage: str = ""            # how such a passage is introduced (« Texte du contrat »; a level's: its singular)
    record: bool = False         # a record of changes to the data (revisions, corrections), not text of the contract
    listing: str = ""            # the site's own page that lists it (a name of urls.PAGES), made only if there is something to list


COLLECTIONS: dict[str, Collection] = {c.name: c for c in (
    Collection("sections", "section", "section", "sections", "la section", page="texte/{part}.md", anchor="{id}",
               printed="imprimer-{id}", prose=("body",), names=("body",), passage="Texte du contrat"),
    # The four slots of the strategy: a contract declares, in contrat.yaml, the levels they hold and their words
    # (core/structure.py); the words here only name a slot in messages when contrat.yaml cannot be read. The third
    # and the fourth have the same rubrics (those of the action sheet): the finest level a contract declares,
    # third or fourth, carries them, and both are shown as sheets (action.md.j2).
    Collection("axes", "axis", "élément de premier niveau", "éléments de premier niveau", "l'élément de premier niveau",
               template="axis.md.j2", prose=("intro",), numbered=True, names=("title", "intro")),
    Collection("objectives", "objective", "élément de deuxième niveau", "éléments de deuxième niveau",
               "l'élément de deuxième niveau", template="objective.md.j2", prose=("context",), parent=("axis", "axes"),
               names=("title", "context")),
    Collection("actions", "action", "élément de troisième niveau", "éléments de troisième niveau",
               "l'élément de troisième niveau", template="action.md.j2", prose=("title",),
               parent=("objective", "objectives"), names=("title", "title_points")),
    Collection("subactions", "subaction", "élément de quatrième niveau", "éléments de quatrième niveau",
               "l'élément de quatrième niveau", template="action.md.j2", prose=("title",), parent=("action", "actions"),
               names=("title", "title_points")),
    Collection("territories", "territory", "territoire", "territoires", "le territoire", page="territoires/{id}.md",
               template="territory.md.j2", prose=("description",), search="quartier", listing="territories"),
    # A neighbourhood's own project: its page, and the pages of its territories and of the items it takes up.
    Collection("projects", "project", "projet de quartier", "projets de quartier", "le projet de quartier",
               page="projets/{id}.md", printed="imprimer-{id}", template="project.md.j2", prose=("text",),
               search="projet"),
    Collection("statistics", "statistics", "tableau", "tableaux statistiques", "le tableau", listing="figures"),
    Collection("signatories", "signatory", "signataire", "signataires", "le signataire", page="signataires/{id}.md",
               template="signatory.md.j2", search="signataire", listing="signatories"),
    Collection("governance", "governance", "instance de gouvernance", "instances de gouvernance", "l'instance",
               page="gouvernance/{id}.md", template="governance_body.md.j2", listing="governance"),
    Collection("annexes", "annex", "annexe", "annexes", "l'annexe", page="annexes.md", anchor="annexe-{id}",
               numbered=True, listing="annexes"),
    Collection("figures", "figure", "série de chiffres", "séries de chiffres", "la série de chiffres", listing="figures"),
    # A signatory's commitments are shown on its page, each at its anchor; the pages of the items and
    # territories a commitment concerns list it.
    Collection("commitments", "commitment", "engagement", "engagements", "l'engagement",
               page="signataires/{signatory}.md", anchor="engagement-{id}", printed="imprimer-engagement-{id}",
               prose=("text",)),
    # Dated follow-up records of a strategy item or a commitment, shown on the page of what they follow.
    Collection("follow-ups", "follow-up", "compte rendu de suivi", "comptes rendus de suivi", "le compte rendu de suivi"),
    Collection("amendments", "amendment", "avenant", "avenants", "la révision", page="avenants.md",
               anchor="revision-{id}", prose=("summary",), numbered=True, record=True, listing="amendments"),
    Collection("corrections", "correction", "correction de transcription", "corrections de transcription",
               "la correction", page="corrections.md", anchor="correction-{id}", numbered=True, record=True,
               listing="corrections"),
)}
LEVELS = ("axes", "objectives", "actions", "subactions")  # the slots of the strategy, each the parent of the next
PRINTED_LEVELS = ("axes", "objectives")     # the slots whose items stand under an anchor of the printable page
RECORDS = tuple(c.name for c in COLLECTIONS.values() if c.record)
PARTS = "parts"  # references to the parts of the text declared in contrat.yaml (not a collection)


def schema_kind(key: str) -> str | None:
    """The schema of a data file named by its key (« contrat », « actions/1.1.1 », or a collection name)."""
    if key == "contrat":
        return "contrat"
    collection = key.split("/")[0]
    return COLLECTIONS[collection].schema if collection in COLLECTIONS else None


def page_folders() -> dict[str, str]:
    """The first folder (or page) of each collection's pages, outside the levels: {folder: plural}."""
    return {c.page.split("/")[0].removesuffix(".md"): c.plural for c in COLLECTIONS.values() if c.page}


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
    """What a reference names, for messages: « territoire », « partie du texte (…) » (a level's name is the
    contract's: core/structure.py words)."""
    if target == PARTS:
        return "partie du texte (voir « parts » dans contrat.yaml)"
    return COLLECTIONS[target].singular if target in COLLECTIONS else target
