"""The contract model: one cross-referenced, read-only value made from validated documents
(`check.link` makes it and says what is wrong with the documents). The hierarchy of the slots
(registry.LEVELS) is the registry's, the levels they hold and their words the contract's (`structure`);
the numbers and counts come from the data.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from generator.core import registry, xref
from generator.core.registry import COLLECTIONS
from generator.core.structure import Structure, structure_of

# child collection -> (field naming its parent, parent collection)
HIERARCHY = {c.name: c.parent for c in COLLECTIONS.values() if c.parent}


def natural_key(value: str):
    """'1.10' sorts after '1.9'; non-numeric ids sort after numeric ones, alphabetically."""
    parts = re.split(r"[.\-]", value)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


@dataclass(frozen=True)
class Entity:
    collection: str
    id: str
    file: str
    line: int
    data: Mapping

    def __getattr__(self, name):
        # Templates read fields as attributes: entity.title, entity.body … A field the schema
        # declares but this entity leaves empty is None; a name the schema does not know is a
        # mistake in the code, not a missing value.
        try:
            return self.data[name]
        except KeyError:
            if name in registry.declared_fields(self.collection):
                return None
            raise AttributeError(f"{self.collection} has no field {name!r}") from None


@dataclass(frozen=True)
class Contract:
    meta: Mapping
    file: str
    collections: Mapping[str, tuple]          # collection -> entities in display order
    by_id: Mapping[str, Mapping[str, Entity]]  # collection -> id -> entity
    children: Mapping[tuple, tuple] = field(default_factory=dict)  # (collection, id) -> child entities
    source: tuple[str, ...] | None = None  # lines of the declared source document, when there is one

    def get(self, collection: str, id_: str) -> Entity | None:
        return self.by_id.get(collection, {}).get(id_)

    def all(self, collection: str) -> tuple:
        return self.collections.get(collection, ())

    def children_of(self, entity: Entity) -> tuple:
        return self.children.get((entity.collection, entity.id), ())

    def parent_of(self, entity: Entity) -> Entity | None:
        link = HIERARCHY.get(entity.collection)
        return self.get(link[1], entity.data[link[0]]) if link else None

    def ancestors(self, entity: Entity) -> tuple[Entity, ...]:
        """Its parent, its parent's parent…, nearest first."""
        parent = self.parent_of(entity)
        return (parent, *self.ancestors(parent)) if parent else ()

    def number_of(self, entity: Entity) -> str:
        """The number an item of a level is shown with (« 2.4.3 », « B », « II »), as its level declares it
        (`number` in contrat.yaml); another entity's id. Every page, menu, citation and search filter that
        shows an item's number asks here; its id, file and address stay as they are."""
        level = self.structure.of(entity.collection)
        if level is None:
            return entity.id
        parent = self.parent_of(entity)
        return level.shown(entity.id.rpartition(".")[2], self.number_of(parent) if parent else "")

    @cached_property
    def structure(self) -> Structure:
        """The levels of its strategy and their words, as contrat.yaml declares them."""
        return structure_of(self.meta)

    @cached_property
    def relations(self) -> Relations:
        """What the entities say of each other, derived once: computed on first use, read-only."""
        return _relations(self)

    @cached_property
    def _positions(self) -> Mapping[tuple, int]:
        return MappingProxyType({(e.collection, e.id): i for c in self.collections.values() for i, e in enumerate(c)})

    def neighbours(self, entity: Entity) -> tuple[Entity | None, Entity | None]:
        """The entities before and after this one, in its collection's display order."""
        items, i = self.all(entity.collection), self._positions[(entity.collection, entity.id)]
        return (items[i - 1] if i else None), (items[i + 1] if i + 1 < len(items) else None)

    def sections_of(self, part_id: str) -> tuple:
        return tuple(s for s in self.all("sections") if s.data["part"] == part_id)

    def replaced(self, entities: Mapping[tuple, Entity | None], meta: Mapping | None = None) -> Contract:
        """This contract with some entities replaced ((collection, id) -> entity) or removed (-> None):
        another version of it, read-only like this one and unchecked."""
        by_id = {c: dict(table) for c, table in self.by_id.items()}
        for (collection, id_), entity in entities.items():
            table = by_id.setdefault(collection, {})
            table.pop(id_, None)
            if entity is not None:
                table[id_] = entity
        return assemble(MappingProxyType(dict(meta)) if meta is not None else self.meta, self.file, by_id, self.source)


# The roles an institution can hold on a sheet (an item of the level `Structure.sheets` names): (field, role word).
ROLES = (("pilot", "pilote"), ("co_pilots", "copilote"), ("partners", "partenaire"),
         ("funding_specific", "financeur"), ("funding_common_law", "financeur"))


@dataclass(frozen=True)
class Relations:
    cited_in: Mapping[tuple, tuple]       # (collection, id) -> entities whose prose cites it
    actors: Mapping[str, tuple]           # sheet id (Structure.sheets) -> (role, institution item) pairs, in ROLES order, once each
    roles: Mapping[str, tuple]            # signatory id -> (role, sheet) pairs, sheets in order
    named_in: Mapping[str, tuple]         # sheet id -> signatories its title names
    naming: Mapping[str, tuple]           # signatory id -> sheets whose title names it
    sitting: Mapping[str, tuple]          # signatory id -> governance bodies it sits in
    items_of_territory: Mapping[tuple, tuple]  # (slot, territory id) -> strategy items of that level that name it
    commitments_of: Mapping[tuple, tuple]  # (collection, id) of a signatory, strategy item or territory -> commitments
    follow_ups_of: Mapping[tuple, tuple]   # (collection, id) of a strategy item or commitment -> follow-ups, oldest first
    projects_of: Mapping[tuple, tuple]     # (collection, id) of a territory or strategy item -> projects of it, taking it up


