"""The site built with Zensical: the pipeline's pages written as a plain docs tree, then the project's own
guarantees run on the built HTML, outside the engine.

Zensical (Material's successor, by the same team) reads an mkdocs.yml but runs no MkDocs plugin: the
« contrat » plugin never runs. So, in a staging project of its own (Zensical wants its docs and site folders
inside the configuration file's folder):

    pipeline.make → docs/ (generated pages with their front matter, the engine's pages, the hand-written
    pages, data files, styles and scripts) + a theme folder + mkdocs.yml (generated) → zensical.build
    → on the built HTML: sanitise the generated pages' content, descriptions → published addresses and
    CV320 → pipeline.finish (the theme's frame fixed, redirect pages, Pagefind, PDF)

Theme: Zensical's « classic » variant (Material's templates, its own assets) with our overrides as they are:
`main.html` (the page's title, the header's search box, search fields, feed link), `404.html` and
`partials/copyright.html`; what its templates print outside any block is fixed on the built HTML by
`pipeline.finish`, as for every engine (engine/theme.py).
"""
from __future__ import annotations

import contextlib
import html
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown import Markdown
from markupsafe import Markup

from generator.check.pipeline import display_path
from generator.core.problems import report
from generator.engine import pipeline, settings
from generator.engine.theme import EXTENSIONS, FEATURES, SCRIPTS, STYLES, THEME, contact, edit_url, fill, publisher, reports
from generator.publish import addresses
from generator.site import sanitize, search, urls
from generator.site.render import Page

OWN_TEMPLATES = tuple(sorted(p.relative_to(THEME).as_posix() for p in THEME.rglob("*.html")))  # the theme's overrides
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
ZENSICAL_OWN = ("search.json",)  # Zensical's search index: the site searches with Pagefind


class Failed(Exception):
    """The build cannot go on; the message says why, in French."""


@dataclass
class Settings:
    """What mkdocs.yml says of the deployment, read as Zensical would (!ENV resolved): what `settings.values`
    and the pages need."""
    config_file_path: str
    data: dict = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @property
    def site_url(self) -> str:
        return self.data.get("site_url") or ""

    @property
    def repo_url(self) -> str:
        return self.data.get("repo_url") or ""

    @property
    def extra(self) -> dict:
        return self.data.get("extra") or {}


