"""One allow-list policy for the HTML of every page, generated from the data or hand-written in docs/:
no script, no event handler, no address with another scheme than http(s) or mailto, no image from
another site, and no `id` or `class` that the theme or the engine's scripts read.

Material reads its configuration and its widgets from ids beginning with « __ » (`#__config`: an
element of the page holding that id re-configures the theme); the engine's own widgets have ids
beginning with « cv- ». A page keeps the ids the engine and Markdown make (heading anchors, footnotes,
source lines, charts) and the classes of the engine (« cv-… ») and of Markdown's extensions; any other
id or class is dropped. The engine's own pages (generator/site/pages/, its code) are not sanitised.
"""
from __future__ import annotations

import re

import nh3

from generator.check.rawhtml import EXTERNAL

_GLOBAL = {"class", "id", "title", "lang", "role", "aria-label", "aria-hidden", "aria-describedby", "aria-labelledby"}
ATTRIBUTES = {
    "*": _GLOBAL,
    "a": _GLOBAL | {"href"},
    "img": _GLOBAL | {"src", "alt", "width", "height"},
    "th": _GLOBAL | {"align", "scope", "colspan", "rowspan"},
    "td": _GLOBAL | {"align", "colspan", "rowspan"},
    "ol": _GLOBAL | {"start"},
    "details": _GLOBAL | {"open"},
    "span": _GLOBAL | {"style"},  # the bars of charts.py: their width, and no other style (see clean)
}
TAGS = nh3.ALLOWED_TAGS
SCHEMES = {"http", "https", "mailto"}

# Ids made by Markdown (heading anchors, « fn:1 » / « fnref:1 » footnotes, whatever their labels' letters) and by
# the engine (« L12 », « graphique-… »): a letter or digit first, so never Material's « __config », « __search »…
_ID = re.compile(r"[^\W_][\w.:-]*")
RESERVED_ID_PREFIX = "cv-"  # the engine's widgets (the search box « cv-q »…), outside any page's content
# Classes of Markdown's extensions (footnotes, permalinks, admonitions of the usual kinds) beside the engine's « cv-… ».
MARKDOWN_CLASSES = frozenset({"footnote", "footnote-ref", "footnote-backref", "headerlink", "admonition",
                              "admonition-title", "note", "abstract", "info", "tip", "success", "question",
                              "warning", "failure", "danger", "bug", "example", "quote"})


def allowed_id(value: str) -> bool:
    return bool(_ID.fullmatch(value)) and not value.startswith(RESERVED_ID_PREFIX)


def allowed_class(value: str) -> bool:
    return value in MARKDOWN_CLASSES or bool(re.fullmatch(r"cv-[a-z0-9_-]{1,80}", value))


def _filter(tag: str, attribute: str, value: str) -> str | None:
    """No third-party image (an address with a scheme or a host), no id or class the theme or the scripts read."""
    if tag == "img" and attribute == "src" and EXTERNAL.match(value):
        return None
    if attribute == "id":
        return value if allowed_id(value) else None
    if attribute == "class":
        return " ".join(c for c in value.split() if allowed_class(c)) or None
    return value


def clean(html: str) -> str:
    # clean_content_tags is empty: a tag that is not allowed goes, the text after it stays
    # (by default nh3 drops the content of <script> and <style>, i.e. all the rest of the page).
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel=None,
                     strip_comments=True, clean_content_tags=set(), attribute_filter=_filter,
                     filter_style_properties={"width"})
