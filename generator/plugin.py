"""MkDocs plugin « contrat »: runs the pipeline before each build and adds the generated pages.

Thin on purpose: checking, rendering and sanitising live in the library, so that another
static-site engine can call the same functions. The plugin also brings what every contract's
site needs whatever its mkdocs.yml says (theme templates, styles, scripts, Markdown extensions,
the search page), and takes the site's name, description and licence from contrat.yaml: a city's
mkdocs.yml holds only its deployment settings.
"""
from __future__ import annotations

import html
import logging
import re
import subprocess
from pathlib import Path

from markupsafe import Markup
from mkdocs.config import base, config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from generator.check.pipeline import check, display_path
from generator.core.problems import report
from generator.core.schemas import SCHEMA_DIR
from generator.engine import settings
from generator.publish import addresses, feed, opendata, pdf
from generator.revisions import history, versions
from generator.site import sanitize, search, urls
from generator.site.markup import md, plain
from generator.site.render import TEMPLATES, Renderer, version_pages

log = logging.getLogger("mkdocs.plugins.contrat")
HERE = Path(__file__).resolve().parent / "site"
THEME = HERE / "theme"    # material overrides, and the styles and scripts copied beside them
PAGES = HERE / "pages"    # pages of the engine itself (the search page), not made from the data
STYLES = ["stylesheets/contrat.css"]
SCRIPTS = ["javascripts/recherche.js", "javascripts/citer.js", "javascripts/clavier.js"]
FEATURES = ["navigation.prune", "navigation.footer", "navigation.top", "content.action.edit", "toc.follow"]
EXTENSIONS = {"attr_list": {}, "md_in_html": {}, "tables": {}, "footnotes": {}, "admonition": {},
              "toc": {"permalink": True, "permalink_title": "Lien vers cette section"}}


class ContratConfig(base.Config):
    contract_dir = c.Type(str, default="contract")  # relative to mkdocs.yml
    pdf = c.Type(bool, default=False)  # also make the PDF of the printable version (contrat build does)


def use_engine_theme(config) -> None:
    """What every contract's site needs, whatever its mkdocs.yml says: material with the engine's
    templates (after the site's own custom_dir, before material's), its styles and scripts first,
    French, no web font (no third-party request), the Markdown extensions the generated pages use."""
    if config.theme.name != "material":
        raise PluginError(f"thème « {config.theme.name} » : le greffon contrat fonctionne avec le thème material "
                          "(theme: name: material dans mkdocs.yml)")
    config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
    config.theme["language"] = "fr"
    config.theme["font"] = False
    config.theme["features"] = list(dict.fromkeys([*(config.theme["features"] or []), *FEATURES]))
    config.extra_css[:0] = [s for s in STYLES if s not in config.extra_css]
    config.extra_javascript[:0] = [s for s in SCRIPTS if s not in config.extra_javascript]
    for name, options in EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        config.mdx_configs[name] = {**options, **config.mdx_configs.get(name, {})}