def _relations(c: Contract) -> Relations:
    cited: dict[tuple, list] = {}
    forms = xref.forms(c.structure)
    for kind in COLLECTIONS.values():
        for e in c.all(kind.name):
            context = xref.context_of(kind.name, e.data)
            found = {(r.collection, r.id) for f in kind.prose for r in xref.find(e.data.get(f) or "", forms, **context)}
            for key in sorted(found - {(e.collection, e.id)}):
                cited.setdefault(key, []).append(e)

    actors: dict[str, list] = {}
    roles: dict[str, list] = {}
    sheets = c.all(c.structure.sheets)
    for action in sheets:
        pairs, seen = [], set()
        for field_name, role in ROLES:
            value = action.data.get(field_name)
            for item in ([value] if isinstance(value, Mapping) else value or ()):
                who = item.get("signatory")
                name = who or item.get("name")
                if not name or (role, name) in seen:  # a funding line without a funder names no institution
                    continue
                seen.add((role, name))
                pairs.append((role, item))
                if who and (role, action) not in roles.get(who, []):
                    roles.setdefault(who, []).append((role, action))
        actors[action.id] = pairs

    # Signatories named in sheet titles: one pass over each title with all names at once.
    owners: dict[str, list] = {}
    for signatory in c.all("signatories"):
        for name in {signatory.data["name"], *(signatory.data.get("aliases") or [])}:
            if len(name) > 2:
                owners.setdefault(name, []).append(signatory)
    names = re.compile(r"\b(" + "|".join(map(re.escape, sorted(owners, key=len, reverse=True))) + r")\b") if owners else None
    order = {s.id: i for i, s in enumerate(c.all("signatories"))}
    named_in: dict[str, tuple] = {}
    naming: dict[str, list] = {}
    for action in sheets:
        named = {s.id: s for m in (names.finditer(action.data["title"]) if names else ()) for s in owners[m.group(1)]}
        named_in[action.id] = tuple(sorted(named.values(), key=lambda s: order[s.id]))
        for s in named_in[action.id]:
            naming.setdefault(s.id, []).append(action)
    sitting: dict[str, list] = {}
    for body in c.all("governance"):
        for s in body.data.get("signatories") or ():
            sitting.setdefault(s, []).append(body)
    territories: dict[tuple, list] = {}
    for slot in registry.LEVELS:
        for item in c.all(slot):
            for t in item.data.get("territories") or ():
                territories.setdefault((slot, t), []).append(item)

    # Commitments by who makes them and what they concern; follow-ups by what they follow (« collection/id »).
    commitments: dict[tuple, list] = {}
    for k in c.all("commitments"):
        concerned = [("signatories", k.data["signatory"]), *(_key(i) for i in k.data.get("items") or ()),
                     *(("territories", t) for t in k.data.get("territories") or ())]
        for key in dict.fromkeys(concerned):
            commitments.setdefault(key, []).append(k)
    follow_ups: dict[tuple, list] = {}
    for f in sorted(c.all("follow-ups"), key=lambda f: (f.data["date"], natural_key(f.id))):
        follow_ups.setdefault(_key(f.data["subject"]), []).append(f)

    projects: dict[tuple, list] = {}
    for p in c.all("projects"):
        for key in dict.fromkeys([*(("territories", t) for t in p.data.get("territories") or ()), *map(_key, p.data.get("items") or ())]):
            projects.setdefault(key, []).append(p)

    def frozen(table):
        return MappingProxyType({k: tuple(v) for k, v in table.items()})
    return Relations(frozen(cited), frozen(actors), frozen(roles), MappingProxyType(named_in), frozen(naming),
                     frozen(sitting), frozen(territories), frozen(commitments), frozen(follow_ups),
                     frozen(projects))


def _key(reference: str) -> tuple[str, str]:
    """(collection, id) of an entity named « collection/id »."""
    collection, _, id_ = reference.partition("/")
    return collection, id_


def assemble(meta: Mapping, file: str, by_id: dict[str, dict[str, Entity]], source: tuple[str, ...] | None) -> Contract:
    """A read-only contract from its entities by collection and id: display order (numbers in
    natural order, sections by part then order) and the hierarchy's children."""
    parts = [p["id"] for p in meta.get("parts", []) if isinstance(p, dict)]
    collections = {c: tuple(sorted(t.values(), key=lambda e: natural_key(e.id))) for c, t in by_id.items()}
    collections["sections"] = tuple(sorted(by_id.get("sections", {}).values(), key=lambda s: (
        parts.index(s.data.get("part")) if s.data.get("part") in parts else len(parts), s.data.get("order", 0))))
    children: dict[tuple, list] = {}
    for child, (field_name, parent) in HIERARCHY.items():
        for entity in collections.get(child, ()):
            children.setdefault((parent, entity.data.get(field_name)), []).append(entity)
    return Contract(meta, file, MappingProxyType(collections),
                    MappingProxyType({c: MappingProxyType(t) for c, t in by_id.items()}),
                    MappingProxyType({k: tuple(v) for k, v in children.items()}), source)
