"""MkDocs plugin « contrat »: hands MkDocs the site the build pipeline makes (engine/pipeline.py).

No orchestration here: checking, rendering, open data and the guarantees on the built site live in
the library. The plugin gives MkDocs what every contract's site needs whatever its mkdocs.yml says
(theme templates, styles, scripts, Markdown extensions), the site's name, description and licence
from contrat.yaml (a city's mkdocs.yml holds only its deployment settings), the generated pages and
files, and the redirects for mkdocs-redirects; while serving data with problems, a page listing them.
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

from generator.check.pipeline import display_path
from generator.core.problems import report
from generator.core.schemas import SCHEMA_DIR
from generator.engine import pipeline, settings
from generator.engine.theme import EXTENSIONS, FEATURES, SCRIPTS, STYLES, THEME, contact, edit_url, fill, publisher, reports
from generator.publish import addresses
from generator.site import sanitize, search, urls
from generator.site.render import TEMPLATES

log = logging.getLogger("mkdocs.plugins.contrat")


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
        self.site = pipeline.make(self._contract_dir(config), config.site_url or "", self.config.pdf, config.nav or [],
                                  reports(config.extra, config.repo_url))
        site = self.site
        configure_redirects(config, site)
        if not site.ok and self.command == "serve":
            # A failed build would leave `mkdocs serve` waiting forever: serve the problems instead,
            # on every address, until the files are fixed (the page reloads by itself).
            log.info("Le contrat comporte des problèmes :\n" + report(site.problems, "text"))  # a warning would abort (strict)
            config.nav = []
            return config
        if not site.ok:
            raise PluginError("Le contrat comporte des problèmes ; le site n'a pas été construit :\n"
                              + report(site.problems, "text"))
        for notice in site.notices:  # a warning would abort (strict): the build goes on
            log.info(notice)
        if not config.repo_url:
            config.edit_uri = None  # no forge configured: no edit links (and no warning about them)
        # Data from a pull request: escaped once here, as themes print these unescaped (Markup: `| e` adds nothing).
        config.site_name = Markup(html.escape(site.name))
        if site.description:
            config.site_description = Markup(html.escape(site.description))
        config.extra["contract_version"] = site.publication["version"]
        config.extra["publication"] = site.publication  # the footer states the licence
        config.nav = site.nav
        return config

    def on_serve(self, server, *, config, builder):
        # A contract edit rebuilds the site; so does an engine template or schema (in an editable install).
        for folder in (self._contract_dir(config), TEMPLATES, SCHEMA_DIR):
            if folder.is_dir():  # a missing contract folder is a problem the served page shows
                server.watch(str(folder))
        return server

    @event_priority(50)  # before mkdocs-redirects reads the pages (redirect targets)
    def on_files(self, files, *, config):
        site = self.site
        if not site.ok and self.command == "serve":
            kept = [f for f in files if not f.is_documentation_page()]
            return Files(kept + [File.generated(config, urls.PAGES["home"], content=problems_page(site.problems))])
        made = {**{path: page.markdown for path, page in site.pages.items()}, **site.engine_pages}
        for path, markdown in made.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{display_path(Path(config.docs_dir) / path)} : ce fichier porte le nom d'une page générée depuis les données ; "
                                  "renommez-le ou supprimez-le")
            files.append(File.generated(config, path, content=markdown))
        for path, content in site.files.items():
            files.append(File.generated(config, path, content=content))
        if site.pdf:  # declared now so that links to it resolve; written after the build
            files.append(File.generated(config, urls.PDF, content=b""))
        return self._publish_addresses(files, config)

    def _publish_addresses(self, files: Files, config) -> Files:
        """Add the list of addresses the site serves, keep the redirects that are right, and check that every
        address of the list last published is still served. Problems stop a build; `mkdocs serve` reports them."""
        assert self.site.contract is not None
        plugin = config.plugins.get(addresses.PLUGIN)
        declared = plugin.config["redirect_maps"] if plugin is not None else {}
        listing, kept, problems = addresses.publish({f.src_uri: f.url for f in files.documentation_pages()},
                                                    {f.dest_uri for f in files}, declared, self.site.contract,
                                                    Path(config.config_file_path) if config.config_file_path else None,
                                                    self._contract_dir(config))
        if plugin is not None:
            plugin.config["redirect_maps"] = kept
        files.append(File.generated(config, addresses.PUBLISHED, content=listing))
        message = report(problems, "text") if problems else ""
        if message and self.command != "serve":
            raise PluginError("Adresses publiées :\n" + message)
        if message:
            log.info("Adresses publiées :\n" + message)  # a warning would abort `mkdocs serve` (strict)
        return files

    @event_priority(-50)  # after mkdocs-redirects has written its pages: the engine writes them again, in French
    def on_post_build(self, *, config):
        plugin = config.plugins.get(addresses.PLUGIN)
        try:
            pipeline.finish(self.site, Path(config.site_dir), plugin.config["redirect_maps"] if plugin is not None else {})
        except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
            raise PluginError(f"Site construit, mais ses finitions ont échoué (redirections, index de recherche, PDF) : {exc}") from None

    def on_post_template(self, output_content, *, template_name, config):
        # While serving data with problems, every other address (the theme's 404 page) lists them too.
        if template_name == "404.html" and not self.site.ok and self.command == "serve":
            heading = "<h1>Le contrat comporte des problèmes</h1>\n" + _problems_html(self.site.problems)
            return re.sub(r"<h1\b[^>]*>[^<]*</h1>", lambda m: heading, output_content, count=1)
        return output_content

    def on_page_markdown(self, markdown, *, page, config, files):
        if page.meta.get("problems"):
            return markdown
        generated = self.site.pages.get(page.file.src_uri)
        page.meta["cv_search"] = search.page_fields(page.file.src_uri, dict(self.site.numbers))
        if generated is not None:
            page.meta["title"] = html.escape(generated.title)  # themes print it unescaped
            page.edit_url = edit_url(config.repo_url, config.edit_uri, config.config_file_path, generated.source,
                                     self.docs_dir or config.docs_dir)
            return markdown
        if "title" in page.meta:  # a hand-written page's front matter: text, escaped once (its first heading is HTML already)
            page.meta["title"] = html.escape(str(page.meta["title"]))
        return fill(markdown, {"contact": contact(config.extra, config.repo_url), "publisher": publisher(config.extra),
                               **self.site.placeholders})

    def on_page_content(self, content, *, page, config, files):
        if page.file.src_uri not in self.site.engine_pages:  # every page but the engine's own (its code)
            content = sanitize.clean(content)
        if not page.meta.get("description"):  # themes print it unescaped
            title = page.meta.get("title") or page.title or ""
            page.meta["description"] = html.escape(search.description(title, content), quote=True)
        if "title" not in page.meta and page.title:
            # A hand-written page's first heading (HTML) or file name (text): the theme would print it through
            # `striptags`, which un-escapes; as its escaped title it is printed as is.
            page.meta["title"] = html.escape(html.unescape(page.title))
        return content


def configure_redirects(config, site: pipeline.Site) -> None:
    """Give mkdocs-redirects the redirects the revisions imply and those declared (a declaration wins);
    none while the data has problems (the pages they lead to are not built)."""
    plugin = config.plugins.get(addresses.PLUGIN)
    if plugin is None:
        if site.redirects:
            raise PluginError(f"des révisions renumérotent des pages ({', '.join(site.redirects)}) : ajoutez le greffon "
                              f"« {addresses.PLUGIN} » (mkdocs-redirects) à « plugins » dans mkdocs.yml pour que leurs anciennes "
                              "adresses mènent aux nouvelles")
        return
    plugin.config["redirect_maps"] = {**site.redirects, **(plugin.config["redirect_maps"] if site.ok else {})}


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
