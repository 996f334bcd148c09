"""Accessible bar charts, computed at build time as HTML: no JavaScript, no third-party library.

Bars are HTML, not SVG: their labels wrap instead of being cut, and their text has the page's size on a
phone (an SVG scaled down to a 390 px screen shrinks its text to ~7 px). Each chart has one unit and
measures one population, its bars sorted, with the numbers in French format; it sits beside the data
table it draws, which keeps every figure as the contract prints it.
"""
from __future__ import annotations

from html import escape

from generator.core.model import Contract, Entity

SUFFIXES = {"euros": "\u00a0€", "pourcentage": "\u202f%"}


def number(value, unit: str = "") -> str:
    """French format: thin space between thousands, decimal comma, « % » and « € » after a no-break space."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")
    return text + SUFFIXES.get(unit, "")


def _bar(width: float, series: int, shown: str) -> str:
    return (f'<span class="cv-bars__track"><span class="cv-bars__bar cv-s{series}" style="width: {min(max(width, 0.5), 100):.1f}%">'
            f'</span><span class="cv-bars__value">{escape(shown)}</span></span>')


def _figure(chart_id: str, title: str, description: str, body: str) -> str:
    return (f'<figure class="cv-chart" id="{chart_id}"><figcaption><strong id="{chart_id}-titre">{escape(title)}</strong> '
            f'<span class="cv-chart__desc">{escape(description)}</span></figcaption>'
            f'<ul class="cv-bars">{body}</ul></figure>')


def bars(chart_id: str, title: str, description: str, items: list[tuple[str, float, str]]) -> str:
    """One bar per (label, value, value as shown), longest first, scaled to the largest value."""
    if len(items) < 2:
        return ""
    top = max(v for _, v, _ in items) or 1
    rows = sorted(items, key=lambda item: -item[1])
    body = "".join(f'<li><span class="cv-bars__label">{escape(label)}</span>{_bar(100 * value / top, 0, shown)}</li>'
                   for label, value, shown in rows)
    return _figure(chart_id, title, description, body)


def comparison(contract: Contract, table: Entity, territory: Entity | None = None) -> str:
    """One group of bars per percentage row of a statistics table: the territory's column (or, without a
    territory, every column) against the reference areas, on a 0-100 % scale. Groups are sorted by the
    first series' value."""
    columns = table.columns
    own = {territory.id, *(territory.related or [])} if territory else {c.get("territory") for c in columns} - {None}
    # The territory's own columns first, then the reference areas, whatever the order the table prints them in.
    mine = [i for i, col in enumerate(columns) if col.get("territory") in own]
    series = mine + [i for i, col in enumerate(columns) if i not in mine and _is_reference(contract, col)]
    if not mine or len(series) < 2:  # nothing to compare
        return ""
    rows = [row for row in table.rows
            if all(row["cells"][i].get("unit") == "pourcentage" and "value" in row["cells"][i] for i in series)]
    if not rows:
        return ""
    names = [table.columns[i]["header"] for i in series]
    chart_id = f"graphique-{table.id}-{territory.id if territory else 'ensemble'}"
    title = (f"{names[0]} comparé à {' et '.join(names[1:])}" if territory
             else f"{', '.join(names[:-1])} et {names[-1]} comparés") + ", indicateurs en pourcentage"
    description = (f"Une barre par territoire ({', '.join(names)}) pour chacun des {len(rows)} indicateurs exprimés "
                   "en pourcentage, sur une échelle de 0 à 100 %, du plus fort au plus faible pour "
                   f"{names[0]}. Le tableau qui suit donne tous les chiffres tels que le contrat les imprime.")
    groups = []
    for row in sorted(rows, key=lambda r: -r["cells"][series[0]]["value"]):
        lines = "".join(f'<li><span class="cv-bars__series">{escape(names[k])}</span>'
                        f'{_bar(row["cells"][i]["value"], k, number(row["cells"][i]["value"], "pourcentage"))}</li>'
                        for k, i in enumerate(series))
        groups.append(f'<li><span class="cv-bars__label">{escape(row["label"])}</span><ul>{lines}</ul></li>')
    return _figure(chart_id, title, description, "".join(groups))


def _is_reference(contract: Contract, column) -> bool:
    target = contract.get("territories", column["territory"]) if column.get("territory") else None
    return target is not None and target.kind == "reference"
