"""The build pipeline, outside any static-site engine: everything the site is made of, from the contract folder.

    check → history → versions → render (pages, past versions, the engine's own pages) → data → feed → nav

Nothing is written here: `make` returns one frozen `Site` that an engine adapter (the MkDocs plugin) hands
to its engine. The guarantees that run on the built site whatever the engine (redirect pages, search
index, published addresses, PDF, the theme's frame) are in `finish` and in publish/addresses.py.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.check.pipeline import check
from generator.core.model import Contract
from generator.core.problems import Problem
from generator.engine import theme
from generator.publish import addresses, export, feed, opendata, pdf
from generator.revisions import history, versions
from generator.site import reading, search, urls
from generator.site.markup import plain
from generator.site.render import Inputs, Page, Renderer, version_pages

ENGINE_PAGES = Path(__file__).resolve().parents[1] / "site" / "pages"  # the engine's own pages (the search page)


@dataclass(frozen=True)
class Site:
    """What the site is made of. With problems, nothing else: the site is not built from such data."""
    problems: list[Problem]
    contract: Contract | None = None
    pages: Mapping[str, Page] = field(default_factory=dict)         # generated pages, current and past versions
    engine_pages: Mapping[str, str] = field(default_factory=dict)   # Markdown of the engine's own pages
    files: Mapping[str, str | bytes] = field(default_factory=dict)  # served as they are: open data, feed
    nav: list = field(default_factory=list)
    name: str = ""                       # plain text
    description: str = ""                # plain text, may be empty
    publication: Mapping[str, str] = field(default_factory=dict)    # licence and version, as the footer states them
    redirects: Mapping[str, str] = field(default_factory=dict)      # {old page: new page} the revisions imply
    numbers: Mapping[str, dict] = field(default_factory=dict)       # search fields of the numbered pages
    placeholders: Mapping[str, str] = field(default_factory=dict)   # « {{ name }} » of hand-written pages
    notices: list[str] = field(default_factory=list)                # said while building, not problems
    pdf: bool = False                    # whether `finish` writes the printable contract's PDF

    @property
    def ok(self) -> bool:
        return not self.problems


def make(contract_dir: Path, site_url: str = "", pdf: bool = False, nav: list | None = None,
         reporting: bool = False) -> Site:
    """The site of the contract in `contract_dir`, published at `site_url` (when known); `nav` is the
    hand-written part of the menu, after the generated one; `reporting`: whether each page has the theme's
    « Signaler une erreur » (theme.reports)."""
    result = check(contract_dir)
    if not result.ok:
        return Site(result.problems)
    contract = result.contract
    assert contract is not None  # no problems: the contract was linked
    past = history.collect(contract_dir, contract)
    every_version = tuple(versions.versions(contract, past))
    meta = contract.meta
    declared = meta.get("publication") or {}
    inputs = render_inputs(contract, past, every_version, site_url, pdf, reporting)
    publication = dict(inputs.publication)
    renderer = Renderer(inputs)
    return Site(
        problems=[],
        contract=contract,
        pages={**renderer.pages(), **version_pages(inputs)},
        engine_pages={p.name: p.read_text(encoding="utf-8") for p in sorted(ENGINE_PAGES.glob("*.md"))},
        files={feed.PATH: feed.atom(contract, site_url), urls.SEARCH_PANEL: search.panel(contract),
               **opendata.files(contract, publication)},
        nav=renderer.nav(nav or []),
        name=plain(declared.get("name") or meta["title"]),
        description=plain(declared["description"]) if declared.get("description") else "",
        publication=publication,
        redirects=addresses.derived_redirects(contract),
        numbers=search.filters(contract),
        placeholders=search.examples(contract),
        notices=[f"Attention : la version « {v.slug} » du contrat est indiquée comme indisponible : {v.unavailable}."
                 for v in every_version if v.unavailable],
        pdf=pdf,
    )


def render_inputs(contract: Contract, past: history.History | None = None, every_version: tuple[versions.Version, ...] = (),
                  site_url: str = "", pdf: bool = False, reporting: bool = False) -> Inputs:
    """What the renderer is given: the history and versions, the publication terms with the version shown
    in words, the site's address, the PDF's when one is made, and the open-data page's summary (its files, their
    rows, the table its command line exports)."""
    past = past or history.History()
    declared = contract.meta.get("publication") or {}
    version = reading.version(contract, past)
    publication = {**{k: declared[k] for k in ("licence", "licence_url") if k in declared}, "version": version}
    return Inputs(contract, past, every_version, publication, site_url, urls.PDF if pdf else None, reporting,
                  data={"package": opendata.datapackage(contract, publication), "rows": opendata.rows(contract),
                        "schema_kinds": opendata.SCHEMA_KINDS,
                        "table": export.default_table(contract).stem})


def finish(site: Site, site_dir: Path, redirects: Mapping[str, str]) -> None:
    """On the site an engine has written into `site_dir`: the theme's frame made valid and accessible on every
    page (engine/theme.py), the redirect pages (those `addresses.served` kept), the search index, and the
    printable contract's PDF when asked. Raises OSError, RuntimeError or subprocess.SubprocessError when the
    search index cannot be made."""
    theme.finish_site(site_dir)
    addresses.write_redirect_pages(site_dir, redirects)
    search.index_site(site_dir)
    if site.pdf:
        printable = site.pages[urls.PAGES["print"]]
        target = site_dir / urls.PDF
        target.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_pdf(printable.title, printable.markdown, target)