class _Loader(yaml.SafeLoader):
    """YAML with MkDocs' « !ENV » tag (settings.code has refused any other Python tag before)."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """As MkDocs' loader (pyyaml_env_tag): the first variable set, its value read as a YAML scalar; else the
    last item of a list of several, else None."""
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)  # type: ignore[arg-type]
    *variables, default = names if len(names) > 1 else (*names, None)
    for name in variables:
        if str(name) in os.environ:
            value = os.environ[str(name)]
            return loader.construct_object(yaml.ScalarNode(loader.resolve(yaml.ScalarNode, value, (True, False)), value))
    return default


_Loader.add_constructor("!ENV", _env)


def read_settings(config_file: Path) -> Settings:
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise Failed(f"{display_path(config_file)} illisible : {exc}") from None
    if not isinstance(data, dict):
        raise Failed(f"{display_path(config_file)} : une configuration (clé : valeur) est attendue")
    return Settings(str(config_file), data)


def declared_redirects(config: Settings) -> dict[str, str]:
    """The `redirect_maps` of the redirects plugin in mkdocs.yml, when declared."""
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and addresses.PLUGIN in plugin:
            return dict((plugin[addresses.PLUGIN] or {}).get("redirect_maps") or {})
    return {}


def build(config_file: Path, contract_dir: Path, site_dir: Path, pdf: bool) -> None:
    """Build the site of `contract_dir` into `site_dir` (an empty folder, replaced) with Zensical. Raises Failed."""
    import zensical

    config = read_settings(config_file)
    problems = settings.values(config)
    if problems:
        raise Failed("Configuration du site refusée :\n" + report(problems, "text"))
    site = pipeline.make(contract_dir, config.site_url, pdf, config.get("nav") or [], reports(config.extra, config.repo_url))
    if not site.ok:
        raise Failed("Le contrat comporte des problèmes ; le site n'a pas été construit :\n" + report(site.problems, "text"))
    assert site.contract is not None  # no problems: the contract was linked
    for notice in site.notices:
        print(notice)
    project = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", suffix=".zensical", dir=site_dir.parent))
    try:
        marker = secrets.token_hex(8)
        docs = project / "docs"
        hand_written = Path(config_file).parent / str(config.get("docs_dir") or "docs")
        described, titles = _docs_tree(site, config, hand_written, docs)
        _theme(project / "theme", marker)
        built = project / "site"
        (project / "mkdocs.yml").write_text(json.dumps(_zensical_config(site, config), ensure_ascii=False, indent=1),
                                            encoding="utf-8")
        with _captured(project / "zensical.log") as said:
            try:
                zensical.build(str((project / "mkdocs.yml").resolve()), {"strict": True, "clean": True})
            except Exception as exc:  # the engine's own errors come as Python exceptions of its runtime
                failure = str(exc) or type(exc).__name__
            else:
                failure = ""
        if failure:
            raise Failed("\n".join(filter(None, (said(), failure))))
        for name in ZENSICAL_OWN:
            (built / name).unlink(missing_ok=True)
        markdown_pages = _markdown_pages(docs)
        sources = {urls.html_path(path): path for path in markdown_pages}
        _post_process(built, site, marker, sources, described, titles, {path: edit_url(config.repo_url, config.get("edit_uri"), config.config_file_path,
                                                            page.source, hand_written) for path, page in site.pages.items()})
        declared = declared_redirects(config)  # no plugin needed for those the revisions imply: finish writes them
        pages = {path: urls.public_url(path) for path in markdown_pages}
        occupied = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
        listing, kept, found = addresses.publish(pages, occupied, {**site.redirects, **declared}, site.contract,
                                                 Path(config_file), contract_dir)
        (built / addresses.PUBLISHED).write_text(listing, encoding="utf-8")
        if found:
            raise Failed("Adresses publiées :\n" + report(found, "text"))
        pipeline.finish(site, built, kept)
        site_dir.rmdir()
        built.rename(site_dir)
    finally:
        shutil.rmtree(project, ignore_errors=True)


@contextlib.contextmanager
def _captured(log: Path) -> Iterator[Callable[[], str]]:
    """What the engine writes on the standard output and error (its runtime writes there itself, in colour):
    kept in `log`, given back as plain text, to be said with the failure it explains."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log, "wb") as out:
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
        try:
            yield lambda: ANSI.sub("", log.read_text(encoding="utf-8", errors="replace")).strip()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def _markdown_pages(docs: Path) -> list[str]:
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


def _front_matter(values: Mapping[str, Any]) -> str:
    return "---\n" + json.dumps(dict(values), ensure_ascii=False, default=str) + "\n---\n\n"


