"""MkDocs hook: runs the pipeline before each build and adds the generated pages.

Thin on purpose: checking, rendering and sanitising live in the library, so that another
static-site engine can call the same functions.
"""
from __future__ import annotations

import html
import logging
import re
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from generator import addresses, feed, history, opendata, pdf, sanitize, search, versions
from generator.pipeline import check
from generator.problems import report
from generator.render import Renderer, version_pages

log = logging.getLogger("mkdocs.hooks.contrat")
_state: dict = {}
PDF_PATH = "imprimer/contrat-de-ville.pdf"


def _contract_dir(config) -> Path:
    return (Path(config.config_file_path).parent / config.extra.get("contract_dir", "contract")).resolve()


def on_startup(command, dirty):
    _state["command"] = command


def on_config(config):
    # Runs before the site directory is cleaned: a contract with problems leaves the previous site intact.
    contract_dir = _contract_dir(config)
    result = check(contract_dir)
    _state["problems"] = result.problems
    addresses.configure(config, result.contract)
    if not result.ok and _state.get("command") == "serve":
        # A failed build would leave `mkdocs serve` waiting forever: serve the problems instead,
        # on every address, until the files are fixed (the page reloads by itself).
        log.info("Le contrat comporte des problèmes :\n" + report(result.problems, "text"))  # a warning would abort (strict)
        _state.update(pages={}, versions={}, data={})
        config.nav = []
        return config
    if not result.ok:
        raise PluginError("Le contrat comporte des problèmes ; le site n'a pas été construit :\n"
                          + report(result.problems, "text"))
    if not config.repo_url:
        config.edit_uri = None  # no forge configured: no edit links (and no warning about them)
    past = history.collect(contract_dir, result.contract)
    renderer = Renderer(result.contract, past)
    renderer.all_versions = versions.versions(result.contract, past)
    config.extra["contract_version"] = renderer.version()
    renderer.publication = dict(config.extra.get("open_data") or {}, version=config.extra["contract_version"])
    if config.extra.get("pdf"):  # the publication build (contrat build) also makes the PDF
        renderer.pdf_path = PDF_PATH
    renderer.site_url = config.site_url or ""
    _state.update(pages=renderer.pages(), versions=version_pages(past, renderer.all_versions), contract=result.contract,
                  numbers=search.numbers(result.contract),
                  data=opendata.files(result.contract, renderer.publication))
    config.nav = renderer.nav(config.nav or [])
    return config


@event_priority(50)  # before mkdocs-redirects reads the pages (redirect targets)
def on_files(files, config):
    if _state["problems"] and _state.get("command") == "serve":
        kept = [f for f in files if not f.is_documentation_page()]
        return Files(kept + [File.generated(config, "index.md", content=problems_page(_state["problems"]))])
    for path, page in {**_state["pages"], **_state["versions"]}.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} : ce fichier porte le nom d'une page générée depuis les données ; "
                              "renommez-le ou supprimez-le")
        files.append(File.generated(config, path, content=page.markdown))
    files.append(File.generated(config, feed.PATH, content=feed.atom(_state["contract"], config.site_url or "")))
    for path, content in _state["data"].items():
        files.append(File.generated(config, path, content=content))
    if config.extra.get("pdf"):  # declared now so that links to it resolve; written in on_post_build
        files.append(File.generated(config, PDF_PATH, content=b""))
    return addresses.publish(files, config, _state["contract"], _contract_dir(config), _state.get("command") == "serve")


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


def _problems_html(problems) -> str:
    items = "\n".join(f"<li><code>{html.escape(p.file)}:{p.line}:{p.column}</code> {html.escape(p.code)} "
                      f"{html.escape(p.message)}</li>" for p in problems)
    return (f"<p>Le site ne peut pas être construit : {len(problems)} problème(s) à corriger. "
            "La page d'accueil se recharge d'elle-même dès que les fichiers sont corrigés.</p>\n"
            f'<ul class="cv-problems">\n{items}\n</ul>\n')


def problems_page(problems) -> str:
    """The home page `mkdocs serve` shows while the data has problems: each one, escaped."""
    return ("---\ntitle: Le contrat comporte des problèmes\nproblems: true\n---\n\n"
            f"# Le contrat comporte des problèmes\n\n{_problems_html(problems)}")


def on_post_template(output_content, template_name, config):
    # While serving data with problems, every other address (the theme's 404 page) lists them too.
    if template_name == "404.html" and _state.get("problems") and _state.get("command") == "serve":
        heading = "<h1>Le contrat comporte des problèmes</h1>\n" + _problems_html(_state["problems"])
        return re.sub(r"<h1>404[^<]*</h1>", lambda m: heading, output_content, count=1)
    return output_content


def on_page_markdown(markdown, page, config, files):
    if page.meta.get("problems"):
        page.meta["generated"] = True  # sanitised like every page made from the data
        return markdown
    generated = _state["pages"].get(page.file.src_uri) or _state["versions"].get(page.file.src_uri)
    page.meta["cv_search"] = search.page_fields(page.file.src_uri, _state["numbers"])
    if generated is not None:
        page.meta["title"] = html.escape(generated.title)  # themes print it unescaped
        page.meta["generated"] = True
        page.edit_url = _edit_url(config, generated.source)
        return markdown
    return markdown.replace("{{ contact }}", _contact(config))


def _contact(config) -> str:
    """How to reach the publishers, for hand-written pages (« {{ contact }} »): the configured address."""
    email = html.escape(config.extra.get("contact_email") or "")
    if email:
        return f"écrivez à [{email}](mailto:{email}) ou utilisez le lien « Signaler une erreur » en bas de chaque page"
    return "utilisez le lien « Signaler une erreur » en bas de chaque page"


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
