"""MkDocs hook: runs the pipeline before each build and adds the generated pages.

Thin on purpose: checking, rendering and sanitising live in the library, so that another
static-site engine can call the same functions.
"""
from __future__ import annotations

import html
import logging
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from generator import history, opendata, pdf, sanitize, search
from generator.pipeline import check
from generator.problems import report
from generator.render import Renderer

log = logging.getLogger("mkdocs.hooks.contrat")
_state: dict = {}
PDF_PATH = "imprimer/contrat-de-ville.pdf"


def _contract_dir(config) -> Path:
    return (Path(config.config_file_path).parent / config.extra.get("contract_dir", "contract")).resolve()


def on_config(config):
    # Runs before the site directory is cleaned: a contract with problems leaves the previous site intact.
    contract_dir = _contract_dir(config)
    result = check(contract_dir)
    if not result.ok:
        raise PluginError("Le contrat comporte des problèmes ; le site n'a pas été construit :\n"
                          + report(result.problems, "text"))
    if not config.repo_url:
        config.edit_uri = None  # no forge configured: no edit links (and no warning about them)
    renderer = Renderer(result.contract, history.collect(contract_dir, result.contract))
    config.extra["contract_version"] = renderer.version()
    renderer.publication = dict(config.extra.get("open_data") or {}, version=config.extra["contract_version"])
    if config.extra.get("pdf"):  # the publication build (contrat build) also makes the PDF
        renderer.pdf_path = PDF_PATH
    renderer.site_url = config.site_url or ""
    _state.update(pages=renderer.pages(), contract=result.contract, numbers=search.numbers(result.contract),
                  data=opendata.files(result.contract, renderer.publication))
    config.nav = renderer.nav(config.nav or [])
    return config


def on_files(files, config):
    for path, page in _state["pages"].items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} : ce fichier porte le nom d'une page générée depuis les données ; "
                              "renommez-le ou supprimez-le")
        files.append(File.generated(config, path, content=page.markdown))
    for path, content in _state["data"].items():
        files.append(File.generated(config, path, content=content))
    if config.extra.get("pdf"):  # declared now so that links to it resolve; written in on_post_build
        files.append(File.generated(config, PDF_PATH, content=b""))
    return files


def on_post_build(config):
    try:
        search.index_site(Path(config.site_dir))
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        raise PluginError(f"Index de recherche : {exc}") from None
    if config.extra.get("pdf"):
        printable = _state["pages"]["imprimer.md"]
        target = Path(config.site_dir) / PDF_PATH
        target.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_pdf(printable.title, printable.markdown, target)


def on_page_markdown(markdown, page, config, files):
    generated = _state["pages"].get(page.file.src_uri)
    page.meta["cv_search"] = search.page_fields(page.file.src_uri, _state["numbers"])
    if generated is not None:
        page.meta["title"] = html.escape(generated.title)  # themes print it unescaped
        page.meta["generated"] = True
        page.edit_url = _edit_url(config, generated.source)
    return markdown


def _edit_url(config, source: str | None) -> str | None:
    """The forge's edit page of the YAML file a generated page comes from (none without repo_url)."""
    if not (config.repo_url and config.edit_uri and source):
        return None
    root = Path(config.config_file_path).parent.resolve()
    try:
        relative = Path(source).resolve().relative_to(root).as_posix()
        docs = Path(config.docs_dir).resolve().relative_to(root).as_posix()
    except ValueError:  # a contract outside the repository has no edit page
        return None
    edit_root = config.edit_uri.strip("/").removesuffix("/" + docs)  # edit_uri points into docs/
    return config.repo_url.rstrip("/") + "/" + edit_root + "/" + relative


def on_page_content(content, page, config, files):
    if page.meta.get("generated"):
        content = sanitize.clean(content)
    if not page.meta.get("description"):  # themes print it unescaped
        title = page.meta.get("title") or page.title or ""
        page.meta["description"] = html.escape(search.description(title, content), quote=True)
    return content
