"""Export: the contract model as open data (JSON document, tables). Pure functions.

Each table's rows are computed by one function, with typed values (numbers as numbers, None when
absent); the CSV writer here and the spreadsheet writer (spreadsheet.py) both consume those rows.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from generator.core import registry, tables
from generator.core.model import HIERARCHY, Contract, Entity, natural_key
from generator.core.structure import ARTICLE, Level, de, of_the, slug
from generator.core.tables import FIXED, RELATIONS


def _plain(entity: Entity) -> dict:
    return {k: _thaw(v) for k, v in entity.data.items()}


def _thaw(value):
    if isinstance(value, (list, tuple)):
        return [_thaw(v) for v in value]
    if hasattr(value, "items"):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def _nested(contract: Contract, entity: Entity, below: tuple[str, ...]) -> dict:
    """An item of a level with its children, theirs under them (`below`: the slots under its own)."""
    item = _plain(entity)
    if below:
        item[below[0]] = [_nested(contract, child, below[1:]) for child in contract.children_of(entity)]
    return item


def to_data(contract: Contract, publication: dict | None = None) -> dict:
    """The open-data document: {"contract", "axes" > "objectives" > "actions" (the slots the contract declares),
    "territories", …}."""
    slots = contract.structure.slots
    data: dict[str, Any] = {"publication": publication} if publication else {}
    data.update({"contract": _thaw(contract.meta), "axes": [_nested(contract, axis, slots[1:]) for axis in contract.all("axes")]})
    for collection in registry.COLLECTIONS:
        if collection not in HIERARCHY and collection != "axes":  # those are nested under their axis
            data[collection] = [_plain(e) for e in contract.all(collection)]
    return data


def to_json(contract: Contract, publication: dict | None = None) -> str:
    return json.dumps(to_data(contract, publication), ensure_ascii=False, indent=2) + "\n"


def _join(values) -> str:
    return " | ".join(values or ())


@dataclass(frozen=True)
class Column:
    name: str               # CSV header and Table Schema field name
    title: str              # French title: the spreadsheet's header
    description: str
    type: str = "string"    # Table Schema type: string, integer or number


@dataclass(frozen=True)
class Table:
    name: str
    file: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable          # contract -> iterable of rows, in column order (numbers typed, None when absent)
    key: tuple = ()         # columns whose values identify a row (Table Schema primaryKey)

    @property
    def stem(self) -> str:  # resource name in the Data Package, sheet name in the workbook
        return self.file.removesuffix(".csv")


def _columns(*specs) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


def _values(collection: str, field: str) -> str:
    """« a (label), b (label) ou c (label) »: the values of an enumerated field, for column descriptions."""
    shown = [f"{value} ({one})" for value, one, _ in registry.labels(collection, field)]
    return ", ".join(shown[:-1]) + " ou " + shown[-1] if len(shown) > 1 else "".join(shown)


def _kinds(collection: str) -> str:
    return ", ".join(many for _, _, many in registry.labels(collection, "kind"))


def _actor(c, item) -> tuple[str, str]:
    """(signatory id, name) of an institution named by a sheet: a signatory, or a name alone."""
    signatory = c.get("signatories", item["signatory"]) if item.get("signatory") else None
    return (signatory.id, signatory.name) if signatory else ("", item.get("name", ""))


def _funding(items) -> str:
    return _join(f["text"] + (f" ({f['amount_eur']} €)" if "amount_eur" in f else "") for f in items or ())


def _sheet(c, a) -> list:
    """The cells of a sheet's rubrics, from its title on (`_SHEET`'s columns)."""
    return [a.title, _join(a.title_points),
            _actor(c, a.pilot)[1] if a.pilot else "", _join(_actor(c, i)[1] for i in a.co_pilots or ()),
            _join(_actor(c, i)[1] for i in a.partners or ()), _join(a.publics), _join(a.territories),
            _funding(a.funding_specific), _funding(a.funding_common_law), _join(a.indicators)]


def _actions(c):
    for a in c.all("actions"):
        yield [a.id, a.objective, c.parent_of(a).axis, *_sheet(c, a)]


def _subactions(c):
    for a in c.all("subactions"):
        yield [a.id, a.action, *_sheet(c, a)]


def _actors(c):
    for a in c.all(c.structure.sheets):
        for role, item in c.relations.actors[a.id]:
            yield [a.id, *_actor(c, item), role]


def _sheet_territories(c):
    for a in c.all(c.structure.sheets):
        for t in a.territories or ():
            yield [a.id, t]


def _sheet_funding(c):
    for a in c.all(c.structure.sheets):
        for kind, items in (("specifique", a.funding_specific), ("droit-commun", a.funding_common_law)):
            for f in items or ():
                yield [a.id, kind, f["text"], *(_actor(c, f) if f.get("signatory") else ("", "")), f.get("amount_eur")]


def _objectives(c):
    counted = c.structure.has("actions")
    for o in c.all("objectives"):
        yield [o.id, o.axis, o.title, *([len(c.children_of(o))] if counted else [])]


def _axes(c):
    counted = c.structure.has("objectives")
    for x in c.all("axes"):
        yield [x.id, x.kind, x.title, x.commission or "", *([len(c.children_of(x))] if counted else [])]


def _territories(c):
    for t in c.all("territories"):
        listed = t.listed_by or {}
        yield [t.id, t.kind, t.name, _join(t.variants), _join(t.related), t.qpv_code or "", listed.get("text", ""),
               listed.get("date", ""), listed.get("url", ""), t.entry_date or ""]


def _source(source) -> list:
    return [source["document"], source.get("page"), source.get("url", "")]


def _commitments(c):
    for k in c.all("commitments"):
        indicator = k.indicator or {}
        yield [k.id, k.signatory, c.get("signatories", k.signatory).name, k.title, k.text, _join(k.items),
               _join(k.territories), indicator.get("label", ""), indicator.get("target"), indicator.get("unit", ""),
               *_source(k.source)]


def _projects(c):
    for p in c.all("projects"):
        yield [p.id, p.title, _join(p.territories), _join(p.priorities), _join(p.items), p.text or "", *_source(p.source)]


def _by_date(c):
    return sorted(c.all("follow-ups"), key=lambda f: (f.date, natural_key(f.id)))


def _follow_ups(c):
    for f in _by_date(c):
        yield [f.id, f.date, f.subject, f.text, *_source(f.source)]


def _follow_up_figures(c):
    for f in _by_date(c):
        for x in f.figures or ():
            yield [f.id, f.date, f.subject, x["label"], x["value"], x.get("unit", "")]


def _statistics(c):
    for t in c.all("statistics"):
        for row in t.rows:
            for column, cell in zip(t.columns, row["cells"]):
                yield [t.id, row["label"], column.get("territory", ""), column["header"], cell["text"],
                       cell.get("value"), cell.get("unit", ""), cell.get("share")]


def _figures(c):
    for f in c.all("figures"):
        for i in f.data["items"]:
            yield [f.id, f.title, f.unit, i["label"], i.get("signatory", ""), i["text"], i["amount"], f.section or ""]


def _signatories(c):
    for s in c.all("signatories"):
        signer = s.signer or {}
        yield [s.id, s.kind, s.name, s.representative or "", signer.get("name", ""), signer.get("title", "")]


def _signatory_amounts(c):
    for s in c.all("signatories"):
        for a in s.amounts or ():
            yield [s.id, s.name, a["text"], a["amount_eur"], a.get("section", "")]


def _governance(c):
    for g in c.all("governance"):
        m = g.meetings_per_year or {}
        yield [g.id, g.name, g.category, g.section, g.chair or "", g.frequency or "", m.get("min"), m.get("max"),
               g.place or ""]


_SOURCE = (("source", "Source", "titre du document où cela est écrit"),
           ("source_page", "Page", "page de ce document", "integer"),
           ("source_adresse", "Adresse de la source", "adresse de ce document"))
FIXED_TABLES = {t.name: t for t in (
    Table("territories", f"{FIXED['territories']}.csv", f"Les territoires : {_kinds('territories')}.", _columns(
        ("id", "Territoire", "identifiant du territoire"), ("categorie", "Catégorie", _values("territories", "kind")),
        ("nom", "Nom", "nom du territoire"),
        ("variantes", "Autres graphies", "autres graphies employées par le contrat, séparées par « | »"),
        ("territoires_lies", "Territoires liés", "identifiants des territoires qui recouvrent la même zone"),
        ("code_qpv", "Code du quartier prioritaire", "code du quartier dans la liste nationale des quartiers prioritaires "
         "(« QN08001M » dans la liste actuelle, « QP080001 » dans la première)"),
        ("liste_texte", "Texte qui le liste", "intitulé du texte officiel qui l'inscrit sur la liste"),
        ("liste_date", "Date de ce texte", "date de ce texte (aaaa-mm-jj)"),
        ("liste_adresse", "Adresse de ce texte", "adresse où lire ce texte"),
        ("date_entree", "Date d'entrée", "date à laquelle le territoire est entré dans sa catégorie (aaaa-mm-jj)")),
          _territories),
    Table("statistics", f"{FIXED['statistics']}.csv", "Les tableaux statistiques du contrat, une cellule par ligne.", _columns(
        ("tableau", "Tableau", "identifiant du tableau"), ("ligne", "Indicateur", "libellé de la ligne (indicateur)"),
        ("territoire", "Territoire", "identifiant du territoire de la colonne"),
        ("en_tete", "En-tête de colonne", "en-tête imprimé de la colonne"),
        ("texte", "Texte de la cellule", "texte exact de la cellule (vide si la cellule est vide)"),
        ("valeur", "Valeur", "valeur numérique lue", "number"),
        ("unite", "Unité", "nombre, pourcentage, euros, indice ou ratio"),
        ("part", "Part (%)", "pourcentage donné en plus d'un effectif dans la même cellule", "number")), _statistics),
    Table("figures", f"{FIXED['figures']}.csv", "Les séries de chiffres que cite le texte (page « Chiffres »), une valeur par ligne.", _columns(
        ("serie", "Série", "identifiant de la série"), ("titre", "Titre de la série", "titre de la série"),
        ("unite", "Unité", _values("figures", "unit")), ("libelle", "Libellé", "à quoi la valeur se rapporte"),
        ("signataire", "Signataire", "identifiant du signataire concerné (vide si aucun)"),
        ("texte", "Texte cité", "la valeur telle qu'écrite dans le contrat"),
        ("valeur", "Valeur", "la valeur, dans l'unité de la série", "number"),
        ("section", "Section", "identifiant de la section du texte où figure la série")), _figures),
    Table("signatories", f"{FIXED['signatories']}.csv", f"Les signataires : {_kinds('signatories')}.", _columns(
        ("id", "Signataire", "identifiant du signataire"), ("categorie", "Catégorie", _values("signatories", "kind")),
        ("nom", "Institution", "nom de l'institution"), ("representant", "Représentant", "qui la représente au contrat"),
        ("signataire_nom", "Personne qui signe", "personne qui signe"),
        ("signataire_qualite", "Qualité", "qualité imprimée à côté du nom")), _signatories),
    Table("signatory_amounts", f"{FIXED['signatory_amounts']}.csv", "Les montants que le texte attribue à chaque signataire "
          "(crédits, dotations), tels qu'il les écrit : une ligne par montant.", _columns(
        ("signataire", "Signataire", "identifiant du signataire"), ("nom", "Institution", "nom de l'institution"),
        ("texte", "Texte cité", "le montant tel qu'écrit dans le contrat"),
        ("montant_eur", "Montant (€)", "montant en euros", "number"),
        ("section", "Section", "identifiant de la section du texte où il figure")), _signatory_amounts),
    Table("governance", f"{FIXED['governance']}.csv", "Les instances de pilotage, de suivi et de participation.", _columns(
        ("id", "Instance", "identifiant de l'instance"), ("nom", "Nom", "nom de l'instance"),
        ("categorie", "Famille", "famille d'instances : " + _values("governance", "category")),
        ("section", "Section", "section du texte qui la présente"),
        ("presidence", "Présidence", "présidence ou animation (citation)"),
        ("rythme", "Rythme", "fréquence des réunions (citation)"),
        ("reunions_par_an_min", "Réunions par an (au moins)", "réunions par an, au moins", "integer"),
        ("reunions_par_an_max", "Réunions par an (au plus)", "réunions par an, au plus", "integer"),
        ("lieu", "Lieu", "lieu des réunions (citation)")), _governance),
    Table("commitments", f"{FIXED['commitments']}.csv", "Les engagements des signataires, un par ligne ; les listes sont séparées "
          f"par « | ». Leurs comptes rendus de suivi sont dans {FIXED['follow_ups']}.csv.", _columns(
        ("id", "Engagement", "identifiant de l'engagement"), ("signataire", "Signataire", "identifiant du signataire"),
        ("nom", "Institution", "nom du signataire"), ("intitule", "Intitulé", "l'engagement en quelques mots"),
        ("texte", "Engagement", "ce que le signataire s'engage à faire, tel que la source l'écrit"),
        ("elements", "Éléments concernés", "éléments de la stratégie concernés, chacun « dossier/identifiant »"),
        ("territoires", "Territoires", "identifiants des territoires concernés"),
        ("indicateur", "Indicateur", "ce qui est compté"), ("cible", "Cible", "la valeur visée", "number"),
        ("unite", "Unité", "unité de la cible"), *_SOURCE), _commitments),
    Table("projects", f"{FIXED['projects']}.csv", "Les projets de quartier, un par ligne ; les listes sont séparées par « | ».",
          _columns(("id", "Projet", "identifiant du projet"), ("intitule", "Intitulé", "le nom du projet"),
                   ("territoires", "Territoires", "identifiants des territoires dont c'est le projet"),
                   ("priorites", "Priorités", "les priorités du projet, dans l'ordre de la source"),
                   ("elements", "Éléments repris", "éléments de la stratégie que le projet reprend, chacun « dossier/identifiant »"),
                   ("texte", "Le projet", "le texte du projet, tel que la source l'écrit"), *_SOURCE), _projects),
    Table("follow_ups", f"{FIXED['follow_ups']}.csv", "Les comptes rendus de suivi, datés, d'un élément de la stratégie, d'un "
          "engagement ou d'un projet de quartier : un par ligne, du plus ancien au plus récent. Leurs chiffres sont dans "
          f"{FIXED['follow_up_figures']}.csv.", _columns(
        ("id", "Suivi", "identifiant du compte rendu"), ("date", "Date", "date du compte rendu (aaaa-mm-jj)"),
        ("objet", "Objet du suivi", "ce qui est suivi, un élément de la stratégie, un engagement ou un projet, « dossier/identifiant »"),
        ("texte", "Ce qui a été fait", "ce qui a été fait, tel que la source le rapporte"), *_SOURCE), _follow_ups),
    Table("follow_up_figures", f"{FIXED['follow_up_figures']}.csv", "Les chiffres des comptes rendus de suivi : une ligne par chiffre.",
          _columns(("suivi", "Suivi", "identifiant du compte rendu"), ("date", "Date", "date du compte rendu (aaaa-mm-jj)"),
                   ("objet", "Objet du suivi", "ce qui est suivi, « dossier/identifiant »"),
                   ("libelle", "Libellé", "ce que le chiffre compte"), ("valeur", "Valeur", "la valeur", "number"),
                   ("unite", "Unité", "unité de la valeur")), _follow_up_figures),
)}


def _whole(level: Level) -> str:
    """Its singular with its article: « l'objectif opérationnel »."""
    found = ARTICLE.match(level.article)
    return (found.group(0).lower() if found else "") + level.singular


