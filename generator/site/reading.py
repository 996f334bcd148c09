"""Reading aids for the public, each page's renderer holds them (templates call `r.aids.…`): where the contract stands (timeline),
where each passage comes from (the source document, line by line), what the contract says about
a neighbourhood, how to cite a sheet. Everything specific to a contract comes from its data.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Protocol

from generator.check.source import line_ranges, page_of
from generator.core import registry
from generator.core.model import Contract, Entity
from generator.core.registry import COLLECTIONS
from generator.core.structure import NUMBERED, Level, capital, listed
from generator.revisions.history import History
from generator.site.markup import markdown, md, plain
from generator.site.urls import PAGES, absolute, event_anchor, line_anchor

EVENT_KINDS = {"signature": "Signature", "prorogation": "Prorogation par la loi", "appel-a-projets": "Appel à projets",
               "evaluation": "Évaluation", "fin": "Fin des effets", "contrat-suivant": "Contrat suivant"}
# « L123 » or « L123-L140 » written in a transcription note
_LINE_REF = re.compile(r"\bL([1-9][0-9]*)(?:-L([1-9][0-9]*))?\b")
_EXCERPT = 240
_WORD = re.compile(r"\w")
_LIST_ITEM = re.compile(r"\s*(?:[-*+•✓➢▪]\s*|[0-9]+[.)]\s+|[a-z][.)]\s+)+")  # list marks opening a line


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def date_words(iso: str) -> str:
    """« 2024-12-01 » → « 1er décembre 2024 »."""
    year, month, day = iso.split("-")
    return f"{int(day)}{'er' if day == '01' else ''} {MONTHS[int(month) - 1]} {year}"


def version_words(contract: Contract) -> str:
    """The version of the text a contract's site shows, in words: its last revision, or its initial text."""
    revisions = contract.all("amendments")
    if revisions:
        last = revisions[-1]
        return f"{last.title} du {date_words(last.date)}"
    return f"texte initial du {date_words(contract.meta['signature']['date'])}"


def version(contract: Contract, history: History) -> str:
    """The version the site shows, as its pages say it (the commit is on the transcription page); a build
    from a working tree that differs from its commit says so."""
    return ("Version présentée : " + version_words(contract)
            + (" · modifications locales non enregistrées" if history.dirty else ""))


def fold(text: str) -> str:
    """Lower case without accents, one character for one character (offsets stay valid)."""
    return "".join(unicodedata.normalize("NFD", ch)[0] for ch in text.lower()) if text else ""


@dataclass(frozen=True)
class Passage:
    entity: Entity
    excerpt: str        # plain text around the name
    line: int | None    # line of the source document where the name stands, when found
    lead: str = ""      # when the name stands in a list item: the words that introduce the list


class Links(Protocol):
    """What the aids ask of the page's renderer: the contract, and links and labels as that page prints them."""
    c: Contract
    site_url: str

    def to(self, page: str, fragment: str = "") -> str: ...
    def label(self, entity: Entity) -> str: ...
    def date(self, iso: str) -> str: ...
    def axes_part(self) -> str | None: ...
    def items_of(self, territory: Entity, slot: str) -> tuple[Entity, ...]: ...
    def levels_assigning(self) -> list[Level]: ...
    def public_url(self, entity: Entity) -> str: ...


@dataclass
class Found:
    """What the aids find once in the whole contract, shared by every page's renderer."""
    passages: dict[str, list] = field(default_factory=dict)  # territory id -> passages
    texts: list[tuple] = field(default_factory=list)         # the texts where places are named, folded once
    source_words: list[str] = field(default_factory=list)    # the source document's lines, folded once


