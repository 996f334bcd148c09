"""What every contract's site gets from the engine whatever the publishing engine: its styles and scripts,
the theme's features, the Markdown extensions the generated pages use, and the words hand-written pages
receive for « {{ contact }} » and « {{ publisher }} ». The MkDocs plugin and the Zensical adapter both read them."""
from __future__ import annotations

import html
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