class ContratPlugin(BasePlugin[ContratConfig]):
    command = None  # « build » or « serve », from on_startup (contrat build calls it too)
    docs_dir = None  # the docs/ folder mkdocs.yml names, when missing: contrat build gives MkDocs an empty one

    def on_startup(self, *, command, dirty):
        self.command = command  # the instance lives as long as `mkdocs serve`

    def _contract_dir(self, config) -> Path:
        return (Path(config.config_file_path).parent / self.config.contract_dir).resolve()

    def on_config(self, config):
        # Runs before the site directory is cleaned: a contract with problems leaves the previous site intact.
        use_engine_theme(config)
        check_settings(config, self.command)
        contract_dir = self._contract_dir(config)
        result = check(contract_dir)
        self.problems = result.problems
        addresses.configure(config, result.contract)
        if not result.ok and self.command == "serve":
            # A failed build would leave `mkdocs serve` waiting forever: serve the problems instead,
            # on every address, until the files are fixed (the page reloads by itself).
            log.info("Le contrat comporte des problèmes :\n" + report(result.problems, "text"))  # a warning would abort (strict)
            self.pages, self.versions, self.data, self.engine_pages = {}, {}, {}, {}
            config.nav = []
            return config
        if not result.ok:
            raise PluginError("Le contrat comporte des problèmes ; le site n'a pas été construit :\n"
                              + report(result.problems, "text"))
        assert result.contract is not None  # no problems: the contract was linked
        if not config.repo_url:
            config.edit_uri = None  # no forge configured: no edit links (and no warning about them)
        meta = result.contract.meta
        publication = meta.get("publication") or {}
        # Data from a pull request: escaped once here, as themes print these unescaped (Markup: `| e` adds nothing).
        config.site_name = Markup(html.escape(plain(publication.get("name") or meta["title"])))
        if publication.get("description"):
            config.site_description = Markup(html.escape(plain(publication["description"])))
        past = history.collect(contract_dir, result.contract)
        renderer = Renderer(result.contract, past)
        renderer.all_versions = versions.versions(result.contract, past)
        for version in renderer.all_versions:
            if version.unavailable:  # a warning would abort (strict): the build goes on, the version says why
                log.info(f"Attention : la version « {version.slug} » du contrat est indiquée comme indisponible : {version.unavailable}.")
        config.extra["contract_version"] = renderer.version()
        renderer.publication = {**{k: publication[k] for k in ("licence", "licence_url") if k in publication},
                                "version": config.extra["contract_version"]}
        config.extra["publication"] = renderer.publication  # the footer states the licence
        if self.config.pdf:
            renderer.pdf_path = urls.PDF
        renderer.site_url = config.site_url or ""
        self.pages, self.versions = renderer.pages(), version_pages(past, renderer.all_versions, renderer.site_url)
        self.contract, self.numbers = result.contract, search.filters(result.contract)
        self.data = opendata.files(result.contract, renderer.publication)
        self.engine_pages = {p.name: p.read_text(encoding="utf-8") for p in sorted(PAGES.glob("*.md"))}
        self.placeholders = search.examples(result.contract)
        config.nav = renderer.nav(config.nav or [])
        return config

    def on_serve(self, server, *, config, builder):
        # A contract edit rebuilds the site; so does an engine template or schema (in an editable install).
        for folder in (self._contract_dir(config), TEMPLATES, SCHEMA_DIR):
            if folder.is_dir():  # a missing contract folder is a problem the served page shows
                server.watch(str(folder))
        return server

    @event_priority(50)  # before mkdocs-redirects reads the pages (redirect targets)
    def on_files(self, files, *, config):
        if self.problems and self.command == "serve":
            kept = [f for f in files if not f.is_documentation_page()]
            return Files(kept + [File.generated(config, urls.PAGES["home"], content=problems_page(self.problems))])
        made = {**self.pages, **self.versions}
        for path, markdown in [(p, page.markdown) for p, page in made.items()] + list(self.engine_pages.items()):
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{display_path(Path(config.docs_dir) / path)} : ce fichier porte le nom d'une page générée depuis les données ; "
                                  "renommez-le ou supprimez-le")
            files.append(File.generated(config, path, content=markdown))
        files.append(File.generated(config, feed.PATH, content=feed.atom(self.contract, config.site_url or "")))
        for path, content in self.data.items():
            files.append(File.generated(config, path, content=content))
        if self.config.pdf:  # declared now so that links to it resolve; written in on_post_build
            files.append(File.generated(config, urls.PDF, content=b""))
        return addresses.publish(files, config, self.contract, self._contract_dir(config), self.command == "serve")

    @event_priority(-50)  # after mkdocs-redirects has written its pages
    def on_post_build(self, *, config):
        addresses.write_redirect_pages(config)
        try:
            search.index_site(Path(config.site_dir))
        except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
            raise PluginError(f"Index de recherche : {exc}") from None
        if self.config.pdf:
            printable = self.pages[urls.PAGES["print"]]
            target = Path(config.site_dir) / urls.PDF
            target.parent.mkdir(parents=True, exist_ok=True)
            pdf.write_pdf(printable.title, printable.markdown, target)

    def on_post_template(self, output_content, *, template_name, config):
        # While serving data with problems, every other address (the theme's 404 page) lists them too.
        if template_name == "404.html" and self.problems and self.command == "serve":
            heading = "<h1>Le contrat comporte des problèmes</h1>\n" + _problems_html(self.problems)
            return re.sub(r"<h1\b[^>]*>[^<]*</h1>", lambda m: heading, output_content, count=1)
        return output_content

    def on_page_markdown(self, markdown, *, page, config, files):
        if page.meta.get("problems"):
            return markdown
        generated = self.pages.get(page.file.src_uri) or self.versions.get(page.file.src_uri)
        page.meta["cv_search"] = search.page_fields(page.file.src_uri, self.numbers)
        if generated is not None:
            page.meta["title"] = html.escape(generated.title)  # themes print it unescaped
            page.edit_url = _edit_url(config, generated.source, self.docs_dir or config.docs_dir)
            return markdown
        if "title" in page.meta:  # a hand-written page's front matter: text, escaped once (its first heading is HTML already)
            page.meta["title"] = html.escape(str(page.meta["title"]))
        for name, value in {"contact": _contact(config), "publisher": _publisher(config), **self.placeholders}.items():
            markdown = markdown.replace("{{ " + name + " }}", value)
        return markdown

    def on_page_content(self, content, *, page, config, files):
        if page.file.src_uri not in self.engine_pages:  # every page but the engine's own (its code)
            content = sanitize.clean(content)
        if not page.meta.get("description"):  # themes print it unescaped
            title = page.meta.get("title") or page.title or ""
            page.meta["description"] = html.escape(search.description(title, content), quote=True)
        if "title" not in page.meta and page.title:
            # A hand-written page's first heading (HTML) or file name (text): the theme would print it through
            # `striptags`, which un-escapes; as its escaped title it is printed as is.
            page.meta["title"] = html.escape(html.unescape(page.title))
        return content


