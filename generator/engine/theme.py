"""What every contract's site gets from the engine whatever the publishing engine: its styles and scripts,
the theme's features, the Markdown extensions the generated pages use, and the words hand-written pages
receive for « {{ contact }} » and « {{ publisher }} ». The MkDocs plugin and the Zensical adapter both read them."""
from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from generator.site.markup import md

THEME = Path(__file__).resolve().parents[1] / "site" / "theme"  # material overrides, and the styles and scripts beside them
STYLES = ["stylesheets/contrat.css"]
SCRIPTS = ["javascripts/recherche.js", "javascripts/citer.js", "javascripts/clavier.js"]
FEATURES = ["navigation.prune", "navigation.footer", "navigation.top", "content.action.edit", "toc.follow"]
EXTENSIONS: dict[str, dict[str, Any]] = {
    "attr_list": {}, "md_in_html": {}, "tables": {}, "footnotes": {}, "admonition": {},
    "toc": {"permalink": True, "permalink_title": "Lien vers cette section"}}


def publisher(extra: Mapping[str, Any]) -> str:
    """Who publishes the site, for hand-written pages (« {{ publisher }} »): the configured name, as text."""
    return md(extra.get("publisher") or "non indiqué dans la configuration du site")


def fill(markdown: str, values: Mapping[str, str]) -> str:
    """A hand-written or engine page with each « {{ name }} » replaced by its value."""
    for name, value in values.items():
        markdown = markdown.replace("{{ " + name + " }}", value)
    return markdown


def reports(extra: Mapping[str, Any], repo_url: str | None) -> bool:
    """Whether each page has « Signaler une erreur » (partials/copyright.html): an address or a forge to write to."""
    return bool(extra.get("contact_email") or repo_url)


def contact(extra: Mapping[str, Any], repo_url: str | None) -> str:
    """How to reach the publishers, for hand-written pages (« {{ contact }} »): the configured address."""
    email = html.escape(extra.get("contact_email") or "")
    if email:
        return f"écrivez à [{email}](mailto:{email}) ou utilisez le lien « Signaler une erreur » en bas de chaque page"
    if repo_url:
        return "utilisez le lien « Signaler une erreur » en bas de chaque page"
    return "cette version du site n'indique pas encore d'adresse de contact (une version publiée en donne toujours une)"


def edit_url(repo_url: str | None, edit_uri: str | None, config_file: str | None, source: str | None, docs_dir) -> str | None:
    """The forge's edit page of the YAML file a generated page comes from (none without repo_url)."""
    if not (repo_url and edit_uri and source and config_file):
        return None
    root = Path(config_file).parent.resolve()
    try:
        relative = Path(source).resolve().relative_to(root).as_posix()
        docs = Path(docs_dir).resolve().relative_to(root).as_posix()
    except ValueError:  # a contract outside the repository has no edit page
        return None
    edit_root = edit_uri.strip("/").removesuffix("/" + docs)  # edit_uri points into docs/
    return repo_url.rstrip("/") + "/" + edit_root + "/" + relative


# The theme's frame, made valid and accessible on the built HTML whatever the engine (Material's and Zensical's
# classic templates print these outside any block a theme override can reach): `finish_site` runs on every page.
TOGGLES = {  # the theme's hidden checkboxes (its script needs them): an accessible name, no `autocomplete` (invalid there)
    "__drawer": 'aria-label="Menu"',
    "__search": 'aria-label="Recherche" tabindex="-1"',  # opened by the theme's script only: not a stop for the keyboard
    "__toc": 'aria-label="Table des matières"',
}
TOGGLE = re.compile(r'<input ((?:(?!aria-label)[^>])*?\bid="(__drawer|__search|__toc)"(?:(?!aria-label)[^>])*)>')
# The table of contents' title points at the « __toc » checkbox, which exists only for pages in the menu.
TOC_TITLE = re.compile(r'<label class="md-nav__title" for="__toc">\s*<span class="md-nav__icon md-icon"></span>\s*(.*?)\s*</label>', re.S)
# Zensical hides the overlay's label from assistive technology: not allowed on the label of a form control.
OVERLAY = '<label class="md-overlay" for="__drawer" aria-hidden="true"></label>'
# Zensical prints a palette form even for a single colour scheme (Material prints none): a form offering no
# choice, with no way to submit it.
SINGLE_PALETTE = re.compile(r'\s*<form class="md-header__option" data-md-component="palette">\s*<input [^>]*>\s*</form>')
# Zensical's links to the page itself (the home page's logo) are empty: « . » is the same address, and a link.
EMPTY_LINK = '<a href="" '
# Zensical's header keeps an empty source box without a repository: it would push the search box to the middle.
EMPTY_SOURCE = re.compile(r'\s*<div class="md-header__source">\s*</div>')


def finish_page(text: str) -> str:
    """One built page's frame, valid and accessible (see TOGGLES); the same page when there is nothing to fix."""
    text = TOGGLE.sub(lambda m: "<input " + m.group(1).replace(' autocomplete="off"', "") + f" {TOGGLES[m.group(2)]}>", text)
    if 'id="__toc"' not in text:
        text = TOC_TITLE.sub(lambda m: f'<div class="md-nav__title">{m.group(1)}</div>', text)
    text = text.replace(OVERLAY, '<label class="md-overlay" for="__drawer"></label>')
    text = SINGLE_PALETTE.sub("", text, count=1).replace(EMPTY_LINK, '<a href="." ')
    return EMPTY_SOURCE.sub("", text, count=1)


def finish_site(site_dir: Path) -> None:
    """`finish_page` on every page an engine has built into `site_dir`."""
    for page in sorted(site_dir.rglob("*.html")):
        if page.is_symlink() or not page.is_file():
            continue
        text = page.read_text(encoding="utf-8")
        fixed = finish_page(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
