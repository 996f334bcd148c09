"""Strict YAML loading: one plain document per file, every node marked with its line and column.

The event stream comes from libyaml when available (fast); values are built here so that
what YAML 1.1 would silently reinterpret is refused instead: anchors and aliases, duplicate
keys, explicit tags, `yes`/`no`/`on`/`off`, unquoted dates, octal-looking and non-decimal
numbers, decimals that do not read back identically (`1.10`).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.core import codes
from generator.core.problems import Problem, excerpt

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()

Path_ = tuple  # a JSON path as a tuple of keys and indexes

MAX_DIGITS = 15  # no integer too large to read back exactly
_INT = re.compile(r"[-+]?(0|[1-9][0-9]{0,%d})" % (MAX_DIGITS - 1))
MAX_DEPTH = 32  # levels of nested lists and maps in one file
# Control characters (but tab and line breaks) and bidirectional controls (« Trojan Source »):
# invisible in an editor and a review, they can reorder or hide what a text says.
# Unicode non-characters (U+FDD0–U+FDEF, U+FFFE, U+FFFF and the last two of every plane) and, written as
# escapes, lone surrogates: XML cannot carry them (the feed, the sitemap would stop being XML).
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(plane + 0xfffe)}{chr(plane + 0xffff)}" for plane in range(0, 0x110000, 0x10000))
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069" + _NONCHARACTERS + "]")
_FORBIDDEN_IN_VALUES = re.compile("[\r\ud800-\udfff" + _FORBIDDEN.pattern[1:])
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+")

# PyYAML problem texts, in French. Unknown ones keep the technical detail.
_SYNTAX = [
    ("mapping values are not allowed", "deux-points « : » inattendu ; une valeur qui contient « : » doit être entre guillemets"),
    ("could not find expected ':'", "il manque « : » après une clé, ou une ligne est mal indentée"),
    ("did not find expected key", "clé attendue : vérifiez l'indentation de cette ligne"),
    ("did not find expected '-' indicator", "élément de liste « - » attendu : vérifiez l'indentation"),
    ("found character '\\t' that cannot start any token", "tabulation interdite : indentez avec des espaces"),
    ("found character that cannot start any token", "caractère interdit en début de valeur (une tabulation ? indentez avec des espaces) ; sinon mettez la valeur entre guillemets"),
    ("found unexpected end of stream", "fin de fichier inattendue : une chaîne ou une liste n'est pas refermée"),
    ("found unknown escape character", "séquence d'échappement inconnue dans une chaîne entre guillemets doubles"),
    ("expected <block end>, but found", "indentation incohérente : cette ligne ne s'aligne sur aucun bloc"),
    ("found undefined alias", "alias vers une ancre inexistante"),
    ("while scanning a quoted scalar", "guillemet non refermé"),
    ("found unacceptable character", "caractère non autorisé dans un fichier YAML"),
]


@dataclass
class Document:
    """A loaded file: its data and, for every path into it, where the value and the key stand."""
    file: str
    data: Any  # what YAML gives: mappings, lists, strings, numbers, booleans, None
    marks: dict = field(default_factory=dict)      # path -> (line, column) of the value
    key_marks: dict = field(default_factory=dict)  # path -> (line, column) of the mapping key
    schema_line: tuple[int, int, str] | None = None  # the editor's « $schema= » comment: line, column, target
    unquoted: set = field(default_factory=set)      # paths of the plain scalars (no quote before their text)
    _newlines: dict = field(default_factory=dict, repr=False, compare=False)

    def mark(self, path: Path_) -> tuple[int, int]:
        """Nearest known position for a path (walking up to the parent if needed)."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))

    def key_mark(self, path: Path_) -> tuple[int, int]:
        return self.key_marks.get(tuple(path)) or self.mark(path)

    def text_position(self, path: Path_, text: str, offset: int) -> tuple[int, int]:
        """Line and column of character `offset` of the text at `path`, for block (|) and
        one-line scalars. The text's line breaks are found once, whatever the number of calls."""
        path = tuple(path)
        if self._newlines.get(path, (None,))[0] is not text:
            self._newlines[path] = (text, [m.start() for m in re.finditer("\n", text)])
        newlines = self._newlines[path][1]
        line, col = self.mark(path)
        key_line, key_col = self.key_mark(path)
        breaks = bisect.bisect_left(newlines, offset)
        if line == key_line and newlines:  # block scalar: text starts on the next line, indented
            return line + 1 + breaks, key_col + 2 + offset - (newlines[breaks - 1] + 1 if breaks else 0)
        return line, col + (path not in self.unquoted) + offset