def _column(words: str) -> str:
    """A column's name made of words: « nombre_fiches »."""
    return slug(words).replace("-", "_")


def _kinds_of(contract: Contract, level: Level) -> list[tuple[str, str, str]]:
    """The kinds of the first level's items that the contract has, each (value, singular, plural) as the site
    names them (Level.kinds)."""
    used = {e.kind for e in contract.all(level.slot)}
    return [kind for kind in level.kinds() if kind[0] in used]


def _sheet_columns(level: Level) -> tuple[tuple[str, ...], ...]:
    """The columns of a sheet's rubrics, from its title on, in the words of its level."""
    return (("intitule", "Intitulé", f"intitulé {of_the(level.the)}, tel qu'imprimé"),
            ("sous_points", "Sous-points", "sous-points de l'intitulé, séparés par « | »"),
            ("pilote", "Pilote", "institution pilote"), ("copilotes", "Copilotes", "institutions copilotes"),
            ("partenaires", "Partenaires", "partenaires"), ("publics", "Publics", "publics cibles"),
            ("territoires", "Territoires", f"identifiants des territoires {of_the(level.the)}"),
            ("credits_specifiques", "Crédits spécifiques", "crédits spécifiques, tels que décrits, montant en euros entre parenthèses"),
            ("credits_droit_commun", "Crédits de droit commun", "crédits de droit commun, tels que décrits, montant en euros entre parenthèses"),
            ("indicateurs", "Indicateurs", "indicateurs d'évaluation"))


