"""Render: contract model → {relative path: page}. Pure: no disk writes, no clock, sorted output.

Plain-text values from the data are escaped for Markdown and HTML (`md` filter); the prose
fields are Markdown by design and go through `prose`, which turns cross-references into links.
The HTML that Markdown makes of them is sanitised afterwards (see sanitize.py).
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.core import registry, xref
from generator.core.model import ROLES, Contract, Entity
from generator.core.registry import COLLECTIONS
from generator.core.schemas import schema_for
from generator.core.structure import NUMBERED, Level, capital, de, listed
from generator.revisions.diff import OPERATIONS
from generator.revisions.history import History
from generator.revisions.versions import PARTS, Version
from generator.site import charts, markup, reading, urls
from generator.site.markup import bounded_brackets, markdown, md, plain
from generator.site.urls import (
    FEED,
    PAGES,
    absolute,
    anchor,
    item_data,
    part_path,
    public_url,
    relative,
    version_path,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
SHEET_HEADING = ("objective", "label", "title", "title_points")  # a sheet's fields shown in its heading
SHEET = "action.md.j2"  # the template of the levels whose items are sheets (registry: the third and fourth slots)

@dataclass(frozen=True)
class Page:
    markdown: str
    title: str          # plain text; the hook makes it the page's escaped title
    source: str | None  # data file the page comes from, for the edit link


ENTITY_TEMPLATES = {c.name: c.template for c in registry.with_pages() if c.template}
PAGED = {c.name for c in COLLECTIONS.values() if c.page or c.name in registry.LEVELS}


@dataclass(frozen=True)
class Inputs:
    """Everything the pages are made from, given once when a renderer is made."""
    contract: Contract
    history: History = field(default_factory=History)
    versions: tuple[Version, ...] = ()               # every version, for links to them
    publication: Mapping[str, str] = field(default_factory=dict)  # licence and its address, as published
    site_url: str = ""                               # the published address, when known
    pdf_path: str | None = None                      # when the build also makes a PDF
    reporting: bool = False                          # whether each page has « Signaler une erreur » (engine/theme.py)
    data: Mapping[str, object] = field(default_factory=dict)      # the open-data page's package, rows and schema kinds


def version_pages(inputs: Inputs) -> dict[str, Page]:
    """The pages of every version of the contract (each rendered from the contract as it read then),
    a page held by the first version that reads so and shared by the next ones while it does not change."""
    ends: dict[tuple, str | None] = {}  # (holding version, page key) -> until when the page reads so
    for version in inputs.versions:
        ends.update({(holder, key): version.end for key, holder in version.pages.items()})
    out: dict[str, Page] = {}
    for version in inputs.versions:
        shown = Renderer(replace(inputs, contract=version.contract))
        out.update(shown.version_pages(version, {key: end for (holder, key), end in ends.items() if holder == version.slug}))
    return out



class _Environment(Environment):
    """Strict about names (an unknown variable, method or entity field stops the build); data mappings read
    a key they leave out as empty, as the schemas allow optional keys to be left out."""
    def getattr(self, obj, attribute):
        if isinstance(obj, Mapping) and not hasattr(obj, attribute):
            return obj.get(attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):  # also what selectattr and map(attribute=…) read
        if isinstance(obj, Mapping) and isinstance(argument, str) and argument not in obj and not hasattr(obj, argument):
            return None
        return super().getitem(obj, argument)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """One environment per process: templates compile once, in memory, and are reloaded when they change,
    as under `mkdocs serve`."""
    env = _Environment(loader=FileSystemLoader(TEMPLATES), finalize=markup.finalize, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(md=md, name=markup.name, target=markup.target, heading=markup.heading, de=de)
    env.globals["SHEET_HEADING"] = SHEET_HEADING
    return env


class Renderer:
    """The pages of a contract. A renderer never changes once made: each page is rendered by a renderer of
    its own (`current`, the page's path, makes its links relative), made from the same inputs."""

    def __init__(self, inputs: Inputs, current: str = "", version_shown: Version | None = None,
                 versioned: frozenset = frozenset(), found: reading.Found | None = None):
        self.inputs = inputs
        self.c = inputs.contract
        self.structure = inputs.contract.structure
        self.history = inputs.history
        self.all_versions = inputs.versions
        self.site_url = inputs.site_url
        self.pdf_path = inputs.pdf_path
        self.reporting = inputs.reporting
        self.current = current
        self.version_shown = version_shown  # when rendering a past version's pages
        self.versioned = versioned          # (collection, id) whose page exists in that version
        self.found = found or reading.Found()
        self.aids = reading.ReadingAids(self, self.found)
        self.part_path = part_path
        self.feed = FEED

    def _at(self, path: str, version_shown: Version | None = None, versioned: frozenset = frozenset()) -> Renderer:
        """The renderer of the page at `path` (of a past version's pages, with `version_shown`)."""
        return Renderer(self.inputs, path, version_shown or self.version_shown, versioned or self.versioned, self.found)

    # -- links --------------------------------------------------------------------------
    def anchor(self, entity: Entity) -> str:
        """An entity's anchor on the page listing it (urls.anchor), checked for printing in « { #… } »."""
        return markup.name(urls.anchor(entity))

    def item_anchor(self, id_: str) -> str:
        return markup.name(urls.item_anchor(id_))

    def follow_up_anchor(self, entity: Entity) -> str:
        """Where the follow-up of an entity stands on the page being rendered: its page's, or the printable page's."""
        if self.current == PAGES["print"]:
            return markup.name(urls.print_follow_up_anchor(entity, self.structure))
        return markup.name(urls.follow_up_anchor(entity))

    def note_anchor(self, entity: Entity) -> str:
        return markup.name(urls.note_anchor(entity))

    def print_anchor(self, entity: Entity) -> str:
        return markup.name(urls.print_anchor(entity, self.structure))

    def line_anchor(self, line: int) -> str:
        return markup.name(urls.line_anchor(line))

    @markdown
    def href(self, target: str, fragment: str = "") -> str:
        """Link from the page being rendered to a file of the site."""
        return relative(self.current, target, fragment)

    @markdown
    def to(self, page: str, fragment: str = "") -> str:
        """Link to one of the site's own pages, by name (« home », « transcription »: see urls.PAGES)."""
        return relative(self.current, PAGES[page], fragment)

    @markdown
    def url(self, entity: Entity) -> str:
        """Link target of an entity's page (and anchor), relative to the page being rendered."""
        return self.href(self.path_of(entity), anchor(entity))

    def path_of(self, entity: Entity) -> str:
        """An entity's page: in a past version's folder when that version has a copy of it (in its own
        folder, or in an earlier version's while it read the same)."""
        path, v = self.page_path(entity), self.version_shown
        if v and entity.collection == "sections":
            return version_path(v.pages.get((PARTS, entity.data["part"]), v.slug), path)
        if v and (entity.collection, entity.id) in self.versioned:
            return version_path(v.pages[(entity.collection, entity.id)], path)
        return path

    def page_path(self, entity: Entity) -> str:
        return urls.page_path(entity, self.structure)

    def level(self, slot: str):
        """The level of the contract's strategy a slot holds, with its words (core/structure.py)."""
        return self.structure.level(slot)

    @markdown
    def link(self, entity: Entity, label: str | None = None) -> str:
        text = md(label if label is not None else self.label(entity))
        return f"[{text}]({self.url(entity)})"

    @markdown
    def links(self, entities, collection: str | None = None) -> str:
        """Links to `entities` (or to the entities of `collection` with these ids), separated by commas."""
        return ", ".join(self.link(self.c.get(collection, e) if collection else e) for e in entities)

    def label(self, entity: Entity) -> str:
        kind = entity.collection
        if kind in registry.LEVELS[1:]:
            return f"{self.level(kind).label} {self.c.number_of(entity)} — {entity.title}"
        if kind == "axes":  # the readable (editorial) form of the title when there is one
            title = self.aids.axis_title(entity)
            return f"{self.short_label(entity)} — {title}"
        if kind == "sections":
            return " ".join(filter(None, [entity.number, entity.title]))
        if kind == "amendments":
            return entity.title
        return entity.data.get("name") or entity.data.get("title") or entity.id

    def short_label(self, entity: Entity) -> str:
        if entity.collection == "axes" and entity.kind != NUMBERED:  # named, not numbered
            return self.aids.axis_name(entity).capitalize()
        return f"{self.level(entity.collection).short} {self.c.number_of(entity)}"

    @markdown
    def short_link(self, entity: Entity) -> str:
        return self.link(entity, self.short_label(entity))

    @markdown
    def prose(self, text: str | None, owner: Entity | None = None) -> str:
        """Markdown prose with every cross-reference turned into a link."""
        if not text:
            return ""
        context = xref.context_of(owner.collection, owner.data) if owner else {}
        out, last = [], 0
        for ref in xref.find(text, xref.forms(self.c.structure), **context):
            target = self.c.get(ref.collection, ref.id)
            if target is None or target is owner:
                continue
            out.append(bounded_brackets(text[last:ref.start]))
            out.append(f"[{text[ref.start:ref.end]}]({self.url(target)})")
            last = ref.end
        out.append(bounded_brackets(text[last:]))
        return "".join(out)

    # -- pages --------------------------------------------------------------------------
    def page(self, path: str, template: str, title: str, source: str | None, **context) -> tuple[str, Page]:
        here = self._at(path)
        markdown = _environment().get_template(template).render(title=title, r=here, c=self.c, **context)
        status = here.aids.status_line() if path not in (PAGES["home"], PAGES["timeline"]) else ""  # these say it in full
        if status:  # under the title
            heading, _, body = markdown.partition("\n")
            markdown = f"{heading}\n\n{status}\n{body}"
        return path, Page(markdown, plain(title), source)

    def has_page(self, name: str) -> bool:
        """Whether the site has its page `name` (urls.PAGES): a page listing collections (registry: `listing`)
        when there is something to list, the timeline and the source document when the contract has them."""
        listed = [c.name for c in COLLECTIONS.values() if c.listing == name]
        if name == "amendments" and any(e["kind"] == "prorogation" for e in self.c.meta.get("timeline") or ()):
            return True  # it says that the extensions by law are not amendments, and whether there are any
        if listed:
            return any(self.c.all(collection) for collection in listed)
        if name == "timeline":
            return bool(self.c.meta.get("timeline"))
        if name == "source":
            return self.aids.has_source()
        return True

    def parts_shown(self) -> list[dict]:
        """The parts of the text that have something to show (their sections, or the structure they present)."""
        return [p for p in self.c.meta["parts"]
                if self.c.sections_of(p["id"]) or p["id"] == self.axes_part() and self.c.all("axes")]

    def with_children(self, entities) -> list[Entity]:
        return [e for e in entities if self.c.children_of(e)]

    def pages(self) -> dict[str, Page]:
        c = self.c
        listed = [
            self.page(PAGES["home"], "home.md.j2", c.meta["title"], c.file),
            self.page(PAGES["text"], "text_index.md.j2", self.aids.text_title(), None),
            *((self.page(PAGES[name], template, title, source) for name, template, title, source in (
                ("territories", "territories.md.j2", "Les territoires", None),
                ("signatories", "signatories.md.j2", "Les signataires", c.file),
                ("governance", "governance.md.j2", "La gouvernance", None),
                ("annexes", "annexes.md.j2", "Les annexes", None),
                ("amendments", "amendments.md.j2", "Les avenants", None),
                ("corrections", "corrections.md.j2", "Corrections de transcription", None),
                ("figures", "figures.md.j2", "Les chiffres du contrat", None),
                ("timeline", "timeline.md.j2", "Chronologie du contrat", c.file),
                ("source", "source.md.j2", "Le document source", None)) if self.has_page(name))),
            self.page(PAGES["print"], "print.md.j2", f"{c.meta['title']} — version imprimable", c.file),
            self.page(PAGES["data"], "opendata.md.j2", "Données ouvertes", None, publication={**self.inputs.publication, "version": self.version()},
                      **self.inputs.data),
            self.page(PAGES["transcription"], "transcription.md.j2", self.aids.about_title(), None),
        ]
        out = dict(listed)
        for part in self.parts_shown():
            sections = c.sections_of(part["id"])
            source = sections[0].file if sections else None
            out.update([self.page(part_path(part["id"]), "text_part.md.j2", part["title"], source,
                                  part=part, sections=sections)])
        for collection in ENTITY_TEMPLATES:
            for e in c.all(collection):
                out.update([self.entity_page(e)])
        return dict(sorted(out.items()))

    def entity_page(self, e: Entity) -> tuple[str, Page]:
        context = {}
        if ENTITY_TEMPLATES[e.collection] == SHEET:
            previous, following = self.c.neighbours(e)
            context = dict(previous=previous, next=following)
        return self.page(self.path_of(e), ENTITY_TEMPLATES[e.collection], self.label(e), e.file, e=e, **context)

    def version_pages(self, version: Version, ends: dict | None = None) -> dict[str, Page]:
        """A past version, out of the menu: its summary, and the pages it holds (the parts of the text and
        the changed entities that read differently from the version before), each until `ends[key]`."""
        shown = self._at("", version, frozenset(k for k in version.changed if k[0] in ENTITY_TEMPLATES))
        c, ends = self.c, ends or {}
        held = {key for key, holder in version.pages.items() if holder == version.slug}
        pages: list[tuple[tuple[str | None, str | None], tuple[str, Page]]] = [((None, None), shown.page(version_path(version.slug), "version.md.j2", f"Le contrat {self.in_force(version)}", None,
                                           v=version))]
        for part in c.meta["parts"]:
            if (PARTS, part["id"]) in held:
                pages.append(((PARTS, part["id"]), shown.page(version_path(version.slug, part_path(part["id"])), "text_part.md.j2", part["title"],
                                                              None, part=part, sections=c.sections_of(part["id"]))))
        for collection, id_ in sorted(shown.versioned & held):
            pages.append(((collection, id_), shown.entity_page(c.by_id[collection][id_])))
        notice = ('!!! note "Version datée du contrat"\n    Cette page montre le contrat {when}. '
                  "[Voir toutes les versions]({versions}) · [version actuelle]({home})\n\n")
        out = {}
        for key, (path, page) in pages:
            when = self.in_force(replace(version, end=ends.get(key, version.end)))
            title, _, body = page.markdown.partition("\n")
            notice_here = notice.format(when=when, versions=relative(path, version_path(self.all_versions[0].slug)),
                                        home=relative(path, PAGES["home"]))
            out[path] = Page(f"{title}\n\n{notice_here}{body}", f"{page.title} ({when})", None)
        return out

    def in_force(self, version: Version) -> str:
        start = self.date(version.start)
        return f"en vigueur du {start} au {self.date(version.end)}" if version.end else f"en vigueur depuis le {start}"

    @markdown
    def version_link(self, version: Version, entity: Entity | None = None) -> str:
        """Link to a version: to the entity's page in it when it has one, else to its summary."""
        key = (entity.collection, entity.id) if entity is not None else None
        if entity is not None and key in version.changed and entity.collection in ENTITY_TEMPLATES:
            return self.href(version_path(version.pages[key], self.page_path(entity)))
        return self.href(version_path(version.slug))

    def version_after(self, amendment: Entity) -> Version | None:
        return next((v for v in self.all_versions if v.amendment is not None and v.amendment.id == amendment.id), None)

    def version_before(self, amendment: Entity) -> Version | None:
        index = next((i for i, v in enumerate(self.all_versions) if v.amendment is not None and v.amendment.id == amendment.id), 0)
        return self.all_versions[index - 1] if index else None

    def wording_changes(self, amendment: Entity, entity: Entity) -> list:
        """The fields of `entity` that `amendment` changed, old and new (from the git history)."""
        d = self.history.diffs.get(amendment.id)
        key = f"{entity.collection}/{entity.id}"
        change = next((ch for ch in d.changes if key in (ch.key, ch.to)), None) if d else None
        return [f for f in change.fields if f.field not in ("source_lines", "id")] if change else []

    def field_label(self, collection: str, name: str) -> str:
        kind = registry.schema_kind(collection)
        title = schema_for(kind).get("properties", {}).get(name, {}).get("title") if kind else None
        return title or name

    def nav(self, extra_nav: list) -> list:
        """Site navigation: bounded (objective pages list their sheets; sheets are not in the menu)."""
        c = self.c

        def esc(title: str) -> Markup:  # escaped once: themes print titles raw in some places, through `| e` in others
            return Markup(html.escape(plain(title)))
        axes = []
        for axis in c.all("axes"):
            items = [{esc(self.short_label(axis)): self.page_path(axis)}]
            items += [{esc(f"{self.short_label(o)} — {o.title}"): self.page_path(o)} for o in c.children_of(axis)]
            if len(self.structure.levels) == 1:  # each item one entry, with its title: the menu lists them all
                items = [{esc(self.label(axis)): self.page_path(axis)}]
            axes.append({esc(self.label(axis)): items} if len(items) > 1 else items[0])
        text = [{"Sommaire": PAGES["text"]}] + [{esc(p["title"]): part_path(p["id"])} for p in self.parts_shown()]
        listings = [{label: PAGES[name]} for label, name in (
            ("Territoires", "territories"), ("Signataires", "signatories"), ("Gouvernance", "governance"),
            ("Annexes", "annexes"), ("Chiffres", "figures"), ("Avenants", "amendments"),
            ("Corrections de transcription", "corrections")) if self.has_page(name)]
        return [{"Accueil": PAGES["home"]}, {"Rechercher": PAGES["search"]}, {self.aids.text_title(): text},
                *([{self.strategy_heading(): axes}] if axes else []), *listings, {"Données ouvertes": PAGES["data"]},
                *self.aids.reading_nav(), *extra_nav]

    def strategy_heading(self) -> str:
        """The menu entry of the strategy, its levels' plurals in brief: « Axes, objectifs et fiches »."""
        return capital(listed([level.brief_plural for level in self.structure.levels]))

    def cited_in(self, target: Entity) -> tuple[Entity, ...]:
        """Entities whose prose cites `target` (backlinks), in display order."""
        return self.c.relations.cited_in.get((target.collection, target.id), ())

    def mentions(self, signatory: Entity) -> tuple[Entity, ...]:
        """The sheets (Structure.sheets) whose title names a signatory (by its name or one of its aliases)."""
        return self.c.relations.naming.get(signatory.id, ())

    def governance_of(self, signatory: Entity) -> tuple[Entity, ...]:
        return self.c.relations.sitting.get(signatory.id, ())

    def roles_of(self, signatory: Entity) -> list[tuple[str, list[Entity]]]:
        """The sheets where a signatory holds a role (pilot, co-pilot, partner, funder), grouped by role."""
        grouped: dict[str, list[Entity]] = {}
        for role, sheet in self.c.relations.roles.get(signatory.id, ()):
            grouped.setdefault(role, []).append(sheet)
        return [(role, grouped[role]) for role in dict.fromkeys(r for _, r in ROLES) if role in grouped]

    def items_of(self, territory: Entity, slot: str) -> tuple[Entity, ...]:
        """The items of a level of the strategy that the data assigns to a territory."""
        return self.c.relations.items_of_territory.get((slot, territory.id), ())

    def levels_assigning(self) -> list[Level]:
        """The levels of the strategy whose items name the territories they concern (any of them does)."""
        slots = {slot for slot, _ in self.c.relations.items_of_territory}
        return [level for level in self.structure.levels if level.slot in slots]

    def projects_of(self, entity: Entity) -> tuple[Entity, ...]:
        """The neighbourhood projects of a territory, or that take up a strategy item."""
        return self.c.relations.projects_of.get((entity.collection, entity.id), ())

    # -- commitments and their follow-up ------------------------------------------------------
    def commitments_of(self, entity: Entity) -> tuple[Entity, ...]:
        """Commitments made by a signatory, or that concern a strategy item or a territory, in display order."""
        return self.c.relations.commitments_of.get((entity.collection, entity.id), ())

    def printed_commitments(self) -> list[Entity]:
        """Every commitment, where its signatory stands on the printable page: in the order of the parties, then
        of the signatories they do not name; each signatory's in display order."""
        parties = [party.get("signatory") for party in self.c.meta.get("parties") or ()]
        signatories = sorted(self.c.all("signatories"), key=lambda s: parties.index(s.id) if s.id in parties else len(parties))
        return [k for s in signatories for k in self.commitments_of(s)]

    def follow_ups_of(self, entity: Entity) -> tuple[Entity, ...]:
        """The follow-up records of a strategy item or a commitment, oldest first."""
        return self.c.relations.follow_ups_of.get((entity.collection, entity.id), ())

    def concerned(self, commitment: Entity) -> list[Entity]:
        """The strategy items a commitment concerns, or a project takes up, as it lists them."""
        found = (self.c.get(*reference.split("/", 1)) for reference in commitment.items or ())
        return [e for e in found if e is not None]

    def concerned_levels(self, entity: Entity) -> list[tuple[Level, list[Entity]]]:
        """What `concerned` finds, level by level, top level first; levels with nothing left out."""
        found = self.concerned(entity)
        return [(level, here) for level in self.structure.levels if (here := [e for e in found if e.collection == level.slot])]

    @markdown
    def source_ref(self, source) -> str:
        """« Titre du document, p. 12 », the title linked to the document's address when there is one."""
        title = md(source["document"])
        shown = f"[{title}]({markup.target(source['url'])})" if source.get("url") else title
        return shown + (f", p. {source['page']}" if source.get("page") else "")

    def quantity(self, value, unit: str | None) -> str:
        """A figure in French format, followed by its unit."""
        return charts.number(value) + (f"\u00a0{unit}" if unit else "")

    @markdown
    def item_text(self, text: str, owner: Entity | None = None) -> str:
        """Markdown prose that continues a list item: its lines after the first indented under the item."""
        return self.prose(text, owner).replace("\n", "\n    ")

    @markdown
    def territory_facts(self, territory: Entity) -> str:
        """The facts of the national list about a territory (its code, the text that lists it, its date of
        entry), one per line, each under its schema title; empty when none is given."""
        lines = []
        if territory.qpv_code:
            lines.append(f"**{md(self.field_label('territories', 'qpv_code'))} :** {md(territory.qpv_code)}")
        listed = territory.listed_by
        if listed:
            text = md(listed["text"])
            lines.append(f"**{md(self.field_label('territories', 'listed_by'))} :** "
                         + (f"[{text}]({markup.target(listed['url'])})" if listed.get("url") else text)
                         + f" ({self.date(listed['date'])})")
        if territory.entry_date:
            lines.append(f"**{md(self.field_label('territories', 'entry_date'))} :** {self.date(territory.entry_date)}")
        return "\n".join(f"- {line}" for line in lines)

    def version(self) -> str:
        return reading.version(self.c, self.history)

    @markdown
    def footnotes(self, markdown: str, scope: str) -> str:
        """Footnote labels made unique to one text, for pages that put several texts together."""
        return re.sub(r"\[\^([^\]]+)\]", lambda m: f"[^{scope}-{m.group(1)}]", markdown)

    @markdown
    def quote_source(self, quote) -> str:
        """Link to where a quotation stands: its section, objective or axis."""
        for collection, key in (("sections", "section"), ("objectives", "objective"), ("axes", "axis")):
            if quote.get(key):
                return self.link(self.c.get(collection, quote[key]))
        return ""

    def public_url(self, entity: Entity) -> str:
        """Where the page shown is published (a past version's copy when that is what is rendered)."""
        return public_url(self.path_of(entity))

    def address(self, entity: Entity) -> str:
        """The full address of the page shown, when the site's address is known; else its public address."""
        return absolute(self.site_url, self.public_url(entity))

    @markdown
    def sheet_json(self, action: Entity) -> str:
        return self.href(item_data(action, self.structure))

    def revisions_of(self, entity: Entity) -> list[tuple[Entity, dict]]:
        """(amendment, declared change) pairs that touch `entity`, oldest first."""
        key = f"{entity.collection}/{entity.id}"
        return [(a, change) for a in self.c.all("amendments") for change in a.changes
                if key in (change["entity"], change.get("to"))]

    def operation(self, name: str) -> str:
        return OPERATIONS[name]

    @markdown
    def entity_link(self, key: str) -> str:
        """Link to an entity named « collection/id », or its name as text if it no longer exists."""
        collection, _, id_ = key.partition("/")
        target = self.c.get(collection, id_) if id_ else None
        if key == "contrat":
            return f"[le contrat]({self.to('home')})"
        if target and collection in PAGED:
            return self.link(target)
        return md(self.label(target) if target else key)  # an entity shown on no page of its own (a table, a figure)

    @markdown
    def field_change(self, change) -> str:
        if change.words:
            return " ".join(md(t) if op == "=" else (f"<del>{md(t)}</del>" if op == "-" else f"<ins>{md(t)}</ins>")
                            for op, t in change.words if t)
        return f"{self.short_value(change.old)} → {self.short_value(change.new)}"

    @markdown
    def short_value(self, value) -> str:
        if value is None:
            return "*(absent)*"
        text = value if isinstance(value, str) else ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        text = " ".join(text.split())
        return "« " + md(text if len(text) <= 300 else text[:297] + "…") + " »"

    def mentions_in(self, action: Entity) -> tuple[Entity, ...]:
        return self.c.relations.named_in.get(action.id, ())

    # -- small formatters used by templates ---------------------------------------------------
    def date(self, iso: str) -> str:
        return reading.date_words(iso)

    def count_label(self, count) -> str:
        """« axes stratégiques », « quartier prioritaire »: the kind's label, else the collection's, in the
        number the count asks for."""
        collection, kind, many = count["entity"], count.get("kind"), count["expected"] != 1
        singular, plural, _ = self.structure.words(collection)
        noun = plural if many else singular
        if not kind:
            return noun
        level = self.structure.of(collection)
        return (level.kind_name(kind, plural=many) if level else registry.label(collection, "kind", kind, plural=many)) \
            or f"{noun} {kind}"

    def axis_counts(self, axis: Entity) -> str:
        """« — 2 objectifs, 9 fiches actions »: how many items of each level stand under an axis."""
        items = self.c.children_of(axis)
        if not items:
            return ""
        counts = [self.level("objectives").brief_count(len(items))]
        for level in self.structure.levels[2:]:
            items = tuple(child for item in items for child in self.c.children_of(item))
            counts.append(level.count(len(items)))
        return " — " + ", ".join(counts)

    def axes_part(self) -> str | None:
        return next((p["id"] for p in self.c.meta["parts"] if p.get("contains") == "axes"), None)

    def kinds(self, collection: str) -> list[tuple[str, str]]:
        """(value, heading) of each category of a collection, in schema order: « Quartiers prioritaires »."""
        return [(value, capital(many)) for value, _, many in registry.labels(collection, "kind")]

    def category(self, entity: Entity) -> str | None:
        """The label of an entity's category (its `kind`), as its schema names it."""
        return self.label_of(entity, "kind")

    def label_of(self, entity: Entity, field: str) -> str | None:
        """The label of the value of an enumerated field, as its schema names it (x-labels)."""
        return registry.label(entity.collection, field, entity.data[field])

    @markdown
    def who(self, item) -> str:
        if item.get("signatory"):
            return self.link(self.c.get("signatories", item["signatory"]))
        return md(item["name"])

    @markdown
    def who_list(self, items) -> str:
        return ", ".join(self.who(i) for i in items)

    @markdown
    def text_list(self, items) -> str:
        return ", ".join(md(i) for i in items)

    @markdown
    def funding(self, items) -> str:
        return ", ".join(md(f["text"]) + (f" ({self.euros(f['amount_eur'])})" if "amount_eur" in f else "")
                         + (f" — financeur : {self.who(f)}" if f.get("signatory") else "") for f in items)

    def rubrics(self, entity: Entity, shown_elsewhere=()) -> tuple[list[tuple[str, str]], list[str]]:
        """Every field of an entity's schema that its page does not show elsewhere, in schema order:
        ([(label, value as Markdown)] of the fields filled in, [labels of those left empty])."""
        given, missing = [], []
        properties = schema_for(COLLECTIONS[entity.collection].schema)["properties"]
        for name, spec in properties.items():
            if name in shown_elsewhere or name in ("id", "source_lines") or "x-ref" in spec and spec.get("type") == "string":
                continue
            value = entity.data.get(name)
            if not value:
                if "x-part-of" not in spec:  # a complement of another rubric (co-pilots) is not a rubric of its own
                    missing.append(spec["title"])
                continue
            given.append((spec["title"], self.value(spec, value)))
        return given, missing

    def sheet_gaps(self) -> tuple[list[str], list[tuple[str, int]]]:
        """What the contract leaves out of its sheets, for the transcription page: (the rubrics no sheet
        fills, when every sheet gives only its heading; else []), and (rubric, sheets that leave it empty)
        for the rubrics some sheets leave empty, in schema order."""
        sheets = [self.rubrics(a, SHEET_HEADING) for a in self.c.all(self.structure.sheets)]
        if sheets and not any(given for given, _ in sheets) and len({tuple(missing) for _, missing in sheets}) == 1:
            return sheets[0][1], []
        empty: dict[str, int] = {}
        for _, missing in sheets:
            for title in missing:
                empty[title] = empty.get(title, 0) + 1
        order = [spec.get("title") for spec in schema_for(COLLECTIONS[self.structure.sheets].schema)["properties"].values()]
        return [], sorted(empty.items(), key=lambda item: order.index(item[0]))

    def capitals(self, texts: list[str]) -> tuple[int, str]:
        """How many of the texts are printed in capitals, and how: « en capitales », « en capitales sans accents »."""
        upper = [t for t in texts if t == t.upper() and t != t.lower()]
        if not upper:
            return 0, ""
        return len(upper), "en capitales" + ("" if any(re.search("[À-ÖØ-öø-ÿ]", t) for t in upper) else " sans accents")

    @markdown
    def value(self, spec, value) -> str:
        """A field's value as Markdown, by the shape its schema gives it."""
        items = spec.get("items", {})
        if spec.get("type") == "object" and "signatory" in spec.get("properties", {}):
            return self.who(value)
        if "amount_eur" in items.get("properties", {}):
            return self.funding(value)
        if "signatory" in items.get("properties", {}):
            return self.who_list(value)
        if items.get("x-ref"):
            return self.links(value, items["x-ref"])
        if isinstance(value, list):
            return self.text_list(value)
        return md(value)

    def euros(self, amount) -> str:
        return self.number(amount, "euros")

    def meetings(self, m) -> str:
        return str(m["min"]) if m["min"] == m["max"] else f"{m['min']} à {m['max']}"

    def tables_for(self, territory: Entity) -> list[Entity]:
        ids = {territory.id, *(territory.related or [])}
        return [t for t in self.c.all("statistics") if ids & {col.get("territory") for col in t.columns}]

    @markdown
    def chart(self, table: Entity, territory: Entity | None = None) -> str:
        return charts.comparison(self.c, table, territory)

    @markdown
    def figure_chart(self, figure: Entity) -> str:
        """Bars only for a figure whose values measure one declared population: others do not compare."""
        population = figure.data.get("population")
        if not population:
            return ""
        unit = self.label_of(figure, "unit")
        items = [(i["label"], i["amount"], self.number(i["amount"], figure.unit)) for i in figure.data["items"]]
        return charts.bars(f"graphique-{figure.id}", f"{population} ({unit})",
                           "Une barre par valeur, de la plus grande à la plus petite. Le tableau qui suit donne "
                           "chaque valeur telle que le contrat l'écrit.", items)

    @markdown
    def rhythm_chart(self) -> str:
        bodies = [g for g in self.c.all("governance") if g.meetings_per_year]
        items = [(g.name, g.meetings_per_year["max"], self.meetings(g.meetings_per_year) + " par an") for g in bodies]
        return charts.bars("graphique-rythme", "Nombre de réunions par an de chaque instance",
                           f"Une barre par instance dont le contrat donne le rythme ({len(bodies)} instances), de la plus "
                           "fréquente à la plus rare ; pour un rythme « de 3 à 4 », la barre va jusqu'à 4. "
                           "Le tableau ci-dessus donne les mêmes rythmes.", items)

    def number(self, value, unit: str) -> str:
        return charts.number(value, unit)

    @markdown
    def statistics_table(self, table: Entity, territory: Entity | None) -> str:
        own = {territory.id, *(territory.related or [])} if territory else set()
        header = ["Indicateur"] + [("**" + md(col["header"]) + "**") if col.get("territory") in own
                                   else md(col["header"]) for col in table.columns]
        lines = ["| " + " | ".join(header) + " |", "| --- " + "| ---: " * len(table.columns) + "|"]
        for row in table.rows:
            cells = [md(cell["text"]) if cell["text"] else "—" for cell in row["cells"]]
            lines.append("| " + " | ".join([md(row["label"])] + cells) + " |")
        return "\n".join(lines)

