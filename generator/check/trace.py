"""Traceability: every transcribed text is found in the source lines it cites, and every content
line of the source document is transcribed somewhere.

Which fields are transcriptions comes from the schemas: every free-text string is one, unless
the schema marks it ours (`x-editorial`: notes, display forms, derived values, interpretations).
A field marked `x-quotation` repeats a passage transcribed elsewhere: it must be found in the
lines it cites and be, word for word, the transcription of those lines by the entities that cite
them (one copy of each passage); it does not count as the transcription of those lines. A field
marked `x-printed-before` (a printed number) is read together with the field it stands before,
and its numbers must be the entity's. Fields marked `x-table` are a table: its header and rows are
the tab-separated lines of the cited range, cell for cell, in order. `<field>_source_lines` cites
the lines of one field.

Only the Markdown the model allows is normalised away before comparing (footnote calls and
definitions, superscripts, headings, quote markers, bullets, line breaks); bold, underline,
glyphs, punctuation and typos must be those of the source. Lines the contract declares not
content (`not_content`) need no transcription.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from generator.check.source import line_ranges
from generator.core import codes
from generator.core.load import Document
from generator.core.model import natural_key
from generator.core.problems import Problem
from generator.core.registry import COLLECTIONS
from generator.core.schemas import json_path, schema_for

SOURCE_FIELD = "source_lines"
_TEXT_PATTERNS = (None, "^[^\\n]+$")


_FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]: ?|^[¹²³⁴⁵⁶⁷⁸⁹] ?: ?", re.M)
_FOOTNOTE_TEXT = re.compile(r"\^\{(\d+) ?([^}]*)\} ?")                  # « ^{7 «} Personne » (footnote 7)
_FOOTNOTE_CALL = re.compile(r"\[\^[^\]]+\]|[¹²³⁴⁵⁶⁷⁸⁹]|</?sup>")          # footnote calls, <sup>
_SUPERSCRIPT = re.compile(r"\^\{([^}]*)\}|\^(\w+)")                     # 2^{ème}, 21^e
_LINE_MARKUP = re.compile(r"^[ \t]*(?:#+ |> ?|[-*] (?=\S))*", re.M)       # headings, quotes, bullets
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The text with the Markdown the model allows (and its source equivalents) taken out."""
    text = _FOOTNOTE_DEFINITION.sub("", text)
    text = _FOOTNOTE_TEXT.sub(r"\2 ", text)
    text = _FOOTNOTE_CALL.sub("", text)
    text = _SUPERSCRIPT.sub(lambda m: m.group(1) or m.group(2), text)
    text = _LINE_MARKUP.sub("", text)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class _Text:
    """A transcribed string of a document, with where it stands and the lines it cites."""
    doc: Document
    path: tuple
    value: str
    cited: str | None        # the source_lines that apply (its own object's, or the nearest parent's)
    cited_path: tuple | None
    quotation: bool
    scope: tuple             # path of the object whose source_lines apply
    label: tuple | None = None  # (path, text) of the printed number read before it, if any


_DATA_FOOTNOTE = re.compile(r"^\[\^[^\]]+\]:.*$", re.M)
_SOURCE_FOOTNOTE = re.compile(r"^\s*([¹²³⁴⁵⁶⁷⁸⁹]|\^\{\d)")


def is_text_field(schema: Mapping) -> bool:
    return (schema.get("type") == "string" and not schema.get("x-editorial")
            and not any(k in schema for k in ("enum", "x-ref", "format", "const"))
            and schema.get("pattern") in _TEXT_PATTERNS)


def _texts(doc: Document, schema: Mapping, data, path=(), cited=None, cited_path=None, quotation=False,
           scope=()) -> Iterator[_Text]:
    """Transcribed strings under `data`, each with the source_lines that apply: the object's
    `<field>_source_lines` for that field, else its `source_lines`, else the nearest parent's."""
    if schema.get("x-editorial") or schema.get("x-table"):
        return
    quotation = quotation or bool(schema.get("x-quotation"))
    if isinstance(data, dict):
        if isinstance(data.get(SOURCE_FIELD), str):
            cited, cited_path, scope = data[SOURCE_FIELD], path + (SOURCE_FIELD,), path
        for key, value in data.items():
            if key.endswith(SOURCE_FIELD) or key not in schema.get("properties", {}):
                continue
            if schema["properties"][key].get("x-printed-before") in data:
                continue  # a printed number is read with the field it stands before
            label = next((k for k, f in schema["properties"].items()
                          if f.get("x-printed-before") == key and isinstance(data.get(k), str)), None)
            if label is not None and isinstance(value, str):
                yield _Text(doc, path + (key,), f"{data[label]} {value}", cited, cited_path, quotation, scope,
                            (path + (label,), data[label]))
                continue
            own = f"{key}_{SOURCE_FIELD}"
            if isinstance(data.get(own), str):
                yield from _texts(doc, schema["properties"][key], value, path + (key,), data[own], path + (own,),
                                  quotation, path + (key,))
            else:
                yield from _texts(doc, schema["properties"][key], value, path + (key,), cited, cited_path, quotation, scope)
    elif isinstance(data, list) and "items" in schema:
        for i, value in enumerate(data):
            yield from _texts(doc, schema["items"], value, path + (i,), cited, cited_path, quotation, scope)
    elif isinstance(data, str) and is_text_field(schema):
        yield _Text(doc, path, data, cited, cited_path, quotation, scope)