def _relation_tables(level: Level, names: dict[str, str]) -> list[Table]:
    """The tables of the relations of the items that carry a sheet's rubrics, one row per relation."""
    item = (_column(level.short), level.short, f"numéro {of_the(level.the)}")
    word = level.short.lower()
    return [
        Table("actors", f"{names['actors']}.csv", f"Qui fait quoi : une ligne par {word}, institution et rôle.", _columns(
            item, ("acteur", "Signataire", "identifiant du signataire (vide pour une institution non signataire)"),
            ("nom", "Institution", "nom de l'institution"), ("role", "Rôle", "pilote, copilote, partenaire ou financeur")),
            _actors, key=(item[0], "acteur", "nom", "role")),
        Table("sheet_territories", f"{names['sheet_territories']}.csv",
            f"Les territoires de chaque {word} : une ligne par {word} et territoire.",
            _columns(item, ("territoire", "Territoire", "identifiant du territoire")), _sheet_territories,
            key=(item[0], "territoire")),
        Table("sheet_funding", f"{names['sheet_funding']}.csv", f"Les financements de chaque {word} : une ligne par "
            f"financement. Les montants que le texte donne hors des {level.brief_plural} sont dans "
            f"{FIXED['figures']}.csv et {FIXED['signatory_amounts']}.csv.", _columns(
            item, ("type", "Type de crédits", "specifique (politique de la ville) ou droit-commun"),
            ("texte", "Financement", "le financement tel que décrit"), ("financeur", "Financeur", "identifiant du signataire financeur"),
            ("financeur_nom", "Nom du financeur", "nom du financeur"),
            ("montant_eur", "Montant (€)", "montant en euros", "number")), _sheet_funding)]