def check_settings(config, command: str | None) -> None:
    """The deployment settings (mkdocs.yml and its CONTRAT_* variables) a build refuses, all said at once."""
    problems = settings.values(config, serving=command == "serve")
    if problems:
        raise PluginError("Configuration du site refusée :\n" + report(problems, "text"))


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


def _publisher(config) -> str:
    """Who publishes the site, for hand-written pages (« {{ publisher }} »): the configured name, as text."""
    return md(config.extra.get("publisher") or "non indiqué dans la configuration du site")


def _contact(config) -> str:
    """How to reach the publishers, for hand-written pages (« {{ contact }} »): the configured address."""
    email = html.escape(config.extra.get("contact_email") or "")
    if email:
        return f"écrivez à [{email}](mailto:{email}) ou utilisez le lien « Signaler une erreur » en bas de chaque page"
    if config.repo_url:
        return "utilisez le lien « Signaler une erreur » en bas de chaque page"
    return "cette version du site n'indique pas encore d'adresse de contact (une version publiée en donne toujours une)"


def _edit_url(config, source: str | None, docs_dir) -> str | None:
    """The forge's edit page of the YAML file a generated page comes from (none without repo_url)."""
    if not (config.repo_url and config.edit_uri and source):
        return None
    root = Path(config.config_file_path).parent.resolve()
    try:
        relative = Path(source).resolve().relative_to(root).as_posix()
        docs = Path(docs_dir).resolve().relative_to(root).as_posix()
    except ValueError:  # a contract outside the repository has no edit page
        return None
    edit_root = config.edit_uri.strip("/").removesuffix("/" + docs)  # edit_uri points into docs/
    return config.repo_url.rstrip("/") + "/" + edit_root + "/" + relative
