"""Published addresses: the site's public interface.

People cite and link the site's addresses (« fiches/2.4.3/ », « annexes/#annexe-3 »). Each build
publishes the sorted list of every address it serves (PUBLISHED, at the site's root): each page,
each old address left as a redirect, and the anchor of each entity that shares a page with
others. The contract folder keeps the list as last published (pipeline.ADDRESSES_FILE): a build
that no longer serves one of its addresses fails (CV320), unless a redirect is declared.

Redirects are declared in mkdocs.yml (`redirect_maps` of the redirects plugin) or derived here
from the revisions (avenants, rectifications, corrections de transcription) that renumber an
entity with a page of its own. Whatever the engine, their pages are written here, in French.
"""
from __future__ import annotations

import html
import posixpath
import shlex
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from generator.check.pipeline import ADDRESSES_FILE, display_path
from generator.check.tree import MAX_FILE_BYTES, TooLarge, Unreadable, from_directory
from generator.core import codes, registry
from generator.core.model import Contract
from generator.core.problems import Problem, excerpt
from generator.core.registry import COLLECTIONS
from generator.core.schemas import matches, schema_for
from generator.site.search import BUNDLE
from generator.site.urls import (
    PAGES,
    anchor,
    collection_path,
    former_paths,
    html_path,
    is_page,
    markdown_path,
    page_path,
    public_address,
    public_url,
)

PUBLISHED = "adresses.txt"   # at the site's root
PLUGIN = "redirects"         # mkdocs-redirects, as named in mkdocs.yml
OWN_PAGES = {c.name for c in COLLECTIONS.values() if c.template}  # collections with a page per entity


def derived_redirects(contract: Contract) -> dict[str, str]:
    """{old page: new page} (Markdown paths) for each entity that a revision renumbered and that
    has a page of its own, following later renumberings to the page that serves it now (an
    entity renumbered and then removed, or whose old number is used again, has none); and for
    each item of a level, from the folders its level left (`former_folders`) to its page."""
    moved = {old: page_path(e, contract.structure) for level in contract.structure.levels
             for e in contract.all(level.slot) for old in former_paths(e, contract.structure)}
    return dict(sorted({**moved, **_renumbered(contract)}.items()))


def _renumbered(contract: Contract) -> dict[str, str]:
    moves: dict[str, str] = {}
    for collection in registry.RECORDS:
        for record in contract.all(collection):
            for change in record.data.get("changes", ()):
                if change.get("operation") == "renumber" and change.get("to"):
                    moves[change["entity"]] = change["to"]
    redirects = {}
    for old, new in moves.items():
        collection, _, old_id = old.partition("/")
        if collection not in OWN_PAGES or _entity(contract, old) is not None or not _possible_id(collection, old_id):
            continue
        seen = {old}
        while _entity(contract, new) is None and new in moves and new not in seen:
            seen.add(new)
            new = moves[new]
        target = _entity(contract, new)
        if target is not None and target.collection in OWN_PAGES:
            redirects[collection_path(collection, {"id": old_id}, contract.structure)] = page_path(target, contract.structure)
    return redirects


def _possible_id(collection: str, id_: str) -> bool:
    """An id the collection's schema allows: what a page address may be made of."""
    pattern = schema_for(COLLECTIONS[collection].schema)["properties"]["id"].get("pattern")
    return bool(pattern and matches(pattern, id_))


def _entity(contract: Contract, key: str):
    collection, _, id_ = key.partition("/")
    return contract.get(collection, id_)


def _example(contract: Contract) -> str:
    """A page of the site, to show how a redirect names one: the first item of its deepest level that has
    items (« fiches/1.1.1.md », « defis/1.md »)."""
    for level in reversed(contract.structure.levels):
        items = contract.all(level.slot)
        if items:
            return page_path(items[0], contract.structure)
    return PAGES["search"]


