"""Allow-list sanitising of the HTML made from contract data: no script, handler or javascript: URL."""
from __future__ import annotations

import nh3

from .rawhtml import EXTERNAL

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


def _local_images(tag: str, attribute: str, value: str) -> str | None:
    """No third-party image: an image address with a scheme or a host is dropped."""
    if tag == "img" and attribute == "src" and EXTERNAL.match(value):
        return None
    return value


def clean(html: str) -> str:
    # clean_content_tags is empty: a tag that is not allowed goes, the text after it stays
    # (by default nh3 drops the content of <script> and <style>, i.e. all the rest of the page).
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel=None,
                     strip_comments=True, clean_content_tags=set(), attribute_filter=_local_images,
                     filter_style_properties={"width"})
