"""The policy for raw HTML and images in the contract's texts, enforced at validation.

Texts are Markdown. A few inline tags the source document needs are allowed, bare: `<u>`,
`<sup>`, `<sub>`, `<br>`. Anything else that looks like HTML — a tag, closed or not, a
comment, a declaration — is a problem (CV407): an unclosed `<script>`, `<style>`, `<title>`
or `<textarea>` would otherwise hide everything after it. An image must come from the
repository (a relative address): a third-party image would make every reader's browser, and
the PDF renderer, call another site (CV408). An attribute list (`{: #id .class }`, Markdown's
attr_list) is refused (CV409): the contract's texts need none, and an id or a class would let a text
take over what the theme reads (`#__config`); the sanitiser drops them from the HTML anyway.

The work a text costs to render is bounded too (CV410): Markdown's inline parsing costs, for each
paragraph, its length times the signs it must read (escapes, emphasis, brackets), so a paragraph
has at most MAX_PARAGRAPH characters and MAX_SIGNS such signs, far above what a contract needs.
"""
from __future__ import annotations

import re

from generator.core import codes
from generator.core.load import Document
from generator.core.problems import Problem, excerpt
from generator.core.schemas import json_path

ALLOWED_TAGS = ("u", "sup", "sub", "br")
MAX_PER_TEXT = 50  # problems listed per text: the first ones say what to fix
MAX_PARAGRAPH = 10_000  # characters of one paragraph (the real contract's longest: about 2,200)
MAX_SIGNS = 500         # Markdown signs in one paragraph (the real contract: at most 40 in a whole text)
_SIGNS = re.compile(r"[\\`*_{}\[\]()#+\-.!~|<>&]")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")

_ALLOWED = re.compile(r"</?(?:%s)\s*/?>" % "|".join(ALLOWED_TAGS), re.I)
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^<>\s]*>", re.I)
_HTML = re.compile(r"<[A-Za-z/!?]")  # what an HTML parser would read as markup
# What Markdown's attr_list reads as an attribute list (its BASE_RE), unless the brace is escaped (« \{ »).
_ATTR_LIST = re.compile(r"(?<!\\)\{:?[ ]*[^}\n ][^}\n]{0,200}\}")  # bounded: a run of « { » stays linear
_IMAGE = re.compile(r"!\[[^\]\n]*\]\s*(?:\(\s*<?([^)>\s]*)|\[)")  # inline ![alt](url) or reference ![alt][ref]
# An image address with a scheme, or on another host (« //hote », « \hote »): the one rule, which validation
# applies to the data and the sanitiser to the HTML.
EXTERNAL = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|//|\\)")


def problems(doc: Document) -> list[Problem]:
    """Every raw HTML tag outside the allow-list and every image from outside the repository,
    in every text of the document, at its line and column."""
    found: list[Problem] = []
    for path, text in _texts(doc.data, ()):
        before = len(found)
        found += _cost_problems(doc, path, text)
        if "<" in text:
            for match in _HTML.finditer(text):
                start = match.start()
                if _ALLOWED.match(text, start) or _AUTOLINK.match(text, start):
                    continue
                if len(found) - before == MAX_PER_TEXT:
                    break
                opening = re.match(r"<[^\s>]{0,30}", text[start:])
                assert opening is not None  # text[start] is "<"
                tag = opening.group()
                found.append(_problem(doc, path, text, start, codes.RAW_HTML,
                                      f"HTML brut « {excerpt(tag)} » refusé dans un texte : seules les balises "
                                      + ", ".join(f"<{t}>" for t in ALLOWED_TAGS)
                                      + " sont permises (sans attribut) ; écrivez en Markdown, ou « &lt; » pour un « < »"))
        if "![" in text:
            for match in _IMAGE.finditer(text):
                url = match.group(1)
                if url is None or EXTERNAL.match(url):
                    found.append(_problem(doc, path, text, match.start(), codes.EXTERNAL_IMAGE,
                                          f"image « {excerpt(url or match.group(), 40)} » refusée : une image doit venir du "
                                          "dépôt (adresse relative, par exemple « images/plan.png »), jamais d'un autre site"))
        if "{" in text and not _number_pattern(path):
            for match in _ATTR_LIST.finditer(text):
                if len(found) - before == MAX_PER_TEXT:
                    break
                found.append(_problem(doc, path, text, match.start(), codes.ATTRIBUTE_LIST,
                                      f"liste d'attributs « {excerpt(match.group(), 40)} » refusée dans un texte : "
                                      "les textes du contrat n'en ont pas besoin (identifiant, classe, attribut) ; "
                                      "pour une accolade, écrivez « \\{ »"))
    return found


def _number_pattern(path: tuple) -> bool:
    """A level's number pattern in contrat.yaml (`structure[i].number`): its braces are placeholders (checked by
    CV346), and it is never read as Markdown."""
    return len(path) == 3 and path[0] == "structure" and path[2] == "number"


def _cost_problems(doc: Document, path: tuple, text: str) -> list[Problem]:
    """The first paragraph of a text too long, or with too many signs, for a bounded rendering."""
    start = 0
    for paragraph in _PARAGRAPHS.split(text):
        offset = text.index(paragraph, start) if paragraph else start
        start = offset + len(paragraph)
        if len(paragraph) > MAX_PARAGRAPH:
            return [_problem(doc, path, text, offset, codes.MARKDOWN_COST, f"paragraphe de {len(paragraph)} caractères : au plus "
                             f"{MAX_PARAGRAPH} par paragraphe (séparez les paragraphes par une ligne vide)")]
        signs = len(_SIGNS.findall(paragraph))
        if signs > MAX_SIGNS:
            return [_problem(doc, path, text, offset, codes.MARKDOWN_COST, f"{signs} signes de ponctuation ou de mise en forme "
                             f"(« [ », « * », « _ », « . »…) dans un paragraphe : au plus {MAX_SIGNS}, pour une mise en page "
                             "de coût borné")]
    return []


def _texts(value, path):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, path + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, path + (i,))


def _problem(doc: Document, path: tuple, text: str, offset: int, code: str, message: str) -> Problem:
    line, column = doc.text_position(path, text, offset)
    return Problem(doc.file, line, column, code, message, json_path(path))