def served(pages: Mapping[str, str], occupied: set[str], redirects: Mapping[str, str], contract: Contract,
           config_file: Path | None) -> tuple[list[str], dict[str, str], list[Problem]]:
    """(every address the site serves, sorted; the redirects kept; what is wrong with the others, at their
    line of the configuration file). `pages` maps each page's Markdown file to its address, `occupied`
    holds every file the site writes. A wrong redirect is dropped: its page is not written.

    A redirect leads to a page of this site, or to an anchor the site publishes (an entity on a shared
    page): never to another site, never to text that would be pasted into its page. It starts from an
    address no file of the site occupies (a page, a data file, the feed, the search bundle)."""
    addresses = set(pages.values())
    anchors = {public_address(e, contract.structure) for c in contract.collections for e in contract.all(c) if anchor(e)}
    occupied = occupied | {BUNDLE, PUBLISHED}  # and what is added after this check
    errors: list[Problem] = []
    kept: dict[str, str] = {}
    example = _example(contract)
    config_text = config_file.read_text(encoding="utf-8") if config_file else ""

    def refused(old: str, message: str) -> None:
        line, column = _position(config_text, old)
        errors.append(Problem(display_path(config_file or Path("mkdocs.yml")), line, column, codes.PUBLISHED_ADDRESS,
                              f"la redirection de « {excerpt(old)} » {message}"))

    for old, new in redirects.items():
        old, new = str(old), str(new)
        page, hash_, fragment = new.partition("#")
        if not is_page(old) or posixpath.normpath(old) != old or old.startswith(("/", "../")):
            refused(old, "ne part pas d'une page du site : indiquez le fichier Markdown de l'ancienne page, relatif "
                         f"au site (ex. « {example} »)")
        elif public_url(old) in addresses:
            refused(old, "remplacerait la page servie à cette adresse : retirez-la de « redirect_maps »")
        elif _collides(html_path(old), occupied):
            refused(old, "écrirait sa page à l'emplacement d'un fichier publié par le site (données, flux, index de "
                         "recherche…) : choisissez une autre ancienne adresse ou retirez-la de « redirect_maps »")
        elif page not in pages:
            refused(old, f"mène à « {excerpt(new)} », qui n'est pas une page du site : indiquez le fichier Markdown "
                         f"d'une page (ex. « {example} »), jamais une adresse d'un autre site")
        elif hash_ and public_url(page, fragment) not in anchors:
            refused(old, f"mène à l'ancre « {excerpt(fragment)} », que le site ne publie pas : indiquez la page seule, "
                         f"ou une ancre de la liste « {PUBLISHED} » (une entité d'une page partagée)")
        else:
            kept[old] = new
    addresses.update(public_url(old) for old in kept)
    addresses.update(anchors)
    return sorted(addresses), kept, errors


def _collides(dest: str, occupied: set[str]) -> bool:
    """Whether a page written at `dest` (« flux.xml/index.html ») would take the place of a published file
    or need one to be a folder."""
    parts = dest.split("/")
    return any("/".join(parts[:n]) in occupied for n in range(1, len(parts) + 1))


REDIRECT_PAGE = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Cette page a changé d'adresse</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{url}">
<script>var to=document.querySelector('link[rel="canonical"]').getAttribute("href");location.replace(location.hash ? to.split("#")[0] + location.hash : to)</script>
<meta http-equiv="refresh" content="0; url={url}">
</head>
<body>
<h1>Cette page a changé d'adresse</h1>
<p>Elle se trouve désormais ici : <a href="{url}">{url}</a>.</p>
</body>
</html>
"""


def write_redirect_pages(site_dir: Path, redirects: Mapping[str, str]) -> None:
    """Each redirect's page (kept by `served`), in French: its target escaped in every attribute and absent
    from the script, which reads it from the page."""
    for old, new in redirects.items():
        page, hash_, fragment = new.partition("#")
        target = posixpath.relpath(public_url(page), start=posixpath.dirname(html_path(old))) + "/" + hash_ + fragment
        url = html.escape(quote(target, safe="/#.-_~%"), quote=True)
        path = site_dir / html_path(old)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(REDIRECT_PAGE.format(url=url), encoding="utf-8")


def _position(text: str, key: str) -> tuple[int, int]:
    """Line and column of a redirect's old page in mkdocs.yml (its `redirect_maps` line when not found as written)."""
    for number, line in enumerate(text.splitlines(), 1):
        if key in line:
            return number, line.index(key) + 1
    return next(((n, line.index("redirect_maps") + 1) for n, line in enumerate(text.splitlines(), 1)
                 if "redirect_maps" in line), (1, 1))


