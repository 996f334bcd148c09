"""Allow-list sanitising of the HTML made from contract data: no script, handler or javascript: URL."""
from __future__ import annotations

import nh3

_GLOBAL = {"class", "id", "title", "lang", "role", "aria-label", "aria-hidden", "aria-describedby", "aria-labelledby"}
ATTRIBUTES = {
    "*": _GLOBAL,
    "a": _GLOBAL | {"href"},
    "img": _GLOBAL | {"src", "alt", "width", "height"},
    "th": _GLOBAL | {"align", "scope", "colspan", "rowspan"},
    "td": _GLOBAL | {"align", "colspan", "rowspan"},
    "ol": _GLOBAL | {"start"},
    "details": _GLOBAL | {"open"},
    # inline SVG charts made by charts.py
    "svg": _GLOBAL | {"viewBox", "width", "height"},
    "rect": {"x", "y", "width", "height", "class"},
    "text": {"x", "y", "class", "text-anchor"},
}
TAGS = nh3.ALLOWED_TAGS | {"svg", "g", "rect", "text", "title", "desc"}


def clean(html: str) -> str:
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel=None,
                     strip_comments=True)