def _lines_shown(ranges) -> str:
    return ", ".join(f"L{a}" if a == b else f"L{a}-L{b}" for a, b in ranges)


class _Source:
    """The source lines as content: declared non-content lines left out, declared furniture
    glued to the end of a line cut off."""
    def __init__(self, lines: tuple[str, ...], not_content: set[int], glued: Mapping[int, str]):
        self.lines = tuple(line.rstrip()[:-len(glued[n])].rstrip() if n in glued and line.rstrip().endswith(glued[n])
                           else line for n, line in enumerate(lines, 1))
        self.not_content = not_content
        self._texts: dict[tuple, str] = {}

    def text(self, ranges, footnotes: bool = True) -> str:
        """The cited lines as one normalised text. Non-content lines inside a range are left out
        (a range of nothing but non-content lines is kept); footnotes, printed at the foot of the
        page in the middle of the text, are left out when `footnotes` is False."""
        key = (tuple(ranges), footnotes)
        if key not in self._texts:
            numbers: list[int] = []
            for a, b in ranges:
                span = [n for n in range(a, b + 1) if n not in self.not_content]
                numbers += span if span else range(a, b + 1)
            self._texts[key] = normalise("\n".join(self.lines[n - 1] for n in numbers
                                                    if footnotes or not _SOURCE_FOOTNOTE.match(self.lines[n - 1])))
        return self._texts[key]

    def normalised(self, n: int) -> str:
        """Line n alone, normalised."""
        return self.text([(n, n)])

    def content_lines(self) -> list[int]:
        return [n for n, line in enumerate(self.lines, 1) if line.strip() and n not in self.not_content]


def _from_another_document(doc: Document, kind: str) -> bool:
    """Whether an entity comes from a document other than the contract's signed text (a commitment or a
    neighbourhood project written in an annex, a later plan): it names that document in its `source` and
    cites no line of the signed text. Its texts are shown with that source, not traced to the signed text."""
    declares = "properties" in schema_for(kind).get("properties", {}).get("source", {})
    return declares and isinstance(doc.data, Mapping) and bool(doc.data.get("source")) and SOURCE_FIELD not in doc.data