def _docs_tree(site: pipeline.Site, config: Settings, hand_written: Path, docs: Path) -> tuple[set[str], dict[str, str]]:
    """Write the docs folder Zensical builds: hand-written pages (placeholders filled), generated pages and
    the engine's own with their front matter (title, search fields), data files, styles and scripts.
    Returns the pages that give their own description, and each page's title (escaped) as the MkDocs plugin
    gives it to the theme: its front matter's, else its entry's in the menu, else its first heading."""
    described = set()
    titles: dict[str, str] = {}
    in_menu = _menu_titles(site.nav)
    docs.mkdir()
    if hand_written.is_dir():
        _copy_without_links(hand_written, docs)
    numbers = dict(site.numbers)
    replacements = {"contact": contact(config.extra, config.repo_url), "publisher": publisher(config.extra), **site.placeholders}
    for path in _markdown_pages(docs):
        page = docs / path
        text = fill(page.read_text(encoding="utf-8"), replacements)
        head, body = _split_front_matter(text, hand_written / path)
        if head.get("description"):  # text, escaped once, as the computed ones
            head["description"] = html.escape(str(head["description"]), quote=True)
            described.add(path)
        head = _head(path, head, body, None, in_menu, numbers)
        if "title" in head:
            titles[path] = head["title"]
        if head:
            text = _front_matter(head) + body
        page.write_text(text, encoding="utf-8")
    for path, markdown in {**{p: pg.markdown for p, pg in site.pages.items()}, **site.engine_pages}.items():
        if path in site.engine_pages:
            markdown = fill(markdown, replacements)
        target = docs / path
        if target.exists():
            raise Failed(f"{display_path(hand_written / path)} : ce fichier porte le nom d'une page générée depuis les "
                         "données ; renommez-le ou supprimez-le")
        target.parent.mkdir(parents=True, exist_ok=True)
        head, body = _split_front_matter(markdown, Path(path))
        head = _head(path, head, body, site.pages.get(path), in_menu, numbers)
        if "title" in head:
            titles[path] = head["title"]
        target.write_text(_front_matter(head) + body, encoding="utf-8")
    for path, content in site.files.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    if site.pdf:  # a stand-in, so that links to it resolve; written after the build
        (docs / urls.PDF).parent.mkdir(parents=True, exist_ok=True)
        (docs / urls.PDF).write_bytes(b"")
    for asset in STYLES + SCRIPTS:
        (docs / asset).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(THEME / asset, docs / asset)
    return described, titles


def _head(path: str, head: dict, body: str, generated: Page | None, in_menu: Mapping[str, str],
          numbers: dict) -> dict:
    """A page's front matter as the MkDocs plugin gives it to the theme: its title, escaped once (the theme prints
    it as it is) — the generated page's, else its own front matter's, else its entry's in the menu, else its first
    heading (which the theme would print through `striptags`, which un-escapes) —, and its search fields."""
    if generated is not None:
        head["title"] = html.escape(generated.title)
    elif "title" in head:
        head["title"] = html.escape(str(head["title"]))
    elif path in in_menu:
        head["title"] = in_menu[path]
    elif heading := _first_heading(body):
        head["title"] = html.escape(heading)
    fields = search.page_fields(path, numbers)
    if fields:
        head["cv_search"] = fields
    return head


def _menu_titles(nav: list) -> dict[str, str]:
    """{page: its title in the menu, escaped} (the menu's titles from the data are escaped already)."""
    found: dict[str, str] = {}
    for item in nav:
        if isinstance(item, dict):
            for title, target in item.items():
                if isinstance(target, str):
                    found.setdefault(target, str(title) if isinstance(title, Markup) else html.escape(str(title)))
                elif isinstance(target, list):
                    for path, name in _menu_titles(target).items():
                        found.setdefault(path, name)
    return found


def _copy_without_links(source: Path, target: Path) -> None:
    """Copy the hand-written pages and their files, no symbolic link followed or copied."""
    for root, dirs, names in os.walk(source):  # does not follow links to folders
        here = Path(root)
        dirs[:] = [d for d in dirs if not (here / d).is_symlink()]
        (target / here.relative_to(source)).mkdir(parents=True, exist_ok=True)
        for name in names:
            if not (here / name).is_symlink():
                shutil.copyfile(here / name, target / here.relative_to(source) / name)


def _first_heading(markdown: str) -> str:
    """The text of a page's first heading, as the engine reads its title from the page's HTML."""
    rendered = Markdown(extensions=list(EXTENSIONS), extension_configs={**EXTENSIONS, "toc": {}}).convert(markdown)
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", rendered, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def _split_front_matter(text: str, shown: Path) -> tuple[dict, str]:
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not match:
        return {}, text
    try:
        head = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise Failed(f"{display_path(shown)} : en-tête YAML illisible : {exc}") from None
    return (head if isinstance(head, dict) else {}), text[match.end():]


def _theme(folder: Path, marker: str) -> None:
    """Our templates (Zensical runs them as they are), its content partial with markers around the page's
    content (what the post-processing sanitises)."""
    import zensical
    theirs = Path(zensical.__file__).parent / "templates"
    for name in OWN_TEMPLATES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(THEME / name, folder / name)
    content = (theirs / "partials" / "content.html").read_text(encoding="utf-8")
    content = content.replace("{{ page.content }}", f"<!--{marker}-->{{{{ page.content }}}}<!--/{marker}-->")
    (folder / "partials" / "content.html").write_text(content, encoding="utf-8")