def read_list(contract_dir: Path) -> tuple[list[str] | None, list[Problem]]:
    """The lines of the list last published, kept in the contract folder (None without one)."""
    tree = from_directory(contract_dir)
    if tree.kind(ADDRESSES_FILE) is None:
        return None, []
    try:
        return tree.read(ADDRESSES_FILE).decode("utf-8").splitlines(), []
    except (TooLarge, Unreadable, UnicodeDecodeError):
        return None, [Problem(display_path(contract_dir / ADDRESSES_FILE), 1, 1, codes.PUBLISHED_ADDRESS,
                              f"liste des adresses publiées illisible : un fichier ordinaire en UTF-8 de {MAX_FILE_BYTES // 1024 // 1024} "
                              f"Mio au plus est attendu ; remplacez-la par le « {PUBLISHED} » d'une construction du site")]


def check(lines: list[str], addresses: list[str], shown: str) -> list[Problem]:
    """One problem for each address of the list last published (`lines` of file `shown`) that the
    site no longer serves, saying what to do."""
    served_now = set(addresses)
    problems = []
    for number, line in enumerate(lines, 1):
        address = line.strip()
        if not address or address in served_now:
            continue
        page = address.partition("#")[0]
        if "#" in address:
            todo = "une ancre ne se redirige pas : si sa disparition est voulue, supprimez cette ligne de la liste"
        else:
            source = markdown_path(page)
            todo = (f"déclarez une redirection vers la page qui la remplace (mkdocs.yml, greffon « {PLUGIN} » : "
                    f"redirect_maps: {{\"{excerpt(source)}\": \"….md\"}} ; la renumérotation déclarée par un avenant "
                    "en crée une d'elle-même, comme l'ancien dossier d'un niveau déclaré dans « former_folders ») ou, si la "
                    "page disparaît vraiment, supprimez cette ligne de la liste")
        problems.append(Problem(shown, number, 1, codes.PUBLISHED_ADDRESS,
                                f"l'adresse publiée « {excerpt(address)} » n'est plus servie par le site : {todo}"))
    return problems


def publish(pages: Mapping[str, str], occupied: set[str], redirects: Mapping[str, str], contract: Contract,
            config_file: Path | None, contract_dir: Path) -> tuple[str, dict[str, str], list[Problem]]:
    """Whatever the engine: (the list of addresses the site serves, to publish as PUBLISHED; the redirects kept;
    the problems — wrong redirects, and addresses of the list last published, kept in the contract folder,
    that the site no longer serves, or that list unreadable). Problems stop a build; a served preview reports
    them and goes on."""
    served_now, kept, errors = served(pages, occupied, redirects, contract, config_file)
    lines, unreadable = read_list(contract_dir)
    found = errors + unreadable + check(lines or [], served_now, display_path(contract_dir / ADDRESSES_FILE))
    return "\n".join(served_now) + "\n", kept, found


def unlisted(contract_dir: Path, site_dir: Path) -> str | None:
    """After a build: a reminder to publish the addresses the site serves and the list does not hold
    yet, or, for a contract without a list (a new city), how to start one."""
    lines, problems = read_list(contract_dir)
    if problems:
        return None
    if lines is None:
        command = f"cp {shlex.quote(display_path(site_dir / PUBLISHED))} {shlex.quote(display_path(contract_dir / ADDRESSES_FILE))}"
        return ("Pas encore de liste des adresses publiées : commencez-la avec « " + command + " », "
                "et chaque construction vérifiera qu'aucune adresse publiée ne disparaît")
    listed = {line.strip() for line in lines}
    new = [a for a in (site_dir / PUBLISHED).read_text(encoding="utf-8").splitlines() if a not in listed]
    if not new:
        return None
    return (f"{len(new)} adresse(s) nouvelle(s), absente(s) de {display_path(contract_dir / ADDRESSES_FILE)} (par exemple "
            f"« {new[0]} ») : pour les publier, copiez-y {display_path(site_dir / PUBLISHED)}")