def check(source: tuple[str, ...], meta_doc: Document, docs: Mapping[str, list[Document]]) -> list[Problem]:
    """Problems of traceability of every document of `docs` (collection -> documents) and contrat.yaml."""
    problems: list[Problem] = []
    length = len(source)

    def problem(doc: Document, path: tuple, code: str, message: str) -> None:
        line, col = doc.mark(path)
        problems.append(Problem(doc.file, line, col, code, message, json_path(path)))

    def wording_problem(doc: Document, path: tuple, text: str, declared: tuple[str, str]) -> str:
        revision, wording = declared
        if normalise(wording) != normalise(text):
            problem(doc, path, codes.AMENDED_WORDING, f"texte différent de la nouvelle rédaction que {revision} déclare pour "
                                        f"« {json_path(path)[2:]} » : « {_cut(normalise(wording), 120)} »")
        return wording

    not_content, glued, declared_problems = _not_content(meta_doc, source)
    problems += declared_problems
    src = _Source(source, not_content, glued)
    source = src.lines
    documents = [(meta_doc, "contrat")] + [(d, COLLECTIONS[c].schema) for c, ds in docs.items() for d in ds
                                           if not COLLECTIONS[c].record and not _from_another_document(d, COLLECTIONS[c].schema)]
    keys = {id(meta_doc): "contrat"} | {id(d): f"{c}/{d.data['id']}" for c, ds in docs.items() for d in ds}
    wordings = declared_wordings(docs.get("amendments", []))

    # lines checked otherwise: table lines (cell by cell), lines replaced or removed by a revision
    handled: set[int] = replaced_lines(docs.get("amendments", []))
    # 1. every source_lines is well formed and inside the document
    valid: dict[tuple, list] = {}
    for doc, _kind in documents:
        for path, cited in _citations(doc.data):
            ranges = _ranges(cited)
            bad = [r for r in ranges or [] if not (1 <= r[0] <= r[1] <= length)]
            if ranges is None:
                problem(doc, path, codes.SOURCE_LINES, f"« {cited} » : forme attendue « L123 » ou « L123-L140 », plusieurs séparés par « , »")
            elif bad:
                problem(doc, path, codes.SOURCE_LINES, f"« {_lines_shown(bad)} » hors du document source, qui compte {length} lignes "
                                            "(une plage va d'une ligne à une ligne suivante)")
            else:
                valid[(doc.file, path)] = ranges

    # 2. every transcribed text is found in the lines it cites
    covered: set[int] = set()
    quotations, transcriptions, amended = [], [], []  # (text, ranges, passages), (cited lines, joined text, file) ×2
    citers: list[tuple[int, Document, tuple]] = []  # (line, document, path of its source_lines) of every transcription
    for doc, kind in documents:
        scopes: dict[tuple, list[str]] = {}
        scope_ranges: dict[tuple, list] = {}
        scope_paths: dict[tuple, tuple] = {}
        for t in _texts(doc, schema_for(kind), doc.data):
            declared_here = wordings.get(keys[id(doc)], {})
            if t.label and json_path(t.label[0])[2:] in declared_here:
                # a printed number changed by a revision (renumbering): the text is read without it
                wording_problem(doc, t.label[0], t.label[1], declared_here[json_path(t.label[0])[2:]])
                t = _Text(t.doc, t.path, _get(doc.data, t.path), t.cited, t.cited_path, t.quotation, t.scope)
                handled.update(n for a, b in valid.get((doc.file, t.cited_path), []) for n in range(a, b + 1))
            declared = declared_here.get(json_path(t.path)[2:])
            if declared is not None:
                # Changed by a revision: the data is the revision's new wording; its old lines need no transcription.
                wording = wording_problem(doc, t.path, _get(doc.data, t.path), declared)
                handled.update(n for a, b in valid.get((doc.file, t.cited_path), []) for n in range(a, b + 1))
                if (doc.file, t.cited_path) in valid and not t.quotation:  # quotations of it must follow it
                    amended.append(({n for a, b in valid[(doc.file, t.cited_path)] for n in range(a, b + 1)},
                                    normalise(wording), doc.file))
                continue
            if t.cited is None:
                problem(doc, t.path, codes.TEXT_NOT_IN_SOURCE, f"texte sans « {SOURCE_FIELD} » : indiquez les lignes du document source "
                                              "d'où il est transcrit (ou marquez le champ comme éditorial dans le schéma)")
                continue
            ranges = valid.get((doc.file, t.cited_path))
            if ranges is None:
                continue
            expected = normalise(t.value)
            # Footnotes are found on their own (the source prints them at the foot of the page, the
            # data after the text); a quotation may gather several excerpts, one a paragraph.
            main = _DATA_FOOTNOTE.sub("", t.value)
            passages = [(normalise(p), False) for p in (re.split(r"\n\s*\n", main) if t.quotation else [main])]
            passages += [(normalise(m.group(0)), True) for m in _DATA_FOOTNOTE.finditer(t.value)]
            found = True
            for passage, footnote in passages:
                cited_text = src.text(ranges, footnotes=footnote)
                if passage not in cited_text and (footnote or passage not in src.text(ranges)):
                    found = False
                    raw = _get(doc.data, t.path)
                    line, col = doc.text_position(t.path, raw, _first_stray_paragraph(raw, src.text(ranges)))
                    problems.append(Problem(doc.file, line, col, codes.TEXT_NOT_IN_SOURCE,
                                            f"texte introuvable dans les lignes {t.cited} du document source : "
                                            f"« {_excerpt(passage, cited_text)} » ; le texte doit être celui du document, mot "
                                            "pour mot (une correction se déclare, voir « corrections de transcription »)",
                                            json_path(t.path)))
                    break
            if t.quotation:
                if found:
                    quotations.append((t, ranges, [p for p, footnote in passages if not footnote]))
            else:
                scopes.setdefault(t.scope, []).append(expected)
                scope_ranges[t.scope] = ranges
                assert t.cited_path is not None  # set together with t.cited
                scope_paths[t.scope] = t.cited_path
        for scope, texts in scopes.items():
            joined = "\n".join(texts)
            lines = {n for a, b in scope_ranges[scope] for n in range(a, b + 1)}
            transcriptions.append((lines, joined, doc.file))
            citers.extend((n, doc, scope_paths[scope]) for n in lines)
            covered.update(n for n in lines if n not in covered and n not in not_content and src.normalised(n) in joined)
    transcriptions += amended
    # A quotation is also, word for word, the transcription of the lines it cites ("one copy of each passage").
    for t, ranges, excerpts in quotations:
        cited_lines = {n for a, b in ranges for n in range(a, b + 1)}
        there = [(text, file) for lines, text, file in transcriptions if lines & cited_lines and file != t.doc.file]
        for passage in excerpts:
            if there and not any(passage in text for text, _ in there):
                problem(t.doc, t.path, codes.QUOTATION_DRIFT, f"citation différente de la transcription des lignes {t.cited} "
                                                f"({', '.join(sorted({f for _, f in there}))}) : « {_excerpt(passage, there[0][0])} » ; "
                                                "une citation reprend mot pour mot le texte transcrit à ces lignes")
                break
    # 3. a printed number is the entity's own (a sheet moved to another objective keeps its printed number)
    for doc, kind in documents:
        problems.extend(_label_problems(doc, schema_for(kind)))
    # 4. tables: rows are the tab-separated lines of the cited range, cell for cell
    for collection, ds in docs.items():
        if any(p.get("x-table") for p in schema_for(COLLECTIONS[collection].schema).get("properties", {}).values()):
            for doc in ds:
                ranges = valid.get((doc.file, (SOURCE_FIELD,)))
                if ranges:
                    problems.extend(_table_problems(doc, source, ranges, covered, handled))
    # 5. every content line is transcribed: reported where the line is cited, else in contrat.yaml
    cited_by: dict[int, list] = {}
    for n, doc, path in citers:
        cited_by.setdefault(n, []).append((doc, path))
    for n in src.content_lines():
        if n in covered or n in handled or not src.normalised(n):
            continue
        where = f"ligne L{n} du document source (« {_cut(source[n - 1].strip())} »)"
        if n in cited_by:
            for doc, path in cited_by[n]:
                problem(doc, path, codes.LINE_NOT_TRANSCRIBED, f"{where}, citée par « {_get(doc.data, path)} », reprise dans aucun texte de "
                                            "cette entité : un passage manque ou a changé ; rétablissez-le mot pour mot")
        else:  # reported where lines are declared not content, for want of an entity citing it
            line, col = meta_doc.key_mark(("not_content",)) if "not_content" in meta_doc.data else (1, 1)
            problems.append(Problem(meta_doc.file, line, col, codes.LINE_NOT_TRANSCRIBED,
                                    f"{where} transcrite nulle part : reprenez-la dans l'entité qui lui correspond "
                                    "(avec ses « source_lines »), ou déclarez-la dans « not_content » avec sa raison",
                                    "$.not_content"))
    return problems


