"""Export: the contract model as open data (JSON document, CSV tables). Pure functions."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Callable

from .model import Contract, Entity


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
    for collection in ("territories", "signatories", "governance", "annexes", "statistics", "figures", "sections",
                       "amendments", "corrections"):
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


def _actions(c):
    for a in c.all("actions"):
        yield [a.id, a.objective, c.parent_of(a).axis, a.title, _join(a.title_points)]


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
                yield [t.id, row["label"], column["territory"], column["header"], cell["text"],
                       cell.get("value", ""), cell.get("unit", ""), cell.get("share", "")]


TABLES = {t.name: t for t in (
    Table("actions", "fiches-actions.csv", "Les fiches actions, une par ligne, dans l'ordre de numérotation.", (
        ("id", "numéro de la fiche (axe.objectif.rang)"), ("objectif", "numéro de l'objectif opérationnel"),
        ("axe", "numéro de l'axe"), ("intitule", "intitulé de la fiche, tel qu'imprimé"),
        ("sous_points", "sous-points de l'intitulé, séparés par « | »")), _actions),
    Table("objectives", "objectifs.csv", "Les objectifs opérationnels.", (
        ("id", "numéro de l'objectif (axe.rang)"), ("axe", "numéro de l'axe"), ("intitule", "intitulé de l'objectif"),
        ("nombre_fiches", "nombre de fiches actions de l'objectif")), _objectives, (("nombre_fiches", "integer"),)),
    Table("axes", "axes.csv", "Les axes du contrat, stratégiques ou transversaux.", (
        ("id", "numéro de l'axe, ou « transversal »"), ("categorie", "strategique ou transversal"),
        ("intitule", "intitulé de l'axe, tel qu'imprimé"), ("commission", "commission de suivi de l'axe"),
        ("nombre_objectifs", "nombre d'objectifs opérationnels")), _axes, (("nombre_objectifs", "integer"),)),
    Table("territories", "territoires.csv", "Les territoires : quartiers prioritaires, veille active, anciennes ZUS, "
          "territoires de référence.", (
        ("id", "identifiant du territoire"), ("categorie", "quartier-prioritaire, veille-active, ancienne-zus ou reference"),
        ("nom", "nom du territoire"), ("variantes", "autres graphies employées par le contrat, séparées par « | »"),
        ("territoires_lies", "identifiants des territoires qui recouvrent la même zone")), _territories),
    Table("statistics", "statistiques.csv", "Les tableaux statistiques du contrat, une cellule par ligne.", (
        ("tableau", "identifiant du tableau"), ("ligne", "libellé de la ligne (indicateur)"),
        ("territoire", "identifiant du territoire de la colonne"), ("en_tete", "en-tête imprimé de la colonne"),
        ("texte", "texte exact de la cellule (vide si la cellule est vide)"), ("valeur", "valeur numérique lue"),
        ("unite", "nombre, pourcentage, euros, indice ou ratio"),
        ("part", "pourcentage donné en plus d'un effectif dans la même cellule")), _statistics,
          (("valeur", "number"), ("part", "number"))),
    Table("signatories", "signataires.csv", "Les signataires, les signataires annoncés et les conseils citoyens.", (
        ("id", "identifiant du signataire"), ("categorie", "signataire, signataire-annonce ou conseil-citoyen"),
        ("nom", "nom de l'institution"), ("representant", "qui la représente au contrat"),
        ("signataire_nom", "personne qui signe"), ("signataire_qualite", "qualité imprimée à côté du nom")), _signatories),
    Table("governance", "gouvernance.csv", "Les instances de pilotage, de suivi et de participation.", (
        ("id", "identifiant de l'instance"), ("nom", "nom de l'instance"), ("categorie", "famille d'instances"),
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
