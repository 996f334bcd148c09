"""Published addresses: the site's public interface.

People cite and link the site's addresses (« fiches/2.4.3/ », « annexes/#annexe-3 »). Each build
publishes the sorted list of every address it serves (PUBLISHED, at the site's root): each page,
each old address left as a redirect, and the anchor of each entity that shares a page with
others. The contract folder keeps the list as last published (pipeline.ADDRESSES_FILE): a build
that no longer serves one of its addresses fails (CV320), unless a redirect is declared.

Redirects are written by the maintained plugin mkdocs-redirects: those declared in mkdocs.yml
(`redirect_maps`), and those derived here from the revisions (avenants, rectifications,
corrections de transcription) that renumber an entity with a page of its own.
"""
from __future__ import annotations

import html
import logging
import posixpath
import shlex
from pathlib import Path
from urllib.parse import quote

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs_redirects.plugin import get_html_path, get_relative_html_path

from generator.check.pipeline import ADDRESSES_FILE, display_path
from generator.check.tree import MAX_FILE_BYTES, TooLarge, Unreadable, from_directory
from generator.core import codes, registry
from generator.core.model import Contract
from generator.core.problems import Problem, excerpt, report
from generator.core.registry import COLLECTIONS
from generator.core.schemas import matches, schema_for
from generator.site.search import BUNDLE
from generator.site.urls import anchor, collection_path, is_page, markdown_path, page_path, public_address, public_url

PUBLISHED = "adresses.txt"   # at the site's root
PLUGIN = "redirects"         # mkdocs-redirects, as named in mkdocs.yml
OWN_PAGES = {c.name for c in COLLECTIONS.values() if c.template}  # collections with a page per entity
log = logging.getLogger("mkdocs.plugins.contrat")


def derived_redirects(contract: Contract) -> dict[str, str]:
    """{old page: new page} (Markdown paths) for each entity that a revision renumbered and that
    has a page of its own, following later renumberings to the page that serves it now. An
    entity renumbered and then removed, or whose old number is used again, has none."""
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
            redirects[collection_path(collection, {"id": old_id})] = page_path(target)
    return dict(sorted(redirects.items()))


def _possible_id(collection: str, id_: str) -> bool:
    """An id the collection's schema allows: what a page address may be made of."""
    pattern = schema_for(COLLECTIONS[collection].schema)["properties"]["id"].get("pattern")
    return bool(pattern and matches(pattern, id_))


def _entity(contract: Contract, key: str):
    collection, _, id_ = key.partition("/")
    return contract.get(collection, id_)


def configure(config, contract: Contract | None) -> None:
    """At on_config: give mkdocs-redirects the declared redirects and those of the revisions
    (a declaration wins); none while the data has problems (the pages they lead to are not built)."""
    plugin = config.plugins.get(PLUGIN)
    derived = derived_redirects(contract) if contract is not None else {}
    if plugin is None:
        if derived:
            raise PluginError(f"des révisions renumérotent des pages ({', '.join(derived)}) : ajoutez le greffon "
                              f"« {PLUGIN} » (mkdocs-redirects) à « plugins » dans mkdocs.yml pour que leurs anciennes "
                              "adresses mènent aux nouvelles")
        return
    plugin.config["redirect_maps"] = {**derived, **(plugin.config["redirect_maps"] if contract is not None else {})}


