"""The printable contract as a PDF, made at build time with WeasyPrint from the same Markdown as
the « version imprimable » page, with a print stylesheet of its own (A4, numbered pages)."""
from __future__ import annotations

from html import escape

import markdown

from generator.site import sanitize

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; line-height: 1.4; color: #000; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; break-before: page; } h3 { font-size: 12pt; } h4, h5, h6 { font-size: 10.5pt; }
h1 + .cv-print-intro + h2, h2:first-of-type { break-before: auto; }
a { color: #000; text-decoration: none; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: 2pt 4pt; }
.headerlink, .md-button { display: none; }
blockquote { margin-left: 0; padding-left: 8pt; border-left: 2pt solid #999; }
"""


def html_document(title: str, source_markdown: str) -> str:
    body = markdown.markdown(source_markdown, extensions=["attr_list", "md_in_html", "tables", "footnotes", "toc"])
    return (f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{CSS}</style></head><body>{sanitize.clean(body)}</body></html>")


def local_fetcher():
    """A WeasyPrint fetcher that fetches nothing from the network nor the disk: the document is
    self-contained (inline styles), only `data:` addresses are read."""
    from weasyprint.urls import URLFetcher
    return URLFetcher(allowed_protocols={"data"})


def write_pdf(title: str, source_markdown: str, target) -> None:
    from weasyprint import HTML  # imported here: only the publication build needs it
    HTML(string=html_document(title, source_markdown), url_fetcher=local_fetcher()).write_pdf(target)