class _Refused(Exception):
    def __init__(self, mark, code, message):
        super().__init__(message)
        self.line, self.column = mark.line + 1, mark.column + 1
        self.code, self.message = code, message


def load_bytes(raw: bytes, display: str) -> tuple[Document | None, list[Problem]]:
    """Load the bytes of one YAML file strictly. Returns (document, []) or (None, problems)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(display, line, column, codes.NOT_UTF8,
                              f"le fichier n'est pas en UTF-8 (octet 0x{raw[exc.start]:02x} illisible) ; "
                              "enregistrez-le en UTF-8")]
    return load_text(text.lstrip("\ufeff"), display)


def _character(char: str) -> str:
    """« caractère invisible interdit U+202E (RIGHT-TO-LEFT OVERRIDE) », « non-caractère interdit U+FFFE »."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"demi-code de substitution interdit U+{code:04X}"
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return f"non-caractère interdit U+{code:04X}"
    return f"caractère invisible interdit U+{code:04X} ({unicodedata.name(char, 'caractère de contrôle')})"


def _forbidden_characters(text: str, display: str) -> list[Problem]:
    """Every forbidden character of the raw text, at its line and column (the first 20)."""
    problems = []
    for match in _FORBIDDEN.finditer(text):
        before = text[:match.start()]
        line, column = before.count("\n") + 1, match.start() - (before.rfind("\n") + 1) + 1
        problems.append(Problem(display, line, column, codes.FORBIDDEN_CHARACTER,
                                f"{_character(match.group())} : supprimez-le (caractères de contrôle, de "
                                "direction du texte et non-caractères refusés)"))
        if len(problems) == 20:
            break
    return problems


# The comment by which yaml-language-server (and the editors built on it) finds a file's schema.
_SCHEMA_LINE = re.compile(r"^[ \t]*#[ \t]*yaml-language-server:[ \t]*\$schema=(\S+)", re.MULTILINE)


