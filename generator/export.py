"""Export: the contract model as open data (JSON document, CSV tables). Pure functions."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Callable

from . import registry
from .model import HIERARCHY, Contract, Entity


def _plain(entity: Entity) -> dict:
    return {k: _thaw(v) for k, v in entity.data.items()}


def _thaw(value):
    if isinstance(value, (list, tuple)):
        return [_thaw(v) for v in value]
    if hasattr(value, "items"):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def to_data(contract: Contract, publication: dict | None = None) -> dict:
    """The open-data document: {"contract", "axes" > "objectives" > "actions", "territories", …}."""
    axes = []
    for axis in contract.all("axes"):
        item = _plain(axis)
        item["objectives"] = []
        for objective in contract.children_of(axis):
            obj = _plain(objective)
            obj["actions"] = [_plain(a) for a in contract.children_of(objective)]
            item["objectives"].append(obj)
        axes.append(item)
    data = {"publication": publication} if publication else {}
    data.update({"contract": _thaw(contract.meta), "axes": axes})
    for collection in registry.COLLECTIONS:
        if collection not in HIERARCHY and collection != "axes":  # those are nested under their axis
            data[collection] = [_plain(e) for e in contract.all(collection)]
    return data


def to_json(contract: Contract, publication: dict | None = None) -> str:
    return json.dumps(to_data(contract, publication), ensure_ascii=False, indent=2) + "\n"


def _join(values) -> str:
    return " | ".join(values or ())


@dataclass(frozen=True)
class Table:
    name: str
    file: str
    description: str
    columns: tuple          # (name, description) pairs
    rows: Callable          # contract -> iterable of rows, in column order
    types: tuple = ()       # (name, Table Schema type) of the columns that are not text
    key: tuple = ()         # columns whose values identify a row (Table Schema primaryKey)


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


def _actions(c):
    for a in c.all("actions"):
        yield [a.id, a.objective, c.parent_of(a).axis, a.title, _join(a.title_points),
               _actor(c, a.pilot)[1] if a.pilot else "", _join(_actor(c, i)[1] for i in a.co_pilots or ()),
               _join(_actor(c, i)[1] for i in a.partners or ()), _join(a.publics), _join(a.territories),
               _funding(a.funding_specific), _funding(a.funding_common_law), _join(a.indicators)]


def _actors(c):
    for a in c.all("actions"):
        for role, item in c.relations.actors[a.id]:
            yield [a.id, *_actor(c, item), role]


def _sheet_territories(c):
    for a in c.all("actions"):
        for t in a.territories or ():
            yield [a.id, t]


def _sheet_funding(c):
    for a in c.all("actions"):
        for kind, items in (("specifique", a.funding_specific), ("droit-commun", a.funding_common_law)):
            for f in items or ():
                yield [a.id, kind, f["text"], *(_actor(c, f) if f.get("signatory") else ("", "")), f.get("amount_eur", "")]


def _objectives(c):
    for o in c.all("objectives"):
        yield [o.id, o.axis, o.title, len(c.children_of(o))]


def _axes(c):
    for x in c.all("axes"):
        yield [x.id, x.kind, x.title, x.commission or "", len(c.children_of(x))]


def _territories(c):
    for t in c.all("territories"):
        yield [t.id, t.kind, t.name, _join(t.variants), _join(t.related)]


def _signatories(c):
    for s in c.all("signatories"):
        signer = s.signer or {}
        yield [s.id, s.kind, s.name, s.representative or "", signer.get("name", ""), signer.get("title", "")]


def _governance(c):
    for g in c.all("governance"):
        m = g.meetings_per_year or {}
        yield [g.id, g.name, g.category, g.section, g.chair or "", g.frequency or "", m.get("min", ""), m.get("max", ""),
               g.place or ""]


def _statistics(c):
    for t in c.all("statistics"):
        for row in t.rows:
            for column, cell in zip(t.columns, row["cells"]):
                yield [t.id, row["label"], column.get("territory", ""), column["header"], cell["text"],
                       cell.get("value", ""), cell.get("unit", ""), cell.get("share", "")]


TABLES = {t.name: t for t in (
    Table("actions", "fiches-actions.csv", "Les fiches actions, une par ligne, dans l'ordre de numérotation ; les "
          "listes sont séparées par « | » (une ligne par relation : fiches-acteurs.csv, fiches-territoires.csv, "
          "fiches-financements.csv).", (
        ("id", "numéro de la fiche (axe.objectif.rang)"), ("objectif", "numéro de l'objectif opérationnel"),
        ("axe", "numéro de l'axe"), ("intitule", "intitulé de la fiche, tel qu'imprimé"),
        ("sous_points", "sous-points de l'intitulé, séparés par « | »"), ("pilote", "institution pilote"),
        ("copilotes", "institutions copilotes"), ("partenaires", "partenaires"), ("publics", "publics cibles"),
        ("territoires", "identifiants des territoires de la fiche"),
        ("credits_specifiques", "crédits spécifiques, tels que décrits, montant en euros entre parenthèses"),
        ("credits_droit_commun", "crédits de droit commun, tels que décrits, montant en euros entre parenthèses"),
        ("indicateurs", "indicateurs d'évaluation")), _actions),
    Table("actors", "fiches-acteurs.csv", "Qui fait quoi : une ligne par fiche, institution et rôle.", (
        ("fiche", "numéro de la fiche"), ("acteur", "identifiant du signataire (vide pour une institution non signataire)"),
        ("nom", "nom de l'institution"), ("role", "pilote, copilote, partenaire ou financeur")), _actors,
          key=("fiche", "acteur", "nom", "role")),
    Table("sheet_territories", "fiches-territoires.csv", "Les territoires de chaque fiche : une ligne par fiche et territoire.", (
        ("fiche", "numéro de la fiche"), ("territoire", "identifiant du territoire")), _sheet_territories,
          key=("fiche", "territoire")),
    Table("sheet_funding", "fiches-financements.csv", "Les financements de chaque fiche : une ligne par financement.", (
        ("fiche", "numéro de la fiche"), ("type", "specifique (politique de la ville) ou droit-commun"),
        ("texte", "le financement tel que décrit"), ("financeur", "identifiant du signataire financeur"),
        ("financeur_nom", "nom du financeur"), ("montant_eur", "montant en euros")), _sheet_funding,
          (("montant_eur", "number"),)),
    Table("objectives", "objectifs.csv", "Les objectifs opérationnels.", (
        ("id", "numéro de l'objectif (axe.rang)"), ("axe", "numéro de l'axe"), ("intitule", "intitulé de l'objectif"),
        ("nombre_fiches", "nombre de fiches actions de l'objectif")), _objectives, (("nombre_fiches", "integer"),)),
    Table("axes", "axes.csv", f"Les axes du contrat : {_kinds('axes')}.", (
        ("id", "numéro de l'axe, ou son nom s'il n'est pas numéroté"), ("categorie", _values("axes", "kind")),
        ("intitule", "intitulé de l'axe, tel qu'imprimé"), ("commission", "commission de suivi de l'axe"),
        ("nombre_objectifs", "nombre d'objectifs opérationnels")), _axes, (("nombre_objectifs", "integer"),)),
    Table("territories", "territoires.csv", f"Les territoires : {_kinds('territories')}.", (
        ("id", "identifiant du territoire"), ("categorie", _values("territories", "kind")),
        ("nom", "nom du territoire"), ("variantes", "autres graphies employées par le contrat, séparées par « | »"),
        ("territoires_lies", "identifiants des territoires qui recouvrent la même zone")), _territories),
    Table("statistics", "statistiques.csv", "Les tableaux statistiques du contrat, une cellule par ligne.", (
        ("tableau", "identifiant du tableau"), ("ligne", "libellé de la ligne (indicateur)"),
        ("territoire", "identifiant du territoire de la colonne"), ("en_tete", "en-tête imprimé de la colonne"),
        ("texte", "texte exact de la cellule (vide si la cellule est vide)"), ("valeur", "valeur numérique lue"),
        ("unite", "nombre, pourcentage, euros, indice ou ratio"),
        ("part", "pourcentage donné en plus d'un effectif dans la même cellule")), _statistics,
          (("valeur", "number"), ("part", "number"))),
    Table("signatories", "signataires.csv", f"Les signataires : {_kinds('signatories')}.", (
        ("id", "identifiant du signataire"), ("categorie", _values("signatories", "kind")),
        ("nom", "nom de l'institution"), ("representant", "qui la représente au contrat"),
        ("signataire_nom", "personne qui signe"), ("signataire_qualite", "qualité imprimée à côté du nom")), _signatories),
    Table("governance", "gouvernance.csv", "Les instances de pilotage, de suivi et de participation.", (
        ("id", "identifiant de l'instance"), ("nom", "nom de l'instance"), ("categorie", "famille d'instances : " + _values("governance", "category")),
        ("section", "section du texte qui la présente"), ("presidence", "présidence ou animation (citation)"),
        ("rythme", "fréquence des réunions (citation)"), ("reunions_par_an_min", "réunions par an, au moins"),
        ("reunions_par_an_max", "réunions par an, au plus"), ("lieu", "lieu des réunions (citation)")), _governance,
          (("reunions_par_an_min", "integer"), ("reunions_par_an_max", "integer"))),
)}
CSV_TABLES = tuple(TABLES)


def to_csv(contract: Contract, table: str) -> str:
    spec = TABLES[table]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in spec.columns])
    writer.writerows(spec.rows(contract))
    return out.getvalue()
