"""Link: validated documents become the contract model, and what is wrong between them is said.

Integrity problems (file name vs id, duplicate ids, dangling references, numbering gaps,
declared counts vs data) are reported like schema problems.
"""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from generator.check.validate import Reference
from generator.core import codes, registry, tables, xref
from generator.core.load import Document
from generator.core.model import HIERARCHY, Contract, Entity, assemble, natural_key
from generator.core.problems import Problem, excerpt
from generator.core.registry import COLLECTIONS
from generator.core.structure import Structure, de, number_problems, structure_of

RESERVED_IDS = {"index"}  # an entity page named so would replace its folder's listing page


def link(meta_doc: Document, docs: dict[str, list[Document]], refs: list[Reference],
         source: tuple[str, ...] | None = None) -> tuple[Contract, list[Problem]]:
    problems: list[Problem] = []
    structure = structure_of(meta_doc.data)  # the words of the levels, when contrat.yaml declares them
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
                                        f"page qui liste les {structure.words(collection)[1]} ; choisissez un autre identifiant",
                                        "$.id"))
            if id_ in table:
                problems.append(Problem(doc.file, line, col, codes.DUPLICATE_ID,
                                        f"identifiant « {id_} » en double : déjà utilisé dans {table[id_].file}", "$.id"))
                continue
            table[id_] = Entity(collection, id_, doc.file, line, MappingProxyType(doc.data))

    problems += reference_problems(refs, {c: set(t) for c, t in by_id.items()}, meta_doc.data)
    problems += _structure_problems(meta_doc) + _table_problems(meta_doc, structure) + _undeclared_levels(structure, docs)

    contract = assemble(MappingProxyType(meta_doc.data), meta_doc.file, by_id, source)
    problems += _numbering(contract)
    problems += _table_shapes(contract, docs)
    problems += _counts(contract, meta_doc)
    problems += _prose_references(contract, docs)
    problems += _qpv_codes(docs)
    return contract, problems


def reference_problems(refs: list[Reference], ids: Mapping[str, set], meta: Mapping) -> list[Problem]:
    """Every recorded reference must name an existing id of its target collection."""
    problems = []
    structure = structure_of(meta)
    parts = meta.get("parts")
    parts = {p["id"] for p in parts if isinstance(p, dict) and isinstance(p.get("id"), str)} if isinstance(parts, list) else set()
    for ref in refs:
        known = parts if ref.target == registry.PARTS else ids.get(ref.target, set())
        if ref.value not in known:
            choices = sorted(known, key=natural_key)
            hint = f" ; identifiants existants : {', '.join(choices[:12])}{' …' if len(choices) > 12 else ''}" if choices else ""
            problems.append(Problem(ref.file, ref.line, ref.column, codes.UNKNOWN_REFERENCE,
                                    f"référence inconnue : « {excerpt(ref.value)} » n'est pas un identifiant "
                                    f"{de(_noun(ref.target, structure))}{hint}", ref.json_path))
    return problems


def _noun(target: str, structure: Structure) -> str:
    """What a reference names, in the contract's words when it is one of its levels."""
    return structure.words(target)[0] if target in COLLECTIONS else registry.noun(target)


def _structure_problems(meta_doc: Document) -> list[Problem]:
    """At most one level per slot of the engine (registry.LEVELS); each with its own folder (none taken by another collection's pages), its own
    names and short label, and a number pattern that reads (core/structure.py)."""
    declared = meta_doc.data.get("structure")
    if not isinstance(declared, list):
        return []
    problems = []
    if len(declared) > len(registry.LEVELS):
        line, col = meta_doc.mark(("structure", len(registry.LEVELS)))
        problems.append(Problem(meta_doc.file, line, col, codes.TOO_MANY_LEVELS,
                                f"la structure déclare {len(declared)} niveaux, le moteur en connaît "
                                f"{len(registry.LEVELS)} au plus : regroupez des niveaux ou retirez les derniers",
                                f"$.structure[{len(registry.LEVELS)}]"))
    taken = registry.page_folders()
    seen: dict[tuple[str, str], int] = {}
    for i, level in enumerate(declared[:len(registry.LEVELS)]):
        if not isinstance(level, Mapping):
            continue
        pattern = level.get("number")
        if isinstance(pattern, str):
            for offset, message in number_problems(pattern, has_parent=i > 0):
                line, col = meta_doc.text_position(("structure", i, "number"), pattern, offset)
                problems.append(Problem(meta_doc.file, line, col, codes.NUMBER_PATTERN,
                                        f"numéro affiché « {excerpt(pattern)} » : {message}", f"$.structure[{i}].number"))
        for key in ("folder", "singular", "plural", "short"):
            value = level.get(key)
            if not isinstance(value, str):
                continue
            line, col = meta_doc.mark(("structure", i, key))
            folded = value.casefold()
            if (key, folded) in seen:
                problems.append(Problem(meta_doc.file, line, col, codes.DUPLICATE_LEVEL,
                                        f"« {excerpt(value)} » est déjà le « {key} » du niveau {seen[(key, folded)] + 1} : "
                                        "chaque niveau a ses propres mots et son propre dossier", f"$.structure[{i}].{key}"))
            seen.setdefault((key, folded), i)
            if key == "folder" and value in taken:
                problems.append(Problem(meta_doc.file, line, col, codes.DUPLICATE_LEVEL,
                                        f"le dossier « {excerpt(value)} » est déjà celui des pages des {taken[value]} : "
                                        "choisissez un autre dossier", f"$.structure[{i}].folder"))
    return problems + _former_folder_problems(meta_doc, declared[:len(registry.LEVELS)])