def declared_wordings(amendments: list[Document]) -> dict[str, dict[str, tuple[str, str]]]:
    """entity key -> field path -> (« l'avenant 2 », new wording): the latest revision's wording wins."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for doc in sorted(amendments, key=lambda d: natural_key(d.data["id"])):
        revision = ("la rectification " if doc.data.get("kind") == "rectification" else "l'avenant ") + doc.data["id"]
        for change in doc.data.get("changes", []):
            for field, text in change.get("wording", {}).items():
                out.setdefault(change.get("to") or change["entity"], {})[field] = (revision, text)
    return out


def replaced_lines(amendments: list[Document]) -> set[int]:
    """Lines of the source document that revisions declare replaced or removed (`source_lines` of a change)."""
    return {n for doc in amendments for change in doc.data.get("changes", []) if isinstance(change.get(SOURCE_FIELD), str)
            for a, b in (_ranges(change[SOURCE_FIELD]) or []) for n in range(a, b + 1)}


def _citations(data, path=()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key.endswith(SOURCE_FIELD) and isinstance(value, str):
                yield path + (key,), value
            else:
                yield from _citations(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _citations(value, path + (i,))


_RANGES = re.compile(r"^L[1-9][0-9]*(-L[1-9][0-9]*)?(, L[1-9][0-9]*(-L[1-9][0-9]*)?)*$")


def _ranges(cited: str):
    return line_ranges(cited) if _RANGES.match(cited) else None


# What each kind of declared non-content line must look like (`kind` of a `not_content` entry).
_PAGE_NUMBER = r"(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?"
_TOC_HEADING = re.compile(r"(sommaire|table des matières)", re.IGNORECASE)
_TOC_TITLE = 150  # a table-of-contents line without a page number is a short title, not a paragraph
_EXPECTED = {
    "sommaire": f"une ligne de sommaire finit par un numéro de page ou est un intitulé court ({_TOC_TITLE} caractères au plus, "
                "sans ponctuation finale), dans un bloc qui commence par « Sommaire » ou « Table des matières »",
    "pied-de-page": "un pied de page est un numéro de page (« 23 », « Page 23 »), seul ou après un titre courant déclaré",
    "titre-courant": "un titre courant se déclare avec « text », le texte accolé à la fin de la ligne, et se répète sur "
                     "plusieurs lignes du document",
    "separateur": "un séparateur n'a ni lettre ni chiffre",
    "ligne-vide": "une ligne vide n'a aucun caractère visible",
}


def _mismatch(item: Mapping, numbers: list[int], source: tuple[str, ...], running: set[str]) -> int | None:
    """The first line that does not look like the declared kind (None when all do)."""
    kind, text = item["kind"], item.get("text")
    if (kind == "titre-courant") != (text is not None):
        return numbers[0]
    footer = re.compile(rf"(?:(?:{'|'.join(map(re.escape, sorted(running)))})\s+)?{_PAGE_NUMBER}" if running else _PAGE_NUMBER,
                        re.IGNORECASE)
    if kind == "sommaire":  # a block that starts with its heading
        first = next((n for n in numbers if source[n - 1].strip()), numbers[0])
        if not _TOC_HEADING.fullmatch(source[first - 1].strip()):
            return first
    for n in numbers:
        line = source[n - 1].strip()
        if kind == "sommaire":
            fits = (not line or _TOC_HEADING.fullmatch(line) is not None or re.search(r"\d$", line) is not None
                    or (len(line) <= _TOC_TITLE and not line.endswith((".", "!", "?", ";", ",", ":"))))
        elif kind == "pied-de-page":
            fits = footer.fullmatch(line) is not None
        elif kind == "titre-courant":
            assert text is not None  # checked above
            fits = sum(text in other for other in source) >= 2
        elif kind == "separateur":
            fits = not any(c.isalnum() for c in line)
        else:
            fits = not line
        if not fits:
            return n
    return None


def _not_content(meta_doc: Document, source: tuple[str, ...]) -> tuple[set[int], dict[int, str], list[Problem]]:
    """Lines declared not content (whole lines, or a running title glued at the end of each line),
    each of the kind it is declared to be."""
    lines: set[int] = set()
    glued: dict[int, str] = {}
    problems: list[Problem] = []
    items = meta_doc.data.get("not_content", [])
    running = {item["text"] for item in items if item.get("kind") == "titre-courant" and item.get("text")}
    labels = schema_for("contrat")["properties"]["not_content"]["items"]["properties"]["kind"]["x-labels"]
    n: int | None  # the first line found wrong, in the messages
    for i, item in enumerate(items):
        ranges = _ranges(item["lines"])
        numbers = [n for a, b in ranges or [] for n in range(a, b + 1)]
        at, code = ("not_content", i, "lines"), codes.SOURCE_LINES
        if ranges is None or any(not (1 <= a <= b <= len(source)) for a, b in ranges):
            message = f"« {item['lines']} » : lignes hors du document source ({len(source)} lignes) ou mal formées"
        elif "text" in item and any(not source[n - 1].rstrip().endswith(item["text"]) for n in numbers):
            n = next(n for n in numbers if not source[n - 1].rstrip().endswith(item["text"]))
            message, at = f"la ligne L{n} du document source ne finit pas par « {item['text']} »", ("not_content", i, "text")
        elif (n := _mismatch(item, numbers, source, running)) is not None:
            message, at, code = (f"la ligne L{n} du document source (« {_cut(source[n - 1].strip())} »), déclarée "
                                 f"« {labels[item['kind']][0]} », n'en a pas la forme : {_EXPECTED[item['kind']]} ; "
                                 "une ligne de contenu se transcrit", ("not_content", i, "kind"), codes.LINE_NOT_TRANSCRIBED)
        else:
            if "text" in item:
                glued.update((n, item["text"]) for n in numbers)
            else:
                lines.update(numbers)
            continue
        line, col = meta_doc.mark(at)
        problems.append(Problem(meta_doc.file, line, col, code, message, json_path(at)))
    return lines, glued, problems


def _label_problems(doc: Document, schema: Mapping) -> list[Problem]:
    """The numbers printed in a label are those of the entity's number (or id), e.g. « 1.1.13- » for 1.1.13."""
    out = []
    for key, field in schema.get("properties", {}).items():
        label = doc.data.get(key)
        if not field.get("x-printed-before") or not isinstance(label, str):
            continue
        own = [int(n) for n in re.findall(r"\d+", str(doc.data.get("number") or doc.data.get("id", "")))]
        printed = [int(n) for n in re.findall(r"\d+", label)]
        if own and not any(printed[i:i + len(own)] == own for i in range(len(printed) - len(own) + 1)):
            line, col = doc.mark((key,))
            out.append(Problem(doc.file, line, col, codes.PRINTED_NUMBER,
                               f"le numéro imprimé « {label} » (lignes {doc.data.get(SOURCE_FIELD)} du document source) "
                               f"n'est pas celui de « {doc.data.get('number') or doc.data.get('id')} » : l'entité a changé "
                               "de numéro ou de place ; le numéro est celui du document", json_path((key,))))
    return out