class ReadingAids:
    """The reading aids of one page: `r` is the page's renderer (its links are relative to that page)."""

    def __init__(self, r: Links, found: Found):
        self.r = r
        self.c = r.c
        self.site_url = r.site_url
        self._passages, self._texts, self._source_words = found.passages, found.texts, found.source_words

    # -- the source document ---------------------------------------------------------------
    def has_source(self) -> bool:
        """Whether the contract's signed text is in its data (its source document, against which every
        text is checked word for word); without it, the contract is described from public sources."""
        return self.c.source is not None

    def not_given(self) -> str:
        """What the site shows for a field the contract leaves empty, and where it is not given."""
        return "non renseigné dans le contrat publié" if self.has_source() else "non renseigné dans les sources du contrat"

    def text_title(self, capital: bool = True) -> str:
        """What the site calls the contract's own content: its text only when the signed text is there."""
        title = "Le texte du contrat" if self.has_source() else "La présentation du contrat"
        return title if capital else title[0].lower() + title[1:]

    def about_title(self) -> str:
        """The title of the page that says where the content comes from and how it was read."""
        return "À propos de la transcription" if self.has_source() else "Sources et méthode"

    def public_sources(self) -> list[dict]:
        """The public sources the contract is described from (`sources` of contrat.yaml), when declared."""
        return self.c.meta.get("sources") or []

    @markdown
    def source_href(self, line: int) -> str:
        return self.r.to("source", line_anchor(line))

    def line_label(self, first: int, last: int) -> str:
        """« p. 23, l. 1075 », « p. 12-13, l. 263-270 »: the printed page(s) of the signed document, when its
        page markers tell them, and the line(s) of the source text."""
        lines = f"l. {first}" if first == last else f"l. {first}-{last}"
        declared = self.c.meta.get("source_document")
        start, end = page_of(declared, first), page_of(declared, last)
        if not (start and end):
            return lines
        return f"p. {start[0]}{'' if start[0] == end[1] else f'-{end[1]}'}, {lines}"

    @markdown
    def line_links(self, cited: str | None) -> str:
        """« p. 12, l. 12-20, p. 13, l. 31 », each range linked to its place in the source document."""
        if not cited or not self.has_source():
            return ""
        return ", ".join(f"[{self.line_label(a, b)}]({self.source_href(a)})" for a, b in line_ranges(cited))

    @markdown
    def source_links(self, cited: str | None) -> str:
        """« Voir dans le document source : p. 12, l. 12-20 » with a link to each range."""
        links = self.line_links(cited)
        return f"Voir dans le document source : {links}" if links else ""

    @markdown
    def source_paragraph(self, entity: Entity) -> str:
        """The « voir dans le document source » paragraph of an entity's page (empty without source)."""
        links = self.source_links(entity.source_lines)
        return f'<p class="cv-source-link" markdown>{links}</p>' if links else ""

    @markdown
    def with_line_links(self, text: str) -> str:
        """Plain text (escaped) whose « L123 » / « L12-L20 » become links to the source document."""
        out: list[str] = []
        last = 0
        for m in _LINE_REF.finditer(text):
            first, end = int(m.group(1)), int(m.group(2) or m.group(1))
            label = self.line_label(first, end)
            out.append(md(text[last:m.start()]))
            out.append(f"[{label}]({self.source_href(first)})" if self.has_source() else md(label))
            last = m.end()
        out.append(md(text[last:]))
        return "".join(out)

    def source_numbered(self) -> list[tuple[int, str]]:
        return list(enumerate(self.c.source or (), start=1))

    def reading_nav(self) -> list[dict]:
        """Menu entries of the pages this module adds (only those the contract has)."""
        entries = [{"Chronologie": PAGES["timeline"]}] if self.c.meta.get("timeline") else []
        entries += [{"Document source": PAGES["source"]}] if self.has_source() else []
        return entries + [{self.about_title(): PAGES["transcription"]}]

    # -- status and timeline ----------------------------------------------------------------
    def timeline(self) -> list:
        return sorted(self.c.meta.get("timeline") or [], key=lambda e: e["date"])

    @markdown
    def event_anchor(self, event) -> str:
        return event_anchor(event)

    def event_kind(self, kind: str) -> str:
        return EVENT_KINDS[kind]

    @markdown
    def status_line(self) -> str:
        """Where the contract stands, in one quiet line under the title of its pages (the home page and the
        timeline say it in full): from `status` and the dated events of the timeline; empty without `status`."""
        status = self.c.meta.get("status")
        if not status:
            return ""
        events = self.timeline()
        end = next((e for e in reversed(events) if e["kind"] == "fin"), None)
        successor = next((e for e in reversed(events) if e["kind"] == "contrat-suivant"), None)
        if status["in_force"]:
            line = "**Contrat en vigueur.**"
        else:
            line = f"**Contrat terminé le {self.r.date(end['date'])}.**" if end else "**Contrat qui n'est plus en vigueur.**"
            if successor:
                line += f" {EVENT_KINDS['contrat-suivant']} : {md(successor['title'])} ({self.r.date(successor['date'])})."
        if events:
            line += f" [Voir la chronologie]({self.r.to('timeline')})"
        return f'<p class="cv-status-line" markdown>{line}</p>'

    def version_words(self) -> str:
        return version_words(self.c)

    # -- neighbourhoods ---------------------------------------------------------------------
    def names_of(self, territory: Entity) -> list[str]:
        return sorted({territory.name, *(territory.variants or [])}, key=len, reverse=True)

    def passages(self, territory: Entity) -> list[Passage]:
        """Every passage of the contract (sections, axes, objectives, sheets) that names the territory,
        under any of its spellings, in document order."""
        if not self._passages:
            self._passages.update(self._find_passages())
        return self._passages.get(territory.id, [])

    def _find_passages(self) -> dict[str, list[Passage]]:
        """The passages of every territory, in one pass over the texts (a pass per territory would grow with
        the number of territories times the length of the text). At each place where some name starts, each
        territory takes its longest name that stands there as a whole word, and none inside its previous one."""
        owners: dict[str, list[str]] = {}  # folded name -> ids of the territories that bear it
        for t in self.c.all("territories"):
            for n in self.names_of(t):
                if n and t.id not in owners.setdefault(fold(n), []):
                    owners[fold(n)].append(t.id)
        found: dict[str, list[Passage]] = {}
        if not owners:
            return found
        names = sorted(owners, key=len, reverse=True)
        # Where a name starts, the longest one that does; the others that stand there are its prefixes.
        starts = re.compile(r"(?<![\w])(?=(" + "|".join(map(re.escape, names)) + "))")
        prefixes: dict[str, list[str]] = {}
        for e, text, folded in self._named_texts():
            ends: dict[str, int] = {}  # territory id -> end of its last occurrence in this text
            for m in starts.finditer(folded):
                at, longest = m.start(), m.group(1)
                if longest not in prefixes:
                    prefixes[longest] = [n for n in names if longest.startswith(n)]  # longest first
                for name in prefixes[longest]:
                    end = at + len(name)
                    if _WORD.match(folded, end):  # not a whole word there
                        continue
                    for owner in owners[name]:
                        if ends.get(owner, -1) <= at:
                            ends[owner] = end
                            found.setdefault(owner, []).append(
                                Passage(e, self._excerpt(text, at, end), self._line_of(e, text, at, end),
                                        _list_lead(text, at)))
        return found

    def _named_texts(self) -> list[tuple[Entity, str, str]]:
        """(entity, text, folded text) of every text where a place can be named (the registry's `names`
        fields), in document order; folded once for all territories."""
        if not self._texts:
            for kind in COLLECTIONS.values():
                for e in self.c.all(kind.name):
                    for name in kind.names:
                        value = e.data.get(name)
                        self._texts.extend((e, text, fold(text)) for text in ([value] if isinstance(value, str) else value or []))
        return self._texts

    def _excerpt(self, text: str, start: int, end: int) -> str:
        """The sentence around text[start:end], Markdown markup removed, cut to about _EXCERPT characters."""
        begin = max([0] + [i + len(s) for s in (". ", "\n") if (i := text.rfind(s, 0, start)) >= 0])
        finish = min([len(text)] + [i + 1 for s in (". ", "\n") if (i := text.find(s, end)) >= 0])
        before = after = ""
        if start - begin > _EXCERPT // 2:  # at a space when there is one near, else mid-word: bounded whatever the spacing
            cut = text.rfind(" ", max(begin, start - _EXCERPT), start - _EXCERPT // 2)
            begin, before = (cut + 1 if cut >= 0 else start - _EXCERPT // 2), "… "
        if finish - end > _EXCERPT // 2:
            cut = text.find(" ", end + _EXCERPT // 2, min(finish, end + _EXCERPT))
            finish, after = (cut if cut >= 0 else end + _EXCERPT // 2), " …"
        excerpt = re.sub(r"<[^>]+>|[*_>#]|\[\^[^\]]*\]", "", text[begin:finish])
        return before + " ".join(excerpt.split()) + after

    def _line_of(self, entity: Entity, text: str, start: int, end: int) -> int | None:
        """Line of the source document where this occurrence stands: searched within the entity's
        source lines, with as much of its surrounding words as the source has verbatim."""
        if not self.has_source() or not entity.source_lines:
            return None
        assert self.c.source is not None  # has_source()
        lines = [n for first, last in line_ranges(entity.source_lines)
                 for n in range(first, min(last, len(self.c.source)) + 1)]
        if not self._source_words:  # the source's lines folded, their words joined by one space: once for all
            self._source_words.extend(" ".join(fold(line).split()) for line in self.c.source)
        for margin in (40, 20, 8, 0):
            needle = " ".join(fold(text[max(0, start - margin):end + margin]).split()[1 if margin else 0:-1 if margin else None])
            if not needle:
                continue
            for n in lines:
                if needle in self._source_words[n - 1]:
                    return n
        return None

    # -- the neighbourhood page, answer first ---------------------------------------------------
    def passage_groups(self, territory: Entity) -> list[tuple[str, list[Passage]]]:
        """The passages naming a territory, each once, grouped by part of the contract in the contract's
        order: (part title, passages in document order)."""
        parts: dict[str | None, tuple[str, list[Passage]]] = {
            p["id"]: (" ".join(filter(None, [p.get("label"), p["title"]])), []) for p in self.c.meta["parts"]}
        seen = set()
        for p in self.passages(territory):
            key = (p.entity.collection, p.entity.id, self.passage_text(p))
            if key in seen:
                continue
            seen.add(key)
            part = p.entity.data.get("part") if p.entity.collection == "sections" else self.r.axes_part()
            parts.setdefault(part, (self.passage_kind(p), []))[1].append(p)
        return [(title, sorted(found, key=lambda p: (p.line is None, p.line or 0))) for title, found in parts.values() if found]

    def passage_text(self, passage: Passage) -> str:
        """A passage as the page quotes it: without list marks, a list item after the words that introduce it."""
        mark = _LIST_ITEM.match(passage.excerpt)
        item = passage.excerpt[mark.end():] if mark else passage.excerpt
        return f"{passage.lead} … {item}" if passage.lead else item

    @markdown
    def territory_answer(self, territory: Entity) -> str:
        """What the contract says about a territory, in two or three sentences derived from the data."""
        name, kind = md(territory.name), territory.kind
        peers = [t for t in self.c.all("territories") if t.kind == kind]
        plural = registry.label("territories", "kind", kind, plural=True)
        out = [f"{name} fait partie des {len(peers)} {md(plural)} du contrat." if len(peers) > 1
               else f"{name} est l'unique {md(registry.label('territories', 'kind', kind))} du contrat."]
        if kind == "reference":
            return " ".join(out + ["Il sert de point de comparaison dans les chiffres du contrat."])
        groups = self.passage_groups(territory)
        count = sum(len(found) for _, found in groups)
        if count:
            out.append(f"Le contrat le nomme dans {count} passage{'s' if count > 1 else ''}"
                       + (f", répartis dans {len(groups)} parties" if len(groups) > 1 else "")
                       + " : ils sont cités plus bas, avec leur place dans le document.")
        else:
            names = ["chapitre"] + [level.name for level in self.c.structure.levels]
            out.append(f"{'Le contrat publié ne le nomme' if self.has_source() else 'Les sources du contrat ne le nomment'} "
                       f"dans aucun {listed(names, ' ni ')}.")
        assigning = self.r.levels_assigning()
        for level in assigning:
            n, e = len(self.r.items_of(territory, level.slot)), level.e
            out.append(f"{level.count(n)} lui {'sont' if n > 1 else 'est'} attribué{e}{'s' if n > 1 else ''}."
                       if n else f"{capital(level.none())} ne lui est attribué{e}.")
        if not assigning:
            level = self.c.structure.levels[-1]
            out.append(f"Le contrat n'attribue ses {level.plural} à aucun quartier en particulier : il ne dit pas "
                       f"lesquel{'le' if level.feminine else ''}s s'appliquent ici.")
        return " ".join(out)

    def passage_kind(self, passage: Passage) -> str:
        level = self.c.structure.of(passage.entity.collection)
        return level.passage if level else COLLECTIONS[passage.entity.collection].passage

    def other_names(self, signatory: Entity) -> list[str]:
        """The other names of a signatory, once each whatever their capitals and accents, its own name aside."""
        seen = {fold(signatory.name)}
        others = []
        for n in signatory.aliases or ():
            if fold(n) not in seen:
                seen.add(fold(n))
                others.append(n)
        return others

    def sheets_naming(self, territory: Entity) -> list[Entity]:
        """Sheets (Structure.sheets) whose data assigns them the territory, or whose title names it."""
        slot = self.c.structure.sheets
        assigned = list(self.r.items_of(territory, slot))
        named = [p.entity for p in self.passages(territory) if p.entity.collection == slot]
        return list({a.id: a for a in assigned + named}.values())

    def column_territories(self, table: Entity, territory: Entity) -> list[Entity]:
        """Territories of the table's columns that are this territory or related to it."""
        own = {territory.id, *(territory.related or [])}
        ids = [col["territory"] for col in table.columns if col.get("territory") in own]
        return [self.c.by_id["territories"][i] for i in dict.fromkeys(ids)]

    def kind_name(self, kind: str) -> str | None:
        """A territory category in the singular: the glossary's term, else the category label."""
        term = self.term(kind)
        return term["term"] if term else registry.label("territories", "kind", kind)

    def terms_for(self, ids) -> list[dict]:
        """The glossary entries of these ids (terms or categories), once each, in glossary order."""
        wanted = set(filter(None, ids))
        return [g for g in self.c.meta.get("glossary") or [] if g["id"] in wanted]

    def term(self, term_id: str) -> dict | None:
        """A special term explained by the contract's glossary (contrat.yaml), if it has one."""
        return next((g for g in self.c.meta.get("glossary") or [] if g["id"] == term_id), None)

    # -- citing a sheet ---------------------------------------------------------------------
    def citation(self, sheet: Entity) -> str:
        """Plain-text citation of a sheet: contract, sheet, the items above it up to its axis, version, address."""
        *items, axis = (sheet, *self.c.ancestors(sheet))  # a sheet stands under an axis, through an objective or two
        address = absolute(self.site_url, self.r.public_url(sheet)) if self.site_url else ""
        level = self.c.structure.level
        parts = [self.c.meta["title"], *(f"{level(e.collection).singular} {self.c.number_of(e)} « {e.title} »" for e in items),
                 f"{self.axis_name(axis)} « {self.axis_title(axis)} »", self.version_words()]
        return plain(", ".join(parts) + "." + (f" {address}" if address else ""))

    def axis_name(self, axis: Entity) -> str:
        level = self.c.structure.level("axes")
        if axis.kind == NUMBERED:
            return f"{level.name} {self.c.number_of(axis)}"
        name = level.kind_name(axis.kind)
        assert name is not None  # the first level's schema qualifies every kind
        return name

    def axis_title(self, axis: Entity) -> str:
        return axis.display_title or axis.title


def _list_lead(text: str, at: int) -> str:
    """When text[at] stands in a list item, the last sentence before the list (what introduces it), else "".
    The list is walked back over a bounded stretch of text: a longer list is quoted without its lead."""
    start = text.rfind("\n", 0, at) + 1
    mark = _LIST_ITEM.match(text, start)
    if not mark or mark.end() > at:
        return ""
    floor = max(0, start - 40 * _EXCERPT)
    end = start - 1  # the end of the line before
    while end > floor:
        newline = text.rfind("\n", floor, end)
        if newline < 0 and floor:  # the line starts beyond the stretch walked back
            return ""
        begin = newline + 1
        line = text[begin:end]
        if line.strip() and not _LIST_ITEM.match(line):
            break
        end = begin - 1
    else:
        return ""
    lead = re.sub(r"<[^>]+>|[*_>#]|\[\^[^\]]*\]", "", line).strip()
    lead = re.split(r"(?<=[.!?])\s+", lead)[-1]
    return lead if len(lead) <= _EXCERPT else "… " + lead[-_EXCERPT:].split(" ", 1)[-1]
