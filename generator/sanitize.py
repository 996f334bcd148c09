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
    "span": _GLOBAL | {"style"},  # the bars of charts.py: their width, and no other style (see clean)
}
TAGS = nh3.ALLOWED_TAGS


def clean(html: str) -> str:
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel=None,
                     strip_comments=True, filter_style_properties={"width"})