def _zensical_config(site: pipeline.Site, config: Settings) -> dict:
    theme = config.get("theme") or {}
    palette = theme.get("palette") if isinstance(theme, dict) else None
    extra = {**config.extra, "contract_version": site.publication["version"], "publication": dict(site.publication)}
    out: dict[str, Any] = {
        "site_name": html.escape(site.name),
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "strict": True,
        "theme": {"name": "material", "variant": "classic", "custom_dir": "theme", "language": "fr", "font": False,
                  "features": FEATURES, **({"palette": palette} if palette else {})},
        "extra_css": STYLES,
        "extra_javascript": SCRIPTS,
        "markdown_extensions": [{name: options} for name, options in EXTENSIONS.items()],
        "plugins": [{"search": {"enabled": False}}],  # the site searches with Pagefind: no second search box
        "nav": site.nav,
        "extra": extra,
        "validation": config.get("validation") or {},
    }
    if site.description:
        out["site_description"] = html.escape(site.description)
    if config.site_url:
        out["site_url"] = config.site_url
    if config.repo_url:
        out["repo_url"] = config.repo_url
        if config.get("edit_uri"):
            out["edit_uri"] = config.get("edit_uri")
    return out


EDIT_LINK = re.compile(r'<a href="[^"]*"( title="[^"]*" class="md-content__button md-icon" rel="edit">.*?</a>)', re.S)


def _post_process(built: Path, site: pipeline.Site, marker: str, sources: Mapping[str, str], described: set[str],
                  titles: Mapping[str, str], edit_urls: Mapping[str, str | None]) -> None:
    """On every built page: its content sanitised (as the MkDocs plugin does before the theme; not the engine's pages),
    a description, the generated pages' edit links to their YAML file; the content markers removed."""
    opening, closing = f"<!--{marker}-->", f"<!--/{marker}-->"
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        start, end = text.find(opening), text.find(closing)
        source = sources.get(page.relative_to(built).as_posix(), "")
        if 0 <= start < end:
            content = text[start + len(opening):end]
            if source not in site.engine_pages:  # every page but the engine's own (its code), as the plugin does
                content = sanitize.clean(content)
            text = text[:start] + content + text[end + len(closing):]
            if source not in described:
                title = titles.get(source) or html.escape(_title(text))
                text = _describe(text, search.description(title, content))
        if source in edit_urls:  # Zensical links to the docs tree it was given, which the repository does not hold
            text = _edit_link(text, edit_urls[source])
        # The theme escapes the site's name, given escaped (as the MkDocs plugin gives it), once more in attributes
        text = text.replace(_theme_escape(html.escape(site.name)), html.escape(site.name))
        page.write_text(text, encoding="utf-8")


def _edit_link(text: str, edit: str | None) -> str:
    """The page's edit link leading to `edit`, or no edit link."""
    match = EDIT_LINK.search(text)
    if match is None:
        return text
    link = f'<a href="{html.escape(edit, quote=True)}"{match.group(1)}' if edit else ""
    return text[:match.start()] + link + text[match.end():]


def _theme_escape(text: str) -> str:
    """What Zensical's templates make of `text` through `| e`."""
    return html.escape(text).replace("/", "&#x2f;")


def _title(text: str) -> str:
    match = re.search(r"<h1\b[^>]*>(.*?)</h1>", re.sub(r'<a class="headerlink".*?</a>', "", text, flags=re.S), re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def _describe(text: str, description: str) -> str:
    tag = f'<meta name="description" content="{html.escape(description, quote=True)}">'
    if re.search(r'<meta name="description" content="[^"]*">', text):
        return re.sub(r'<meta name="description" content="[^"]*">', lambda m: tag, text, count=1)
    return text.replace("<meta charset=\"utf-8\">", "<meta charset=\"utf-8\">\n      " + tag, 1)
