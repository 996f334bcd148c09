"""Export: the contract model as open data (JSON document, CSV tables). Pure functions."""
from __future__ import annotations

import csv
import io
import json

from .model import Contract, Entity


def _plain(entity: Entity) -> dict:
    return {k: _thaw(v) for k, v in entity.data.items()}


def _thaw(value):
    if isinstance(value, (list, tuple)):
        return [_thaw(v) for v in value]
    if hasattr(value, "items"):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def to_data(contract: Contract) -> dict:
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
    data = {"contract": _thaw(contract.meta), "axes": axes}
    for collection in ("territories", "signatories", "governance", "annexes", "statistics", "figures", "sections"):
        data[collection] = [_plain(e) for e in contract.all(collection)]
    data["amendments"] = [_plain(e) for e in contract.all("amendments")]
    return data


def to_json(contract: Contract) -> str:
    return json.dumps(to_data(contract), ensure_ascii=False, indent=2) + "\n"


def _join(values) -> str:
    return " | ".join(values or ())


def _rows(contract: Contract, table: str):
    if table == "actions":
        yield ["id", "objectif", "axe", "intitule", "sous_points"]
        for a in contract.all("actions"):
            yield [a.id, a.objective, contract.parent_of(a).axis, a.title, _join(a.title_points)]
    elif table == "objectives":
        yield ["id", "axe", "intitule", "nombre_fiches"]
        for o in contract.all("objectives"):
            yield [o.id, o.axis, o.title, len(contract.children_of(o))]
    elif table == "axes":
        yield ["id", "categorie", "intitule", "commission", "nombre_objectifs"]
        for x in contract.all("axes"):
            yield [x.id, x.kind, x.title, x.commission or "", len(contract.children_of(x))]
    elif table == "territories":
        yield ["id", "categorie", "nom", "variantes", "territoires_lies"]
        for t in contract.all("territories"):
            yield [t.id, t.kind, t.name, _join(t.variants), _join(t.related)]
    elif table == "signatories":
        yield ["id", "categorie", "nom", "representant", "signataire_nom", "signataire_qualite"]
        for s in contract.all("signatories"):
            signer = s.signer or {}
            yield [s.id, s.kind, s.name, s.representative or "", signer.get("name", ""), signer.get("title", "")]
    elif table == "governance":
        yield ["id", "nom", "categorie", "section", "presidence", "rythme", "reunions_par_an_min", "reunions_par_an_max", "lieu"]
        for g in contract.all("governance"):
            m = g.meetings_per_year or {}
            yield [g.id, g.name, g.category, g.section, g.chair or "", g.frequency or "", m.get("min", ""), m.get("max", ""), g.place or ""]
    elif table == "statistics":
        yield ["tableau", "ligne", "territoire", "en_tete", "texte", "valeur", "unite", "part"]
        for t in contract.all("statistics"):
            for row in t.rows:
                for column, cell in zip(t.columns, row["cells"]):
                    yield [t.id, row["label"], column["territory"], column["header"], cell["text"],
                           cell.get("value", ""), cell.get("unit", ""), cell.get("share", "")]
    else:
        raise ValueError(table)


CSV_TABLES = ("actions", "objectives", "axes", "territories", "signatories", "governance", "statistics")


def to_csv(contract: Contract, table: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(_rows(contract, table))
    return out.getvalue()