def _former_folder_problems(meta_doc: Document, declared: list) -> list[Problem]:
    """A folder a level left (`former_folders`) keeps a redirect per item: it cannot be a folder the site
    serves pages from now, nor a folder another level left."""
    serving = {level["folder"]: f"celui des pages du niveau {i + 1}" for i, level in enumerate(declared)
               if isinstance(level, Mapping) and isinstance(level.get("folder"), str)}
    serving |= {folder: f"celui des pages des {plural}" for folder, plural in registry.page_folders().items()}
    left: dict[str, int] = {}
    problems = []
    for i, level in enumerate(declared):
        former = level.get("former_folders") if isinstance(level, Mapping) else None
        for k, folder in enumerate(former if isinstance(former, list) else ()):
            if not isinstance(folder, str):
                continue
            taken = serving.get(folder) or (f"un ancien dossier du niveau {left[folder] + 1}" if folder in left else None)
            if taken:
                line, col = meta_doc.mark(("structure", i, "former_folders", k))
                problems.append(Problem(meta_doc.file, line, col, codes.DUPLICATE_LEVEL,
                                        f"l'ancien dossier « {excerpt(folder)} » est aussi {taken} : une adresse ne peut "
                                        "mener qu'à une page ; retirez-le de « former_folders »",
                                        f"$.structure[{i}].former_folders[{k}]"))
            left.setdefault(folder, i)
    return problems


def _table_problems(meta_doc: Document, structure: Structure) -> list[Problem]:
    """Each level's open-data tables (core/tables.py) under names no other table or published file has, short
    enough for a sheet of the workbook: said where the name comes from, its `table` or its folder (not again
    for a folder already refused: CV341)."""
    problems = []
    taken = {name: f"celle du fichier « {name}.csv »" for name in tables.FIXED.values()} | \
        {name: f"une ressource du paquet de données, « {name} »" for name in (tables.DOCUMENT, tables.WORKBOOK)}
    folders = set(registry.page_folders())
    for level in structure.levels:
        i = registry.LEVELS.index(level.slot)
        own = "table" in meta_doc.data["structure"][i]
        refused = level.folder in folders
        folders.add(level.folder)
        for key, name in tables.of_level(level, structure).items():
            field = "table" if key == level.slot and own else "folder"
            if field == "folder" and refused:
                continue
            line, col = meta_doc.mark(("structure", i, field))
            if field == "table":
                other, shorter = "déclarez un autre nom", "déclarez un nom plus court"
            elif key == level.slot:
                other, shorter = ("déclarez le nom de sa table (« table ») ou choisissez un autre dossier",
                                  "déclarez le nom de sa table (« table ») ou choisissez un dossier plus court")
            else:
                other, shorter = ("choisissez un autre dossier (les tables de ses relations en prennent le nom)",
                                  "choisissez un dossier plus court (les tables de ses relations en prennent le nom)")
            if name in taken:
                problems.append(Problem(meta_doc.file, line, col, codes.TABLE_NAME,
                                        f"la table « {name} » de ce niveau dans les données ouvertes porte le nom d'une "
                                        f"autre ({taken[name]}) : {other}", f"$.structure[{i}].{field}"))
            elif len(name) > tables.LONGEST:
                problems.append(Problem(meta_doc.file, line, col, codes.TABLE_NAME,
                                        f"le nom de la table « {name} » de ce niveau dans les données ouvertes a {len(name)} "
                                        f"caractères, un nom de feuille de classeur {tables.LONGEST} au plus : {shorter}",
                                        f"$.structure[{i}].{field}"))
            taken.setdefault(name, f"celle du niveau {i + 1}")
    return problems