def _level_tables(contract: Contract) -> list[Table]:
    """The tables of the levels the contract declares, in its words (core/tables.py names them)."""
    structure = contract.structure
    names = tables.names(structure)
    out = []
    related = structure.of(structure.sheets)
    relations = " (une ligne par relation : " + ", ".join(f"{names[key]}.csv" for key in RELATIONS) + ")" if related else ""
    if structure.has("subactions"):
        s, a = structure.level("subactions"), structure.level("actions")
        out.append(Table("subactions", f"{names['subactions']}.csv", f"Les {s.plural}, un{s.e} par ligne, dans l'ordre de "
                         f"numérotation ; les listes sont séparées par « | »{relations}.", _columns(
                             ("id", s.short, f"numéro {of_the(s.the)}"), (_column(a.short), a.short, f"numéro {of_the(a.the)}"),
                             *_sheet_columns(s)), _subactions))
        out += _relation_tables(s, names)
    if structure.has("actions"):
        a, o, x = (structure.level(slot) for slot in ("actions", "objectives", "axes"))
        own = relations if a is related else ""
        out.append(
            Table("actions", f"{names['actions']}.csv", f"Les {a.plural}, un{a.e} par ligne, dans l'ordre de numérotation ; "
                  f"les listes sont séparées par « | »{own}.", _columns(
                ("id", a.short, f"numéro {of_the(a.the)} ({x.short.lower()}.{o.short.lower()}.rang)"),
                (_column(o.short), o.short, f"numéro {of_the(_whole(o))}"), (_column(x.short), x.short, f"numéro {x.of}"),
                *_sheet_columns(a)), _actions))
        if a is related:
            out += _relation_tables(a, names)
    if structure.has("objectives"):
        o, x = structure.level("objectives"), structure.level("axes")
        count = structure.of("actions")
        out.append(Table("objectives", f"{names['objectives']}.csv", f"Les {o.plural}.", _columns(
            ("id", o.short, f"numéro {o.of} ({x.short.lower()}.rang)"), (_column(x.short), x.short, f"numéro {x.of}"),
            ("intitule", "Intitulé", f"intitulé {o.of}"),
            *([(f"nombre_{_column(count.brief_plural)}", f"Nombre {de(count.brief_plural)}",
                f"nombre {de(count.plural)} {o.of}", "integer")] if count else [])), _objectives))
    x = structure.level("axes")
    count = structure.of("objectives")
    kinds = _kinds_of(contract, x)
    numbered = "si elle n'est pas numérotée" if x.feminine else "s'il n'est pas numéroté"
    shown = [f"{value} ({one})" for value, one, _ in kinds]
    out.append(Table("axes", f"{names['axes']}.csv", f"Les {x.names} du contrat"
                     + (f" : {', '.join(many for _, _, many in kinds)}." if len(kinds) > 1 else "."), _columns(
        ("id", x.short, f"numéro {x.of}, ou son nom {numbered}"),
        ("categorie", "Catégorie", ", ".join(shown[:-1]) + " ou " + shown[-1] if len(shown) > 1 else "".join(shown)),
        ("intitule", "Intitulé", f"intitulé {x.of}, tel qu'imprimé"),
        ("commission", "Commission", f"commission de suivi {x.of}"),
        *([(f"nombre_{_column(count.brief_plural)}", f"Nombre {de(count.brief_plural)}", f"nombre {de(count.plural)}",
            "integer")] if count else [])), _axes))
    return out


def tables_of(contract: Contract) -> dict[str, Table]:
    """The tables a contract publishes, by key: those of the levels it declares, then the others."""
    return {t.name: t for t in _level_tables(contract)} | FIXED_TABLES


def default_table(contract: Contract) -> Table:
    """The table `contrat export --format csv` writes unless asked for another: its finest level's."""
    return tables_of(contract)[contract.structure.slots[-1]]

# What a spreadsheet reads as a formula when a text cell starts with it (OWASP, « CSV Injection »).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _csv_cell(value):
    """A text cell a spreadsheet would run is prefixed with « ' » (OWASP); numbers stay numbers, None is empty."""
    return "'" + value if is_formula_like(value) else value


def rows_of(contract: Contract) -> dict[str, list[list]]:
    """Every table's rows, computed once, by table name."""
    return {name: list(table.rows(contract)) for name, table in tables_of(contract).items()}


def csv_text(table: Table, rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([col.name for col in table.columns])
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return out.getvalue()


def to_csv(contract: Contract, key: str) -> str:
    """The CSV text of a table the contract publishes (a KeyError for a level it does not declare)."""
    table = tables_of(contract)[key]
    return csv_text(table, table.rows(contract))