def load_text(text: str, display: str) -> tuple[Document | None, list[Problem]]:
    forbidden = _forbidden_characters(text, display)
    if forbidden:
        return None, forbidden
    doc = Document(display, None)
    found = _SCHEMA_LINE.search(text)
    if found:
        before = text[:found.start(1)]
        doc.schema_line = (before.count("\n") + 1, found.start(1) - (before.rfind("\n") + 1) + 1, found.group(1))
    try:
        events = yaml.parse(text, Loader=Loader)
        _expect(events, yaml.StreamStartEvent)
        start = next(events)
        if isinstance(start, yaml.StreamEndEvent):
            return None, [Problem(display, 1, 1, codes.NOT_ONE_DOCUMENT, "fichier vide : un document YAML est attendu")]
        doc.data = _build(events, next(events), (), doc)
        _expect(events, yaml.DocumentEndEvent)
        extra = next(events)
        if not isinstance(extra, yaml.StreamEndEvent):
            raise _Refused(extra.start_mark, codes.NOT_ONE_DOCUMENT, "un seul document YAML par fichier (séparateur « --- » en trop)")
    except _Refused as exc:
        return None, [Problem(display, exc.line, exc.column, exc.code, exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = f"{exc.context or ''} {exc.problem or ''}".strip()
        message = next((fr for en, fr in _SYNTAX if en in detail), None)
        if message is None:
            message = f"erreur de syntaxe YAML (détail : {detail})"
        return None, [Problem(display, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1,
                              codes.YAML_SYNTAX, message)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, 1, codes.YAML_SYNTAX, f"erreur de lecture YAML (détail : {exc})")]
    return doc, []


def _expect(events, kind):
    event = next(events)
    if not isinstance(event, kind):
        raise _Refused(event.start_mark, codes.YAML_SYNTAX, "structure YAML inattendue")
    return event


def _check_node(event):
    if getattr(event, "anchor", None):
        raise _Refused(event.start_mark, codes.YAML_ALIAS,
                       f"ancre « &{excerpt(event.anchor)} » interdite : recopiez la valeur au lieu de la partager")
    tag = getattr(event, "tag", None)
    if tag and not getattr(event, "implicit", True) and tag not in ("!",):
        if not (isinstance(event, yaml.ScalarEvent) and event.implicit[1]):
            raise _Refused(event.start_mark, codes.YAML_TAG, f"étiquette YAML « {excerpt(tag)} » interdite")


def _text(event) -> str:
    """A scalar's text, refused if an escape (« \\u202e ») put a forbidden character in it."""
    found = _FORBIDDEN_IN_VALUES.search(event.value)
    if found:
        raise _Refused(event.start_mark, codes.FORBIDDEN_CHARACTER, f"{_character(found.group())} "
                                                 "(écrit sous forme d'échappement) : supprimez-le")
    return event.value


def _build(events, event, path, doc):
    if isinstance(event, yaml.AliasEvent):
        raise _Refused(event.start_mark, codes.YAML_ALIAS,
                       f"alias « *{excerpt(event.anchor or '')} » interdit : recopiez la valeur au lieu de la référencer")
    _check_node(event)
    mark = event.start_mark
    if len(path) > MAX_DEPTH:
        raise _Refused(mark, codes.TOO_DEEP, f"imbrication trop profonde : au plus {MAX_DEPTH} niveaux de listes et de champs")
    doc.marks[path] = (mark.line + 1, mark.column + 1)
    if isinstance(event, yaml.ScalarEvent):
        if not event.style:
            doc.unquoted.add(path)
        return _scalar(event)
    if isinstance(event, yaml.SequenceStartEvent):
        items: list = []
        for item in events:  # the same generator, consumed by nested calls as well
            if isinstance(item, yaml.SequenceEndEvent):
                return items
            items.append(_build(events, item, path + (len(items),), doc))
    if isinstance(event, yaml.MappingStartEvent):
        mapping: dict = {}
        for key_event in events:
            if isinstance(key_event, yaml.MappingEndEvent):
                return mapping
            if isinstance(key_event, yaml.AliasEvent) or not isinstance(key_event, yaml.ScalarEvent):
                raise _Refused(key_event.start_mark, codes.YAML_SYNTAX, "une clé doit être un simple texte")
            _check_node(key_event)
            key = _text(key_event)
            if key == "<<" and not key_event.style:
                raise _Refused(key_event.start_mark, codes.YAML_ALIAS, "clé de fusion « << » interdite")
            km = key_event.start_mark
            assert km is not None  # the parser marks every event
            if key in mapping:
                first = doc.key_marks[path + (key,)]
                raise _Refused(km, codes.DUPLICATE_KEY, f"clé « {excerpt(key)} » en double (déjà définie ligne {first[0]})")
            doc.key_marks[path + (key,)] = (km.line + 1, km.column + 1)
            mapping[key] = _build(events, next(events), path + (key,), doc)
    raise _Refused(mark, codes.YAML_SYNTAX, "structure YAML inattendue")


def _scalar(event):
    value = _text(event)
    if event.style or not event.implicit[0]:
        return value  # quoted or block scalar: always text
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
    if tag.endswith(":str"):
        return value
    if tag.endswith(":null"):
        return None
    shown = excerpt(value)
    if tag.endswith(":bool"):
        if value in ("true", "false"):
            return value == "true"
        raise _Refused(event.start_mark, codes.YAML11_BOOLEAN,
                       f"« {shown} » serait lu comme un booléen : écrivez true ou false, "
                       f"ou \"{shown}\" entre guillemets pour du texte")
    if tag.endswith(":timestamp"):
        raise _Refused(event.start_mark, codes.UNQUOTED_DATE,
                       f"la date « {shown} » doit être entre guillemets : \"{shown}\" (forme attendue aaaa-mm-jj)")
    if tag.endswith(":int"):
        if _INT.fullmatch(value):
            return int(value)
        if re.fullmatch(r"[-+]?[1-9][0-9]*", value):
            raise _Refused(event.start_mark, codes.NUMBER_TRAP, f"nombre trop grand « {shown} » (plus de {MAX_DIGITS} chiffres) : "
                                                      "s'il s'agit d'un texte, mettez-le entre guillemets")
        raise _Refused(event.start_mark, codes.NUMBER_TRAP,
                       f"« {shown} » serait lu comme un nombre en octal, hexadécimal ou base 60 : "
                       f"mettez-le entre guillemets (\"{shown}\")")
    if tag.endswith(":float"):
        if _FLOAT.fullmatch(value) and len(value) <= 30 and repr(float(value)).lstrip("+") == value.lstrip("+"):
            return float(value)
        try:
            read_as = f"le nombre {excerpt(repr(float(value.replace('_', ''))))}"
        except ValueError:  # base 60 (1:30.5) and other YAML 1.1 forms Python does not read
            read_as = "un nombre"
        raise _Refused(event.start_mark, codes.NUMBER_TRAP,
                       f"« {shown} » serait lu comme {read_as} et perdrait son écriture : "
                       f"mettez-le entre guillemets (\"{shown}\")")
    raise _Refused(event.start_mark, codes.YAML_TAG, f"valeur « {shown} » d'un type YAML non pris en charge")
