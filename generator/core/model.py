"""Link: validated documents become one cross-referenced, read-only contract model.

Integrity problems (file name vs id, duplicate ids, dangling references, numbering gaps,
declared counts vs data) are reported like schema problems. The hierarchy (axes > objectives
> actions) is the engine's; the numbers and counts come from the data.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from generator.check.validate import Reference
from generator.core import codes, registry, xref
from generator.core.load import Document
from generator.core.problems import Problem, excerpt
from generator.core.registry import COLLECTIONS

RESERVED_IDS = {"index"}  # an entity page named so would replace its folder's listing page
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
        return _assemble(MappingProxyType(dict(meta)) if meta is not None else self.meta, self.file, by_id, self.source)


# The roles an institution can hold on an action sheet: (field of the sheet, role word).
ROLES = (("pilot", "pilote"), ("co_pilots", "copilote"), ("partners", "partenaire"),
         ("funding_specific", "financeur"), ("funding_common_law", "financeur"))


@dataclass(frozen=True)
class Relations:
    cited_in: Mapping[tuple, tuple]       # (collection, id) -> entities whose prose cites it
    actors: Mapping[str, tuple]           # sheet id -> (role, institution item) pairs, in ROLES order, once each
    roles: Mapping[str, tuple]            # signatory id -> (role, sheet) pairs, sheets in order
    named_in: Mapping[str, tuple]         # sheet id -> signatories its title names
    naming: Mapping[str, tuple]           # signatory id -> sheets whose title names it
    sitting: Mapping[str, tuple]          # signatory id -> governance bodies it sits in
    sheets_of_territory: Mapping[str, tuple]  # territory id -> sheets assigned to it


def _relations(c: Contract) -> Relations:
    cited: dict[tuple, list] = {}
    for kind in COLLECTIONS.values():
        for e in c.all(kind.name):
            context = xref.context_of(kind.name, e.data)
            found = {(r.collection, r.id) for f in kind.prose for r in xref.find(e.data.get(f) or "", **context)}
            for key in sorted(found - {(e.collection, e.id)}):
                cited.setdefault(key, []).append(e)

    actors: dict[str, list] = {}
    roles: dict[str, list] = {}
    for action in c.all("actions"):
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
    for action in c.all("actions"):
        named = {s.id: s for m in (names.finditer(action.data["title"]) if names else ()) for s in owners[m.group(1)]}
        named_in[action.id] = tuple(sorted(named.values(), key=lambda s: order[s.id]))
        for s in named_in[action.id]:
            naming.setdefault(s.id, []).append(action)
    sitting: dict[str, list] = {}
    for body in c.all("governance"):
        for s in body.data.get("signatories") or ():
            sitting.setdefault(s, []).append(body)
    territories: dict[str, list] = {}
    for action in c.all("actions"):
        for t in action.data.get("territories") or ():
            territories.setdefault(t, []).append(action)

    def frozen(table):
        return MappingProxyType({k: tuple(v) for k, v in table.items()})
    return Relations(frozen(cited), frozen(actors), frozen(roles), MappingProxyType(named_in), frozen(naming),
                     frozen(sitting), frozen(territories))


def _assemble(meta: Mapping, file: str, by_id: dict[str, dict[str, Entity]], source: tuple[str, ...] | None) -> Contract:
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


def link(meta_doc: Document, docs: dict[str, list[Document]], refs: list[Reference],
         source: tuple[str, ...] | None = None) -> tuple[Contract, list[Problem]]:
    problems: list[Problem] = []
    by_id: dict[str, dict[str, Entity]] = {}
    for collection, documents in docs.items():
        table = by_id.setdefault(collection, {})
        for doc in documents:
            id_ = doc.data["id"]
            stem = doc.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            line, col = doc.mark(("id",))
            if id_ != stem:
                problems.append(Problem(doc.file, line, col, codes.FILE_NAME_NOT_ID,
                                        f"l'identifiant « {id_} » ne correspond pas au nom du fichier « {stem}.yaml » ; "
                                        f"renommez le fichier en « {id_}.yaml » ou corrigez l'identifiant", "$.id"))
            if id_ in RESERVED_IDS and COLLECTIONS[collection].template:
                problems.append(Problem(doc.file, line, col, codes.RESERVED_ID,
                                        f"identifiant « {id_} » réservé : la page de cette entité prendrait la place de la "
                                        f"page qui liste les {COLLECTIONS[collection].plural} ; choisissez un autre identifiant",
                                        "$.id"))
            if id_ in table:
                problems.append(Problem(doc.file, line, col, codes.DUPLICATE_ID,
                                        f"identifiant « {id_} » en double : déjà utilisé dans {table[id_].file}", "$.id"))
                continue
            table[id_] = Entity(collection, id_, doc.file, line, MappingProxyType(doc.data))

    problems += reference_problems(refs, {c: set(t) for c, t in by_id.items()}, meta_doc.data)

    contract = _assemble(MappingProxyType(meta_doc.data), meta_doc.file, by_id, source)
    problems += _numbering(contract)
    problems += _table_shapes(contract, docs)
    problems += _counts(contract, meta_doc)
    problems += _prose_references(contract, docs)
    return contract, problems


def reference_problems(refs: list[Reference], ids: Mapping[str, set], meta: Mapping) -> list[Problem]:
    """Every recorded reference must name an existing id of its target collection."""
    problems = []
    parts = meta.get("parts")
    parts = {p["id"] for p in parts if isinstance(p, dict) and isinstance(p.get("id"), str)} if isinstance(parts, list) else set()
    for ref in refs:
        known = parts if ref.target == registry.PARTS else ids.get(ref.target, set())
        if ref.value not in known:
            choices = sorted(known, key=natural_key)
            hint = f" ; identifiants existants : {', '.join(choices[:12])}{' …' if len(choices) > 12 else ''}" if choices else ""
            problems.append(Problem(ref.file, ref.line, ref.column, codes.UNKNOWN_REFERENCE,
                                    f"référence inconnue : « {excerpt(ref.value)} » n'est pas un identifiant de "
                                    f"{registry.noun(ref.target)}{hint}", ref.json_path))
    return problems




def _gap_problems(members: list[tuple[Entity, int]], what: str, container: str) -> list[Problem]:
    """The numbers of `members` must run 1, 2, 3 … ; report the gap at the first entity after it."""
    numbers = sorted({n for _, n in members})
    gaps = [(a + 1, b - 1) for a, b in zip([0] + numbers, numbers) if b - a > 1]  # missing runs, in order
    if not gaps:
        return []
    after = [(e, n) for e, n in members if n > gaps[0][0]]
    target = min(after, key=lambda m: m[1])[0]
    shown = ", ".join(str(a) if a == b else f"{a} à {b}" for a, b in gaps[:10]) + (" …" if len(gaps) > 10 else "")
    return [Problem(target.file, target.line, 1, codes.NUMBERING,
                    f"numérotation interrompue {container} : il manque {what} {shown} ; "
                    "les numéros doivent se suivre (1, 2, 3…)", "$.id")]


def _numbering(contract: Contract) -> list[Problem]:
    problems = []
    # Collections numbered 1, 2, 3… (entities named, not numbered, such as a transversal axis, are left out).
    for kind in COLLECTIONS.values():
        numbered = [(e, int(e.id)) for e in contract.all(kind.name) if kind.numbered and e.id.isdigit()]
        if numbered:
            problems += _gap_problems(numbered, f"{kind.article} n°", f"des {kind.plural}")
    for child, (field_name, parent) in HIERARCHY.items():
        groups: dict[str, list] = {}
        for e in contract.all(child):
            parent_id = e.data[field_name]
            prefix, _, last = e.id.rpartition(".")
            if prefix != parent_id:
                problems.append(Problem(e.file, e.line, 1, codes.NUMBERING,
                                        f"l'identifiant « {e.id} » ne commence pas par celui de son {registry.noun(parent)} "
                                        f"« {parent_id} » : attendu « {parent_id}.N »", "$.id"))
                continue
            groups.setdefault(parent_id, []).append((e, int(last)))
        for parent_id, members in groups.items():
            problems += _gap_problems(members, f"{COLLECTIONS[child].article} n°", f"dans {COLLECTIONS[parent].article} {parent_id}")
    by_part: dict[str, list] = {}
    for s in contract.all("sections"):
        by_part.setdefault(s.data["part"], []).append((s, s.data["order"]))
    for part, members in by_part.items():
        orders = [n for _, n in members]
        dupes = {n for n in orders if orders.count(n) > 1}
        for s, n in members:
            if n in dupes:
                problems.append(Problem(s.file, s.line, 1, codes.NUMBERING,
                                        f"ordre {n} utilisé par plusieurs sections de la partie « {part} »", "$.order"))
        problems += _gap_problems(members, "la section d'ordre", f"dans la partie « {part} »")
    return problems


def _table_shapes(contract: Contract, docs: dict[str, list[Document]]) -> list[Problem]:
    """Every row of a statistics table has one cell per column (else the table cannot be drawn)."""
    problems = []
    for doc in docs.get("statistics", ()):
        columns = len(doc.data["columns"])
        for i, row in enumerate(doc.data["rows"]):
            if len(row["cells"]) != columns:
                line, col = doc.mark(("rows", i, "cells"))
                problems.append(Problem(doc.file, line, col, codes.STATISTICS_ROW,
                                        f"la ligne « {excerpt(row['label'])} » a {len(row['cells'])} cellule(s) pour "
                                        f"{columns} colonne(s) : une cellule par colonne, dans l'ordre des colonnes "
                                        "(cellule vide : text: \"\")", f"$.rows[{i}].cells"))
    return problems


MAX_PROSE_PROBLEMS = 50  # unknown references listed per text; the rest are counted


def _prose_references(contract: Contract, docs: dict[str, list[Document]]) -> list[Problem]:
    """Numbers cited in prose (« 2.4.3 », « fiche action n°4-1 », « axe 3 ») must name existing entities."""
    problems = []
    for kind in COLLECTIONS.values():
        collection = kind.name
        for doc in docs.get(collection, ()):
            for name in kind.prose:
                text = doc.data.get(name)
                if not isinstance(text, str):
                    continue
                unknown = [ref for ref in xref.find(text, **xref.context_of(collection, doc.data))
                           if contract.get(ref.collection, ref.id) is None]
                for ref in unknown[:MAX_PROSE_PROBLEMS]:
                    line, col = doc.text_position((name,), text, ref.start)
                    more = len(unknown) - MAX_PROSE_PROBLEMS
                    problems.append(Problem(doc.file, line, col, codes.PROSE_REFERENCE,
                                            f"« {excerpt(text[ref.start:ref.end])} » renvoie à {COLLECTIONS[ref.collection].article} "
                                            f"{excerpt(ref.id)}, qui n'existe pas : corrigez le numéro"
                                            + (f" (et {more} autre(s) renvoi(s) inconnu(s) dans ce texte)"
                                               if more > 0 and ref is unknown[MAX_PROSE_PROBLEMS - 1] else ""),
                                            f"$.{name}"))
    return problems


def _counts(contract: Contract, meta_doc: Document) -> list[Problem]:
    problems = []
    for i, declared in enumerate(meta_doc.data.get("counts", [])):
        entities = contract.all(declared["entity"])
        kind = declared.get("kind")
        if kind is not None:
            entities = tuple(e for e in entities if e.data.get("kind") == kind)
        if len(entities) != declared["expected"]:
            line, col = meta_doc.mark(("counts", i, "expected"))
            label = declared["entity"] + (f" de catégorie « {kind} »" if kind else "")
            problems.append(Problem(meta_doc.file, line, col, codes.COUNT_MISMATCH,
                                    f"le contrat déclare {declared['expected']} {label}, les données en contiennent "
                                    f"{len(entities)} : ajoutez ou retirez des fichiers, ou corrigez le nombre déclaré",
                                    f"$.counts[{i}].expected"))
    return problems