def _table_problems(doc: Document, source, ranges, covered: set[int], handled: set[int]) -> list[Problem]:
    data = doc.data
    rows: list[tuple[str, tuple]] = [("\t" + "\t".join(c["header"] for c in data.get("columns", [])), ("columns",))]
    rows += [("\t".join([r["label"]] + [c.get("text", "") for c in r.get("cells", [])]), ("rows", i))
             for i, r in enumerate(data.get("rows", []))]
    table_lines = [n for a, b in ranges for n in range(a, b + 1) if "\t" in source[n - 1]]
    out = []
    handled.update(table_lines)
    for k, (expected, path) in enumerate(rows):
        if k >= len(table_lines):
            line, col = doc.mark(path)
            out.append(Problem(doc.file, line, col, codes.TABLE_ROW, f"ligne de tableau en trop : les lignes {_lines_shown(ranges)} "
                                                              f"du document source n'ont que {len(table_lines)} lignes de tableau",
                               json_path(path)))
            continue
        n = table_lines[k]
        printed = [c.strip() for c in source[n - 1].split("\t")]
        cells = [c.strip() for c in expected.split("\t")]
        if printed == cells:
            covered.add(n)
            continue
        diffs = [j for j in range(max(len(printed), len(cells)))
                 if (printed[j] if j < len(printed) else None) != (cells[j] if j < len(cells) else None)]
        j = diffs[0]
        cell_path = path + (("cells", j - 1) if path[0] == "rows" and j > 0 else ("label",) if path[0] == "rows" else (max(j - 1, 0), "header"))
        line, col = doc.mark(cell_path)
        out.append(Problem(doc.file, line, col, codes.TABLE_ROW,
                           f"ligne L{n} du document source, cellule {j + 1} : le document imprime "
                           f"« {printed[j] if j < len(printed) else ''} », les données « {cells[j] if j < len(cells) else ''} » ; "
                           "les cellules doivent être celles du document, dans l'ordre", json_path(cell_path)))
    for n in table_lines[len(rows):]:
        line, col = doc.mark(("rows",))
        out.append(Problem(doc.file, line, col, codes.TABLE_ROW, f"ligne L{n} du tableau du document source absente des données : "
                                                          f"« {_cut(source[n - 1])} »", "$.rows"))
    return out


def _first_stray_paragraph(raw: str, cited_text: str) -> int:
    """Offset in `raw` of its first paragraph not found in the cited text (0 if each one is)."""
    for m in re.finditer(r"[^\n]+(\n[^\n]+)*", raw):
        if normalise(_DATA_FOOTNOTE.sub("", m.group(0))) not in cited_text:
            return m.start()
    return 0


def _get(data, path):
    for p in path:
        data = data[p]
    return data


def _cut(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _excerpt(expected: str, found: str) -> str:
    """The start of the text from where it stops matching the source."""
    lo, hi = 0, len(expected)
    while lo < hi:  # longest prefix found in the source
        mid = (lo + hi + 1) // 2
        if expected[:mid] in found:
            lo = mid
        else:
            hi = mid - 1
    start = max(0, expected.rfind(" ", 0, max(lo - 20, 0)) + 1)
    return ("…" if start else "") + _cut(expected[start:], 120)
