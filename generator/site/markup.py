"""Escape by default: every value a template prints is text from the data, escaped for Markdown and
HTML, unless it is Markdown the engine made (`Md`) or HTML escaped by Jinja (`| e`).

A transcribed text may carry the inline marks of the signed document: bold (`**…**`) and the raw HTML
tags rawhtml.py allows (`<u>`, `<sup>`, `<sub>`, `<br>`). Two helpers, and only these, know them: `md`
renders them (titles, quotations, every text a page shows) and `plain` drops them, leaving the words
(page titles, menus, meta descriptions, citations, the feed).

The renderer's methods that build Markdown (links, prose with cross-references, tables) are marked
`@markdown`; anything else printed by a template, a name, a title, a number, is escaped.
"""
from __future__ import annotations

import functools
import html
import re
from urllib.parse import quote

from markupsafe import Markup

from generator.check.rawhtml import ALLOWED_TAGS


class Md(str):
    """Markdown built by the engine from escaped parts: printed as is."""
    __slots__ = ()


_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!~"} | {"|": "&#124;", "\n": " "})


_PAIRED = [t for t in ALLOWED_TAGS if t != "br"]
# A mark is rendered only whole (opened and closed in the same text); a lone « ** » or « <u> » is text.
_MARK = re.compile(r"\*\*(?=\S)(?P<bold>.+?)(?<=\S)\*\*|<(?P<tag>%s)\s*>(?P<inner>.*?)</(?P=tag)\s*>|(?P<br><br\s*/?>)"
                   % "|".join(_PAIRED), re.I | re.S)


def md(value) -> Md:
    """Text → Markdown that shows exactly that text, its inline marks (bold, underline, superscript,
    subscript, line break) rendered as HTML, anything else escaped."""
    if isinstance(value, Md):
        return value
    text, out, last = str(value), [], 0
    for m in _MARK.finditer(text):
        out.append(_escape(text[last:m.start()]))
        if m["br"]:
            out.append("<br>")
        else:
            tag = "strong" if m["bold"] is not None else m["tag"].lower()
            out.append(f"<{tag}>{md(m['bold'] if m['bold'] is not None else m['inner'])}</{tag}>")
        last = m.end()
    out.append(_escape(text[last:]))
    return Md("".join(out))


def plain(value) -> str:
    """The words of a text without its inline marks, for plain-text contexts (a line break becomes a space)."""
    return _MARK.sub(lambda m: " " if m["br"] else plain(m["bold"] if m["bold"] is not None else m["inner"]), str(value))


def _escape(text: str) -> str:
    return html.escape(text, quote=False).translate(_MD_ESCAPES)


_BACKTICKS = re.compile(r"`+")
NEST = 2  # bracket pairs inside one another kept as they are


def bounded_brackets(text: str) -> str:
    """Prose with the « [ » and « ] » that cannot be part of a link escaped: unmatched, or nested
    deeper than a link's text holds them (« [a [b](x) c] », « [texte [entre crochets]](x) »).
    Python-Markdown looks for the end of each « [ » it meets, so unmatched brackets make it
    quadratic; pairs at most NEST deep cost at most NEST times the text.
    Code spans (a run of backticks up to the next run as long) are left as they are. Linear."""
    runs: dict[int, list[int]] = {}  # length of a run of backticks -> where such runs start
    for m in _BACKTICKS.finditer(text):
        runs.setdefault(len(m.group()), []).append(m.start())
    code: dict[int, int] = {}  # start of a code span -> its end
    for length, starts in runs.items():
        for opening, shut in zip(starts[::2], starts[1::2]):
            code[opening] = shut + length
    stack: list[int] = []
    parent: dict[int, int | None] = {}  # opening bracket -> the one it sits in
    closing: dict[int, int] = {}        # opening bracket -> its matching closing one
    escaped: list[int] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "`":
            i = code.get(i, i + 1)
            continue
        if c == "[":
            parent[i] = stack[-1] if stack else None
            stack.append(i)
        elif c == "]":
            if stack:
                closing[stack.pop()] = i
            else:
                escaped.append(i)
        i += 1
    held: dict[int | None, int] = {None: 0}  # opening bracket -> matched pairs among it and those holding it (at most NEST)

    def depth(o: int | None) -> int:
        chain: list[int] = []
        while o not in held:  # iterative, each bracket computed once: linear
            assert o is not None  # None is in held
            chain.append(o)
            o = parent[o]
        count = held[o]
        for item in reversed(chain):
            count = held[item] = min(NEST, count + (item in closing))
        return count

    for o in parent:
        if o not in closing:
            escaped.append(o)
        elif depth(parent[o]) >= NEST:
            escaped += [o, closing[o]]
    if not escaped:
        return text
    out, last = [], 0
    for k in sorted(escaped):
        out += [text[last:k], "\\"]
        last = k
    return "".join(out) + text[last:]


def markdown(method):
    """Mark a function whose result is Markdown made by the engine (already escaped where it holds data)."""
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        return Md(method(*args, **kwargs))
    return wrapper


def finalize(value):
    """Jinja's last step for every `{{ … }}`: engine Markdown and escaped HTML as they are, all else escaped."""
    if isinstance(value, (Md, Markup)):
        return value
    return md(value)


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def name(value) -> Md:
    """An identifier printed in an anchor, a code span or a file name: only letters, digits, « . », « _ », « - »
    (what the schemas allow for ids), else the build stops rather than print it."""
    text = str(value)
    if not _NAME.fullmatch(text):
        raise ValueError(f"identifiant inattendu dans un gabarit : {text!r}")
    return Md(text)


def target(value) -> Md:
    """A link target: a relative path, or an http(s) address; what Markdown would misread is percent-encoded."""
    text = str(value)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", text) and not re.match(r"https?://", text):
        raise ValueError(f"adresse refusée dans un gabarit (seules http et https sont admises) : {text!r}")
    return Md(quote(text, safe="/:#?&=%@+,;~.-_"))


def heading(level: int) -> Md:
    """The « ### » of a Markdown heading of this level (at most 6)."""
    return Md("#" * max(1, min(int(level), 6)))
