"""Render: contract model → {relative path: page}. Pure: no disk writes, no clock, sorted output.

Plain-text values from the data are escaped for Markdown and HTML (`md` filter); the prose
fields are Markdown by design and go through `prose`, which turns cross-references into links.
The HTML that Markdown makes of them is sanitised afterwards (see sanitize.py).
"""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader

from . import charts, opendata, xref
from .diff import OPERATIONS
from .history import History
from .model import Contract, Entity

TEMPLATES = Path(__file__).resolve().parent / "templates"
NOT_GIVEN = "non renseigné dans le contrat publié"

# collection -> folder of its pages
PAGE_DIRS = {"axes": "axes", "objectives": "objectifs", "actions": "fiches", "territories": "territoires",
             "signatories": "signataires", "governance": "gouvernance"}
PAGED = set(PAGE_DIRS) | {"sections", "governance", "annexes", "amendments"}
INDEXES = {"territories": "territoires/index.md", "signatories": "signataires/index.md",
           "governance": "gouvernance.md", "annexes": "annexes.md", "text": "texte/index.md", "home": "index.md",
           "amendments": "avenants.md", "data": f"{opendata.FOLDER}/index.md", "print": "imprimer.md",
           "figures": "chiffres.md"}


@dataclass(frozen=True)
class Page:
    markdown: str
    title: str          # plain text; the hook makes it the page's escaped title
    source: str | None  # data file the page comes from, for the edit link


_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!~"} | {"|": "&#124;", "\n": " "})


def md(value) -> str:
    """Plain text → Markdown that shows exactly that text (no markup, no HTML)."""
    return html.escape(str(value), quote=False).translate(_MD_ESCAPES)


def page_path(entity: Entity) -> str:
    if entity.collection == "sections":
        return f"texte/{entity.data['part']}.md"
    if entity.collection in ("annexes", "amendments"):
        return INDEXES[entity.collection]
    return f"{PAGE_DIRS[entity.collection]}/{entity.id}.md"


def public_url(path: str) -> str:
    """Where the page made from Markdown file `path` is served: « fiches/1.1.1.md » → « fiches/1.1.1/ »."""
    return path[: -len("index.md")] if path.endswith("index.md") else path[:-3] + "/"


def anchor(entity: Entity) -> str:
    if entity.collection == "annexes":
        return f"annexe-{entity.id}"
    if entity.collection == "amendments":
        return f"revision-{entity.id}"
    return entity.id if entity.collection == "sections" else ""


COUNT_LABELS = {
    ("axes", "strategique"): "axes stratégiques", ("axes", None): "axes", ("objectives", None): "objectifs opérationnels",
    ("actions", None): "fiches actions", ("territories", "quartier-prioritaire"): "quartiers prioritaires",
    ("territories", "veille-active"): "territoires de veille active",
    ("territories", "ancienne-zus"): "anciennes zones urbaines sensibles (ZUS)",
    ("signatories", "signataire"): "parties signataires", ("signatories", "signataire-annonce"): "signataires annoncés",
    ("annexes", None): "annexes", ("sections", None): "chapitres",
}
TERRITORY_KINDS = (("quartier-prioritaire", "Quartiers prioritaires"), ("veille-active", "Territoires de veille active"),
                   ("ancienne-zus", "Anciennes zones urbaines sensibles (ZUS)"), ("reference", "Territoires de référence"))
SIGNATORY_KINDS = (("signataire", "Parties signataires"), ("signataire-annonce", "Signataires annoncés"),
                   ("conseil-citoyen", "Conseils citoyens"))
SIGNATORY_ROLES = {"signataire": "partie signataire du contrat", "signataire-annonce": "signataire annoncé",
                   "conseil-citoyen": "conseil citoyen"}
