"""Escape by default: every value a template prints is text from the data, escaped for Markdown and
HTML, unless it is Markdown the engine made (`Md`) or HTML escaped by Jinja (`| e`).

The renderer's methods that build Markdown (links, prose with cross-references, tables) are marked
`@markdown`; anything else printed by a template, a name, a title, a number, is escaped.
"""
from __future__ import annotations

import functools
import html
import re
from urllib.parse import quote

from markupsafe import Markup


class Md(str):
    """Markdown built by the engine from escaped parts: printed as is."""
    __slots__ = ()


_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!~"} | {"|": "&#124;", "\n": " "})


def md(value) -> Md:
    """Plain text → Markdown that shows exactly that text (no markup, no HTML)."""
    if isinstance(value, Md):
        return value
    return Md(html.escape(str(value), quote=False).translate(_MD_ESCAPES))


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
