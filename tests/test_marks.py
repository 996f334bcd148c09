"""Inline marks of the transcription (bold `**…**`, `<u>`, `<sup>`, `<sub>`, `<br>`): rendered as formatting
on every page, never shown as text, and absent from plain-text contexts (<title>, meta description, the
citation, the feed, the menu)."""
import re
from html.parser import HTMLParser
from pathlib import Path

from generator.site.markup import md, plain
from generator.site.urls import PAGES, public_url

# A mark as text: what a reader would see if it were escaped instead of rendered.
RAW_MARK = re.compile(r"\*\*|</?(?:u|sup|sub)\s*>|<br\s*/?>", re.I)
SOURCE_PAGE = public_url(PAGES["source"]) + "index.html"


class _Text(HTMLParser):
    """The text a reader sees (scripts and styles aside), the <title> and the meta description."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.visible, self.title, self.description, self._skip, self._in_title = [], "", "", 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content") or ""

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._skip -= 1
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.visible.append(data)


def marks_shown(site: Path, skip=(SOURCE_PAGE,)) -> list[tuple[str, str, str]]:
    """(page, where, excerpt) of every mark shown as text in the built site's pages."""
    found = []
    for path in sorted(site.rglob("*.html")):
        name = path.relative_to(site).as_posix()
        if name in skip:
            continue
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        for where, text in (("texte", "".join(parser.visible)), ("<title>", parser.title),
                            ("description", parser.description)):
            found += [(name, where, text[max(0, m.start() - 30):m.end() + 30]) for m in RAW_MARK.finditer(text)]
    return found


def test_the_two_helpers_render_and_drop_whole_marks_only():
    text = "Le <u>Contrat de Plan</u> : 1<sup>er</sup> plan, **et** x|y<br>fin ; un « ** » seul, un <u> seul"
    assert md(text) == ("Le <u>Contrat de Plan</u> : 1<sup>er</sup> plan, <strong>et</strong> x&#124;y<br>fin ; "
                        "un « \\*\\* » seul, un &lt;u&gt; seul")
    assert plain(text) == "Le Contrat de Plan : 1er plan, et x|y fin ; un « ** » seul, un <u> seul"
    assert md("<U>x **y**</U>") == "<u>x <strong>y</strong></u>" and plain("<U>x **y**</U>") == "x y"
    assert md("<u onclick=x>y</u>") == "&lt;u onclick=x&gt;y&lt;/u&gt;"  # only bare tags are marks


def test_no_mark_is_shown_as_text_in_the_real_site(real_site):
    assert marks_shown(real_site) == []


def test_marks_are_formatting_where_the_contract_has_them(real_site):
    def read(path):
        return (real_site / path).read_text(encoding="utf-8")
    sheet = read("fiches/1.2.2/index.html")
    assert re.search(r"<h1[^>]*>Fiche action 1\.2\.2 — Structurer <strong>et</strong> adapter", sheet)
    assert "<title>Fiche action 1.2.2 — Structurer et adapter" in sheet
    citation = re.search(r'<p class="cv-cite__text">(.*?)</p>', sheet, re.S).group(1)
    assert "« Structurer et adapter" in citation
    assert "<strong>2015-2020</strong>" in read("index.html")
    assert "<u>Contrat de Plan Etat Région 2015-2020</u>" in read("signataires/etat/index.html")
    source = read(SOURCE_PAGE)  # the source document shows its marks as formatting, too
    assert "METROPOLE <strong>2015-2020</strong></span>" in source
    assert marks_shown(real_site, skip=()) == []
    assert not RAW_MARK.search(read("flux.xml").replace("&lt;", "<"))