def _undeclared_levels(structure: Structure, docs: dict[str, list[Document]]) -> list[Problem]:
    """Items in a slot of the strategy that contrat.yaml does not declare: no page, no word would show them."""
    problems: list[Problem] = []
    if not structure.levels:  # contrat.yaml declares no readable structure: the schema says what is wrong
        return problems
    for slot in registry.LEVELS:
        if structure.has(slot):
            continue
        for doc in docs.get(slot, ())[:1]:
            depth = registry.LEVELS.index(slot) + 1
            problems.append(Problem(doc.file, 1, 1, codes.UNDECLARED_LEVEL,
                                    f"le dossier « {slot} » contient des éléments de niveau {depth}, mais la "
                                    f"structure du contrat (« structure » dans contrat.yaml) n'en déclare que "
                                    f"{len(structure.levels)} : déclarez ce niveau ou retirez ces fichiers", "$"))
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
            _, plural, article = contract.structure.words(kind.name)
            problems += _gap_problems(numbered, f"{article} n°", f"des {plural}")
    for child, (field_name, parent) in HIERARCHY.items():
        groups: dict[str, list] = {}
        for e in contract.all(child):
            parent_id = e.data[field_name]
            prefix, _, last = e.id.rpartition(".")
            if prefix != parent_id:
                problems.append(Problem(e.file, e.line, 1, codes.NUMBERING,
                                        f"l'identifiant « {e.id} » ne commence pas par celui de son {contract.structure.words(parent)[0]} "
                                        f"« {parent_id} » : attendu « {parent_id}.N »", "$.id"))
                continue
            groups.setdefault(parent_id, []).append((e, int(last)))
        for parent_id, members in groups.items():
            problems += _gap_problems(members, f"{contract.structure.words(child)[2]} n°",
                                      f"dans {contract.structure.words(parent)[2]} {parent_id}")
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
    """Numbers cited in prose (« 2.4.3 », and the short forms xref.py reads) must name existing entities."""
    problems = []
    forms = xref.forms(contract.structure)
    for kind in COLLECTIONS.values():
        collection = kind.name
        for doc in docs.get(collection, ()):
            for name in kind.prose:
                text = doc.data.get(name)
                if not isinstance(text, str):
                    continue
                unknown = [ref for ref in xref.find(text, forms, **xref.context_of(collection, doc.data))
                           if contract.get(ref.collection, ref.id) is None]
                for ref in unknown[:MAX_PROSE_PROBLEMS]:
                    line, col = doc.text_position((name,), text, ref.start)
                    more = len(unknown) - MAX_PROSE_PROBLEMS
                    problems.append(Problem(doc.file, line, col, codes.PROSE_REFERENCE,
                                            f"« {excerpt(text[ref.start:ref.end])} » renvoie à {contract.structure.words(ref.collection)[2]} "
                                            f"{excerpt(ref.id)}, qui n'existe pas : corrigez le numéro"
                                            + (f" (et {more} autre(s) renvoi(s) inconnu(s) dans ce texte)"
                                               if more > 0 and ref is unknown[MAX_PROSE_PROBLEMS - 1] else ""),
                                            f"$.{name}"))
    return problems


def _qpv_codes(docs: dict[str, list[Document]]) -> list[Problem]:
    """A code of the national list of priority neighbourhoods names one neighbourhood: two territories
    that carry it are one territory written twice, or a code copied without being changed."""
    problems: list[Problem] = []
    first: dict[str, Document] = {}
    for doc in sorted(docs.get("territories", ()), key=lambda d: d.file):
        code = doc.data.get("qpv_code")
        if code is None:
            continue
        if code in first:
            line, col = doc.mark(("qpv_code",))
            problems.append(Problem(doc.file, line, col, codes.QPV_CODE_TWICE,
                                    f"code de quartier prioritaire « {code} » déjà porté par {first[code].file} : un "
                                    "code désigne un seul quartier ; corrigez l'un des deux codes, ou réunissez les "
                                    "deux territoires", "$.qpv_code"))
        else:
            first[code] = doc
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