ANNEX_STATUS = {"present": "présente", "partiel": "en partie", "absent": "absente"}
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """One environment per process: templates compile once (and their bytecode is cached on disk),
    and are reloaded when they change, as under `mkdocs serve`."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, bytecode_cache=FileSystemBytecodeCache())
    env.filters["md"] = md
    env.globals["NOT_GIVEN"] = NOT_GIVEN
    return env


class Renderer:
    def __init__(self, contract: Contract, history: History | None = None):
        self.c = contract
        self.history = history or History()
        self.publication: dict = {"version": self.version()}
        self.pdf_path: str | None = None  # set when the build also makes a PDF
        self.site_url = ""                # the published address, when known
        self.anchor = anchor
        self.current = ""
        self._refs: dict[tuple, list] = {}
        self.backlinks: dict[tuple, list[Entity]] = {}
        for collection, fields in xref.TEXT_FIELDS.items():
            for e in contract.all(collection):
                cited = {(r.collection, r.id) for f in fields
                         for r in self.refs(e.data.get(f) or "", xref.context_of(collection, e.data))}
                for key in sorted(cited - {(e.collection, e.id)}):
                    self.backlinks.setdefault(key, []).append(e)

        # Signatories named in sheet titles: one pass over each title with all names at once.
        owners: dict[str, list[Entity]] = {}
        for signatory in contract.all("signatories"):
            for name in {signatory.name, *(signatory.aliases or [])}:
                if name and len(name) > 2:
                    owners.setdefault(name, []).append(signatory)
        names = re.compile(r"\b(" + "|".join(map(re.escape, sorted(owners, key=len, reverse=True))) + r")\b") if owners else None
        order = {s.id: i for i, s in enumerate(contract.all("signatories"))}
        self.named_in: dict[str, list[Entity]] = {}
        self.naming: dict[str, list[Entity]] = {}
        for action in contract.all("actions"):
            found = {s.id: s for m in (names.finditer(action.title) if names else ()) for s in owners[m.group(1)]}
            self.named_in[action.id] = sorted(found.values(), key=lambda s: order[s.id])
            for s in self.named_in[action.id]:
                self.naming.setdefault(s.id, []).append(action)
        self.sitting: dict[str, list[Entity]] = {}
        for body in contract.all("governance"):
            for s in body.signatories or ():
                self.sitting.setdefault(s, []).append(body)

    # -- links --------------------------------------------------------------------------
    def href(self, target: str, fragment: str = "") -> str:
        here, there = posixpath.dirname(self.current).split("/"), target.split("/")
        here = [] if here == [""] else here
        common = 0
        while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
            common += 1
        rel = "/".join([".."] * (len(here) - common) + there[common:])
        return rel + (f"#{fragment}" if fragment else "")

    def url(self, entity: Entity) -> str:
        """Link target of an entity's page (and anchor), relative to the page being rendered."""
        return self.href(page_path(entity), anchor(entity))

    def link(self, entity: Entity, label: str | None = None) -> str:
        text = md(label if label is not None else self.label(entity))
        return f"[{text}]({self.url(entity)})"

    def label(self, entity: Entity) -> str:
        kind = entity.collection
        if kind == "actions":
            return f"Fiche action {entity.id} — {entity.title}"
        if kind == "objectives":
            return f"Objectif {entity.id} — {entity.title}"
        if kind == "axes":
            return f"Axe {entity.id} — {entity.title}" if entity.kind == "strategique" else f"Axe transversal — {entity.title}"
        if kind == "sections":
            return " ".join(filter(None, [entity.number, entity.title]))
        if kind == "amendments":
            return entity.title
        return entity.name or entity.title or entity.id

    def short_label(self, entity: Entity) -> str:
        names = {"axes": "Axe", "objectives": "Objectif", "actions": "Fiche"}
        if entity.collection == "axes" and entity.kind != "strategique":
            return "Axe transversal"
        return f"{names[entity.collection]} {entity.id}"

    def short_link(self, entity: Entity) -> str:
        return self.link(entity, self.short_label(entity))

    def refs(self, text: str, context: dict) -> list:
        key = (text, tuple(sorted(context.items())))
        if key not in self._refs:
            self._refs[key] = xref.find(text, **context)
        return self._refs[key]

    def prose(self, text: str | None, owner: Entity | None = None) -> str:
        """Markdown prose with every cross-reference turned into a link."""
        if not text:
            return ""
        context = xref.context_of(owner.collection, owner.data) if owner else {}
        out, last = [], 0
        for ref in self.refs(text, context):
            target = self.c.get(ref.collection, ref.id)
            if target is None or target is owner:
                continue
            out.append(text[last:ref.start])
            out.append(f"[{text[ref.start:ref.end]}]({self.url(target)})")
            last = ref.end
        out.append(text[last:])
        return "".join(out)

    # -- pages --------------------------------------------------------------------------
    def page(self, path: str, template: str, title: str, source: str | None, **context) -> tuple[str, Page]:
        self.current = path
        markdown = _environment().get_template(template).render(title=title, r=self, c=self.c, **context)
        return path, Page(markdown, title, source)

    def pages(self) -> dict[str, Page]:
        c = self.c
        out = dict([
            self.page(INDEXES["home"], "home.md.j2", c.meta["title"], c.file),
            self.page(INDEXES["text"], "text_index.md.j2", "Le texte du contrat", None),
            self.page(INDEXES["territories"], "territories.md.j2", "Les territoires", None),
            self.page(INDEXES["signatories"], "signatories.md.j2", "Les signataires", c.file),
            self.page(INDEXES["governance"], "governance.md.j2", "La gouvernance", None),
            self.page(INDEXES["annexes"], "annexes.md.j2", "Les annexes", None),
            self.page(INDEXES["amendments"], "amendments.md.j2", "Les avenants", None),
            self.page(INDEXES["figures"], "figures.md.j2", "Les chiffres du contrat", None),
            self.page(INDEXES["print"], "print.md.j2", f"{c.meta['title']} — version imprimable", c.file),
            self.page(INDEXES["data"], "opendata.md.j2", "Données ouvertes", None,
                      catalogue=opendata.catalogue(c, self.publication), publication=self.publication,
                      schema_kinds=opendata.SCHEMA_KINDS),
        ])
        for part in c.meta["parts"]:
            sections = c.sections_of(part["id"])
            source = sections[0].file if sections else None
            out.update([self.page(f"texte/{part['id']}.md", "text_part.md.j2", part["title"], source,
                                  part=part, sections=sections)])
        for collection, template in (("axes", "axis.md.j2"), ("objectives", "objective.md.j2"),
                                     ("territories", "territory.md.j2"), ("signatories", "signatory.md.j2"),
                                     ("governance", "governance_body.md.j2")):
            for e in c.all(collection):
                out.update([self.page(page_path(e), template, self.label(e), e.file, e=e)])
        actions = c.all("actions")
        for i, e in enumerate(actions):
            out.update([self.page(page_path(e), "action.md.j2", self.label(e), e.file, e=e,
                                  previous=actions[i - 1] if i else None,
                                  next=actions[i + 1] if i + 1 < len(actions) else None,
                                  cited_in=self.cited_in(e))])
        return dict(sorted(out.items()))

    def nav(self, extra_nav: list) -> list:
        """Site navigation: bounded (objective pages list their sheets; sheets are not in the menu)."""
        c, esc = self.c, html.escape
        axes = []
        for axis in c.all("axes"):
            items = [{esc(f"Axe {axis.id}" if axis.kind == "strategique" else "Axe transversal"): page_path(axis)}]
            items += [{esc(f"Objectif {o.id} — {o.title}"): page_path(o)} for o in c.children_of(axis)]
            axes.append({esc(self.label(axis)): items} if len(items) > 1 else items[0])
        text = [{"Sommaire": INDEXES["text"]}] + [{esc(p["title"]): f"texte/{p['id']}.md"} for p in c.meta["parts"]]
        return [{"Accueil": INDEXES["home"]}, {"Rechercher": "recherche.md"}, {"Le texte du contrat": text},
                {"Axes, objectifs et fiches": axes}, {"Territoires": INDEXES["territories"]},
                {"Signataires": INDEXES["signatories"]}, {"Gouvernance": INDEXES["governance"]},
                {"Annexes": INDEXES["annexes"]}, {"Chiffres": INDEXES["figures"]}, {"Avenants": INDEXES["amendments"]},
                {"Données ouvertes": INDEXES["data"]}, *extra_nav]

    def cited_in(self, target: Entity) -> list[Entity]:
        """Entities whose prose cites `target` (backlinks), in display order."""
        return self.backlinks.get((target.collection, target.id), [])

    def mentions(self, signatory: Entity) -> list[Entity]:
        """Action sheets whose title names a signatory (by its name or one of its aliases)."""
        return self.naming.get(signatory.id, [])

    def governance_of(self, signatory: Entity) -> list[Entity]:
        return self.sitting.get(signatory.id, [])

    def version(self) -> str:
        """The version of the contract the site shows: last revision, source commit."""
        revisions = self.c.all("amendments")
        text = (f"{self.label(revisions[-1])} du {self.date(revisions[-1].date)}" if revisions
                else f"version initiale du {self.date(self.c.meta['signature']['date'])}")
        return f"Version du contrat : {text}" + (f" · source : commit {self.history.commit}" if self.history.commit else "")

    def footnotes(self, markdown: str, scope: str) -> str:
        """Footnote labels made unique to one text, for pages that put several texts together."""
        return re.sub(r"\[\^([^\]]+)\]", lambda m: f"[^{scope}-{m.group(1)}]", markdown)

    def quote_source(self, quote) -> str:
        """Link to where a quotation stands: its section, objective or axis."""
        for collection, key in (("sections", "section"), ("objectives", "objective"), ("axes", "axis")):
            if quote.get(key):
                return self.link(self.c.get(collection, quote[key]))
        return ""

    def public_url(self, entity: Entity) -> str:
        return public_url(page_path(entity))

    def sheet_json(self, action: Entity) -> str:
        return self.href(opendata.sheet_path(action.id))

    def revisions_of(self, entity: Entity) -> list[tuple[Entity, dict]]:
        """(amendment, declared change) pairs that touch `entity`, oldest first."""
        key = f"{entity.collection}/{entity.id}"
        return [(a, change) for a in self.c.all("amendments") for change in a.changes
                if key in (change["entity"], change.get("to"))]

    def operation(self, name: str) -> str:
        return OPERATIONS[name]

    def entity_link(self, key: str) -> str:
        """Link to an entity named « collection/id », or its name as text if it no longer exists."""
        collection, _, id_ = key.partition("/")
        target = self.c.get(collection, id_) if id_ else None
        if key == "contrat":
            return f"[le contrat]({self.href(INDEXES['home'])})"
        return self.link(target) if target and collection in PAGED else md(key)

    def field_change(self, change) -> str:
        if change.words:
            return " ".join(md(t) if op == "=" else (f"<del>{md(t)}</del>" if op == "-" else f"<ins>{md(t)}</ins>")
                            for op, t in change.words if t)
        return f"{self.short_value(change.old)} → {self.short_value(change.new)}"

    def short_value(self, value) -> str:
        if value is None:
            return "*(absent)*"
        text = value if isinstance(value, str) else ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        text = " ".join(text.split())
        return "« " + md(text if len(text) <= 300 else text[:297] + "…") + " »"

    def mentions_in(self, action: Entity) -> list[Entity]:
        return self.named_in[action.id]

    # -- small formatters used by templates ---------------------------------------------------
    def date(self, iso: str) -> str:
        year, month, day = iso.split("-")
        return f"{int(day)}{'er' if day == '01' else ''} {MONTHS[int(month) - 1]} {year}"

    def count_label(self, count) -> str:
        key = (count["entity"], count.get("kind"))
        return COUNT_LABELS.get(key) or " ".join(filter(None, key))

    def axis_counts(self, axis: Entity) -> str:
        objectives = self.c.children_of(axis)
        if not objectives:
            return ""
        sheets = sum(len(self.c.children_of(o)) for o in objectives)
        return f" — {len(objectives)} objectif{'s' if len(objectives) > 1 else ''}, {sheets} fiche{'s' if sheets > 1 else ''} action"

    def axes_part(self) -> str | None:
        return next((p["id"] for p in self.c.meta["parts"] if p.get("contains") == "axes"), None)

    def territory_kinds(self):
        return TERRITORY_KINDS

    def territory_kind(self, kind: str) -> str:
        return dict(TERRITORY_KINDS)[kind]

    def signatory_kinds(self):
        return SIGNATORY_KINDS

    def signatory_kind(self, kind: str) -> str:
        return SIGNATORY_ROLES[kind]

    def annex_status(self, status: str) -> str:
        return ANNEX_STATUS[status]

    def who(self, item) -> str:
        if not item:
            return md(NOT_GIVEN)
        if item.get("signatory"):
            return self.link(self.c.get("signatories", item["signatory"]))
        return md(item["name"])

    def who_list(self, items) -> str:
        return ", ".join(self.who(i) for i in items) if items else md(NOT_GIVEN)

    def text_list(self, items) -> str:
        return ", ".join(md(i) for i in items) if items else md(NOT_GIVEN)

    def territory_list(self, ids) -> str:
        return ", ".join(self.link(self.c.get("territories", t)) for t in ids) if ids else md(NOT_GIVEN)

    def funding(self, items) -> str:
        if not items:
            return md(NOT_GIVEN)
        return ", ".join(md(f["text"]) + (f" ({self.euros(f['amount_eur'])})" if "amount_eur" in f else "") for f in items)

    def euros(self, amount) -> str:
        return self.number(amount, "euros")

    def meetings(self, m) -> str:
        if not m:
            return md(NOT_GIVEN)
        return str(m["min"]) if m["min"] == m["max"] else f"{m['min']} à {m['max']}"

    def tables_for(self, territory: Entity) -> list[Entity]:
        ids = {territory.id, *(territory.related or [])}
        return [t for t in self.c.all("statistics") if ids & {col["territory"] for col in t.columns}]

    def chart(self, table: Entity, territory: Entity | None = None) -> str:
        return charts.comparison(self.c, table, territory)

    def figure_chart(self, figure: Entity) -> str:
        """Bars only for a figure whose values measure one declared population: others do not compare."""
        population = figure.data.get("population")
        if not population:
            return ""
        unit = {"euros": "en euros", "nombre": "en nombre", "pourcentage": "en pourcentage"}[figure.unit]
        items = [(i["label"], i["amount"], self.number(i["amount"], figure.unit)) for i in figure.data["items"]]
        return charts.bars(f"graphique-{figure.id}", f"{population} ({unit})",
                           "Une barre par valeur, de la plus grande à la plus petite. Le tableau qui suit donne "
                           "chaque valeur telle que le contrat l'écrit.", items)

    def rhythm_chart(self) -> str:
        bodies = [g for g in self.c.all("governance") if g.meetings_per_year]
        items = [(g.name, g.meetings_per_year["max"], self.meetings(g.meetings_per_year) + " par an") for g in bodies]
        return charts.bars("graphique-rythme", "Nombre de réunions par an de chaque instance",
                           f"Une barre par instance dont le contrat donne le rythme ({len(bodies)} instances), de la plus "
                           "fréquente à la plus rare ; pour un rythme « de 3 à 4 », la barre va jusqu'à 4. "
                           "Le tableau ci-dessus donne les mêmes rythmes.", items)

    def number(self, value, unit: str) -> str:
        return charts.number(value, unit)

    def statistics_table(self, table: Entity, territory: Entity | None) -> str:
        own = {territory.id, *(territory.related or [])} if territory else set()
        header = ["Indicateur"] + [("**" + md(col["header"]) + "**") if col["territory"] in own
                                   else md(col["header"]) for col in table.columns]
        lines = ["| " + " | ".join(header) + " |", "| --- " + "| ---: " * len(table.columns) + "|"]
        for row in table.rows:
            cells = [md(cell["text"]) if cell["text"] else "—" for cell in row["cells"]]
            lines.append("| " + " | ".join([md(row["label"])] + cells) + " |")
        return "\n".join(lines)

