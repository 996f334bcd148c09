"""Accessible inline SVG charts, computed at build time: no JavaScript, no third-party library.

Each chart carries a <title> and a <desc> and sits beside the data table it draws, so that
it adds a picture to the numbers without replacing them.
"""
from __future__ import annotations

from html import escape

from .model import Contract, Entity

BAR, GAP, LABEL, WIDTH, LEFT = 16, 12, 20, 640, 150


def _fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def comparison(contract: Contract, table: Entity, territory: Entity | None = None) -> str:
    """Horizontal bars, one group per percentage row: the territory's column (or, without a territory,
    every column) against the reference areas."""
    own = {territory.id, *(territory.related or [])} if territory else {c["territory"] for c in table.columns}
    series = [i for i, col in enumerate(table.columns) if col["territory"] in own or _is_reference(contract, col)]
    if not any(table.columns[i]["territory"] in own for i in series):
        return ""
    rows = [row for row in table.rows
            if all(row["cells"][i].get("unit") == "pourcentage" and "value" in row["cells"][i] for i in series)]
    if not rows:
        return ""
    names = [table.columns[i]["header"] for i in series]
    chart_id = f"graphique-{table.id}-{territory.id if territory else 'ensemble'}"
    group = LABEL + BAR * len(series) + GAP
    height = 30 + group * len(rows)
    scale = (WIDTH - LEFT - 60) / 100
    parts = [f'<figure class="cv-chart"><svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
             f'aria-labelledby="{chart_id}-titre {chart_id}-desc">',
             f'<title id="{chart_id}-titre">{escape(", ".join(names[:-1]))} et {escape(names[-1])} comparés, '
             f'indicateurs en pourcentage</title>' if not territory else
             f'<title id="{chart_id}-titre">{escape(names[0])} comparé à {escape(" et ".join(names[1:]))}, '
             f'indicateurs en pourcentage</title>',
             f'<desc id="{chart_id}-desc">Barres horizontales, une série par colonne ({escape(", ".join(names))}), '
             f'pour les {len(rows)} indicateurs exprimés en pourcentage du tableau ci-dessous.</desc>']
    step = (WIDTH - LEFT) // len(names)
    for k, name in enumerate(names):
        parts.append(f'<rect x="{LEFT + k * step}" y="4" width="12" height="12" class="cv-s{k}"></rect>'
                     f'<text x="{LEFT + k * step + 18}" y="15">{escape(name)}</text>')
    for r, row in enumerate(rows):
        top = 30 + r * group
        parts.append(f'<text x="0" y="{top + 12}" class="cv-label">{escape(row["label"])}</text>')
        for k, i in enumerate(series):
            value = row["cells"][i]["value"]
            y = top + LABEL + k * BAR
            parts.append(f'<rect x="{LEFT}" y="{y}" width="{max(value * scale, 1):.1f}" height="{BAR - 3}" class="cv-s{k}"></rect>'
                         f'<text x="{LEFT + value * scale + 4:.1f}" y="{y + BAR - 4}">{_fmt(value)} %</text>')
    parts.append("</svg></figure>")
    return "".join(parts)


def _is_reference(contract: Contract, column) -> bool:
    target = contract.get("territories", column["territory"])
    return target is not None and target.kind == "reference"


def bars(chart_id: str, title: str, description: str, items: list[tuple[str, float, str]]) -> str:
    """Horizontal bars, one per (label, value, value as written): the label above its bar, the written
    value at the end of the bar."""
    if len(items) < 2:
        return ""
    top = max(v for _, v, _ in items) or 1
    scale = (WIDTH - 130) / top
    step = LABEL + BAR + GAP
    height = 5 + len(items) * step
    parts = [f'<figure class="cv-chart"><svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
             f'aria-labelledby="{chart_id}-titre {chart_id}-desc">',
             f'<title id="{chart_id}-titre">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description)}</desc>']
    for i, (label, value, written) in enumerate(items):
        y = 5 + i * step
        parts.append(f'<text x="0" y="{y + 13}" class="cv-label">{escape(label)}</text>'
                     f'<rect x="0" y="{y + LABEL}" width="{max(value * scale, 1):.1f}" height="{BAR - 3}" class="cv-s0"></rect>'
                     f'<text x="{value * scale + 4:.1f}" y="{y + LABEL + BAR - 5}">{escape(written)}</text>')
    parts.append("</svg></figure>")
    return "".join(parts)