def served(files: Files, config, contract: Contract) -> tuple[list[str], list[Problem]]:
    """(every address the site serves, sorted; what is wrong with the declared redirects, at their line
    of mkdocs.yml). A wrong redirect is dropped: mkdocs-redirects writes only the others.

    A redirect leads to a page of this site, or to an anchor the site publishes (an entity on a shared
    page): never to another site, never to text that would be pasted into its page. It starts from an
    address no file of the site occupies (a page, a data file, the feed, the search bundle)."""
    pages = {f.src_uri: f.url for f in files.documentation_pages()}
    addresses = set(pages.values())
    anchors = {public_address(e) for c in contract.collections for e in contract.all(c) if anchor(e)}
    occupied = {f.dest_uri for f in files} | {BUNDLE, PUBLISHED}  # and what is added after this check
    errors, kept = [], {}
    plugin = config.plugins.get(PLUGIN)
    config_text = Path(config.config_file_path).read_text(encoding="utf-8") if config.config_file_path else ""

    def refused(old: str, message: str) -> None:
        line, column = _position(config_text, old)
        errors.append(Problem(display_path(Path(config.config_file_path or "mkdocs.yml")), line, column, codes.PUBLISHED_ADDRESS,
                              f"la redirection de « {excerpt(old)} » {message}"))

    for old, new in (plugin.config["redirect_maps"] if plugin is not None else {}).items():
        old, new = str(old), str(new)
        page, hash_, fragment = new.partition("#")
        if not is_page(old) or posixpath.normpath(old) != old or old.startswith(("/", "../")):
            refused(old, "ne part pas d'une page du site : indiquez le fichier Markdown de l'ancienne page, relatif "
                         "au site (ex. « fiches/2.1.2.md »)")
        elif _url(old) in addresses:
            refused(old, "remplacerait la page servie à cette adresse : retirez-la de « redirect_maps »")
        elif _collides(get_html_path(old, True), occupied):
            refused(old, "écrirait sa page à l'emplacement d'un fichier publié par le site (données, flux, index de "
                         "recherche…) : choisissez une autre ancienne adresse ou retirez-la de « redirect_maps »")
        elif page not in pages:
            refused(old, f"mène à « {excerpt(new)} », qui n'est pas une page du site : indiquez le fichier Markdown "
                         "d'une page (ex. « fiches/1.2.3.md »), jamais une adresse d'un autre site")
        elif hash_ and public_url(page, fragment) not in anchors:
            refused(old, f"mène à l'ancre « {excerpt(fragment)} », que le site ne publie pas : indiquez la page seule, "
                         f"ou une ancre de la liste « {PUBLISHED} » (une entité d'une page partagée)")
        else:
            kept[old] = new
    if plugin is not None:
        plugin.config["redirect_maps"] = kept
    addresses.update(_url(old) for old in kept)
    addresses.update(anchors)
    return sorted(addresses), errors


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


def write_redirect_pages(config) -> None:
    """After mkdocs-redirects (on_post_build): each redirect page written again by the engine, in French, its
    target (checked by `served`) escaped in every attribute and absent from the script, which reads it from the page."""
    plugin = config.plugins.get(PLUGIN)
    for old, new in (plugin.config["redirect_maps"] if plugin is not None else {}).items():
        page, hash_, fragment = str(new).partition("#")
        target = get_relative_html_path(old, _url(page) + hash_ + fragment, config.use_directory_urls)
        url = html.escape(quote(target, safe="/#.-_~%"), quote=True)
        path = Path(config.site_dir) / get_html_path(old, config.use_directory_urls)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(REDIRECT_PAGE.format(url=url), encoding="utf-8")


def _position(text: str, key: str) -> tuple[int, int]:
    """Line and column of a redirect's old page in mkdocs.yml (its `redirect_maps` line when not found as written)."""
    for number, line in enumerate(text.splitlines(), 1):
        if key in line:
            return number, line.index(key) + 1
    return next(((n, line.index("redirect_maps") + 1) for n, line in enumerate(text.splitlines(), 1)
                 if "redirect_maps" in line), (1, 1))


def _url(markdown_path: str) -> str:
    return File(markdown_path, "", "", use_directory_urls=True).url


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
                    "en crée une d'elle-même) ou, si la page disparaît vraiment, supprimez cette ligne de la liste")
        problems.append(Problem(shown, number, 1, codes.PUBLISHED_ADDRESS,
                                f"l'adresse publiée « {excerpt(address)} » n'est plus servie par le site : {todo}"))
    return problems


def publish(files: Files, config, contract: Contract, contract_dir: Path, serving: bool = False) -> Files:
    """At on_files: add the list of addresses to the site, and check that every address of the list
    last published is still served. Problems stop a build; `mkdocs serve` reports them and goes on."""
    addresses, errors = served(files, config, contract)
    files.append(File.generated(config, PUBLISHED, content="\n".join(addresses) + "\n"))
    shown = display_path(contract_dir / ADDRESSES_FILE)
    lines, problems = read_list(contract_dir)
    problems = errors + problems + check(lines or [], addresses, shown)
    message = report(problems, "text") if problems else ""
    if message and not serving:
        raise PluginError("Adresses publiées :\n" + message)
    if message:
        log.info("Adresses publiées :\n" + message)  # a warning would abort `mkdocs serve` (strict)
    return files


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
