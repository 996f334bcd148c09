"""Build the static site with a publishing engine (MkDocs, ProperDocs or Zensical, see engines.py), atomically,
and only ever replace a site a build made.

The site is built in a fresh staging folder beside the target, then swapped in; a failed build
(of any kind) removes its staging folder and leaves the previous site intact. A target folder
is refused when replacing it could destroy anything else: the project, the contract, docs/,
the home or root folder, or a folder holding what a site build does not write. The folder of hand-written pages (docs/) is
optional: when it is missing, the engine gets an empty one of its own, outside the repository.
"""
from __future__ import annotations

import errno
import fcntl
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from generator.core.problems import report
from generator.engine import engines, settings
from generator.publish import addresses
from generator.revisions import gitrepo

MARKER = ".contrat-site"   # left in every built site: a folder holding it may be replaced by a build
LOCK_WAIT = 10.0           # seconds a build waits for another build into the same folder


class Refused(Exception):
    """A --site-dir the build must not replace; the message says why, in French."""


def build_site(config_file: Path, contract_dir: Path, site_dir: Path, pdf: bool = True, engine: str | None = None) -> int:
    """Build into `site_dir` with `engine` (« mkdocs », « properdocs », « zensical »; None: MkDocs, else ProperDocs when
    MkDocs is not installed). Exit code: 0 built, 1 build failed (previous site intact), 2 refused."""
    site_dir = Path(os.path.abspath(site_dir))
    try:
        check_site_dir(site_dir, Path(config_file), Path(contract_dir))
        chosen = _engine(engine)
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with _lock(site_dir):
            check_site_dir(site_dir, Path(config_file), Path(contract_dir))  # it may have changed while we waited
            return _build_and_swap(chosen, config_file, contract_dir, site_dir, pdf)
    except Refused as exc:
        print(f"contrat : {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"contrat : dossier du site « {site_dir} » inutilisable : {exc.strerror or exc}", file=sys.stderr)
        return 1


def _engine(name: str | None) -> engines.Engine:
    try:
        return engines.load(name)
    except engines.Unavailable as exc:
        raise Refused(str(exc)) from None
    except ImportError as exc:  # installed but broken: a dependency of the engine is missing
        label = engines.LABELS.get(name or "", name or "de publication")
        raise Refused(f"le moteur {label} ne peut pas être chargé : {exc}") from None


def check_site_dir(site_dir: Path, config_file: Path, contract_dir: Path) -> None:
    """Raise Refused when `site_dir` is not a folder a build may (re)place."""
    project = config_file.resolve().parent
    protected = {"le dossier racine « / »": Path("/"), "le dossier personnel": Path.home(),
                 "le projet": project, "le dossier du contrat": contract_dir,
                 "le dossier docs/": project / "docs"}
    where = gitrepo.locate(project, tracked=False)
    if where is not None:
        protected["le dépôt git"] = where.repo
    if site_dir.is_symlink():
        raise Refused(f"« {site_dir} » est un lien symbolique : indiquez le dossier lui-même (--site-dir)")
    target = site_dir.resolve()
    for label, path in protected.items():
        path = path.resolve()
        if target == path or target in path.parents:
            raise Refused(f"« {site_dir} » est ou contient {label} ({path}) : la construction le remplacerait. "
                          "Choisissez un dossier à part pour le site (par défaut : site/)")
        if label in ("le dossier du contrat", "le dossier docs/") and path in target.parents:
            raise Refused(f"« {site_dir} » est à l'intérieur de {label} ({path}) : choisissez un dossier à part pour le site")
    if not site_dir.exists():
        return
    if not site_dir.is_dir():
        raise Refused(f"« {site_dir} » existe et n'est pas un dossier : la construction ne le remplace pas")
    if (site_dir / MARKER).is_file() or not any(site_dir.iterdir()):
        return
    foreign = _foreign(site_dir)
    if foreign:
        raise Refused(f"« {site_dir} » n'est pas un site construit par « contrat build » (pas de fichier {MARKER}) "
                      f"et contient « {foreign} », qu'une construction n'écrit pas : la construction le remplacerait. "
                      "Choisissez un dossier vide ou nouveau (--site-dir)")


def _foreign(folder: Path) -> str | None:
    """The first entry a site build never writes (a repository, data, a contract), or None."""
    for root, dirs, files in os.walk(folder):  # does not follow links to folders
        for name in dirs + files:
            path = Path(root) / name
            if name in (".git", "contract", ".hg", ".svn") or name.endswith((".yaml", ".yml")) or path.is_symlink():
                return str(path.relative_to(folder))
    return None


class _lock:
    """An exclusive lock on a hidden file beside the site: a second build into the same folder
    waits up to LOCK_WAIT seconds, then gives up with a clear message. The lock file stays
    (removing it would let a third build take a lock of its own)."""

    def __init__(self, site_dir: Path):
        self.path = site_dir.with_name(f".{site_dir.name}.verrou")

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                    os.close(self.fd)
                    raise Refused("une autre construction du site est en cours dans ce dossier "
                                  f"(verrou {self.path}) : réessayez quand elle sera finie") from None
                time.sleep(0.2)

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _build_and_swap(engine: engines.Engine, config_file: Path, contract_dir: Path, site_dir: Path, pdf: bool) -> int:
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", suffix=".en-cours", dir=site_dir.parent))
    errors = _Collect()
    logger = logging.getLogger(engine.logger)
    logger.addHandler(errors)
    stand_in = None
    try:
        unsafe = settings.code(Path(config_file))  # before anything reads mkdocs.yml as the engine does
        if unsafe:
            return _failed(engine, staging, site_dir, report(unsafe, "text"))
        if engine.staged:  # Zensical: the pipeline's pages as a docs tree, the guarantees on the built HTML
            engine.build(Path(config_file), Path(contract_dir), staging, pdf)
        else:
            missing = _missing_docs_dir(engine, Path(config_file))
            if missing is not None:  # docs/ is optional: the engine gets an empty one, outside the repository
                stand_in = Path(tempfile.mkdtemp(prefix="contrat-docs-vide-"))
            _plugin_build(engine, config_file, contract_dir, staging, pdf, missing, stand_in)
    except _NoPlugin as exc:
        return _failed(engine, staging, site_dir, str(exc))
    except engine.failures as exc:
        return _failed(engine, staging, site_dir, "\n".join(errors.messages) or str(exc))
    except Exception as exc:  # the PDF step, a file system error…: the same clean failure, no traceback
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        where = f" ({exc.filename})" if isinstance(exc, OSError) and exc.filename else ""
        return _failed(engine, staging, site_dir, f"erreur inattendue : {detail}{where}")
    except BaseException:  # interrupted: leave nothing behind, then stop
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(errors)
        if stand_in is not None:
            shutil.rmtree(stand_in, ignore_errors=True)
    return _swap(engine, contract_dir, site_dir, staging)


class _NoPlugin(Exception):
    """mkdocs.yml does not enable the engine's plugin."""


def _plugin_build(engine: engines.Engine, config_file: Path, contract_dir: Path, staging: Path, pdf: bool,
                  missing: Path | None, stand_in: Path | None) -> None:
    """Build with MkDocs or ProperDocs, the « contrat » plugin doing the rest; `stand_in` is the empty folder
    given to the engine in place of the `missing` docs folder mkdocs.yml names."""
    options = {"docs_dir": str(stand_in)} if stand_in is not None else {}
    # The file is named explicitly: ProperDocs then reads mkdocs.yml without asking to rename it.
    config = engine.load_config(str(config_file), site_dir=str(staging), strict=True, **options)
    plugin = config.plugins.get("contrat")
    if plugin is None:
        raise _NoPlugin(f"{config_file} n'active pas le greffon du contrat : ajoutez « plugins: [contrat] » (voir le README)")
    plugin.docs_dir = missing
    plugin.config.contract_dir = str(Path(contract_dir).resolve())
    plugin.config.pdf = pdf
    config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
    try:
        engine.build(config)
    finally:
        config.plugins.on_shutdown()


def _swap(engine: engines.Engine, contract_dir: Path, site_dir: Path, staging: Path) -> int:
    """Put the site built in `staging` in the place of `site_dir`, then say what the published list lacks."""
    (staging / MARKER).write_text("Site construit par « contrat build » : une construction peut remplacer ce dossier.\n",
                                  encoding="utf-8")
    previous = None
    if site_dir.exists():
        previous = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.", suffix=".ancien", dir=site_dir.parent))
        site_dir.rename(previous / "site")
    staging.chmod(0o755)  # mkdtemp makes it private; a published site is readable
    staging.rename(site_dir)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
    print(f"Site construit dans {site_dir} (moteur {engine.label})")
    note = addresses.unlisted(Path(contract_dir), site_dir)
    if note:
        print(note)
    return 0


def _missing_docs_dir(engine: engines.Engine, config_file: Path) -> Path | None:
    """The folder of hand-written pages that mkdocs.yml names (docs/ by default), when it does not
    exist; None when it does, or when mkdocs.yml cannot say (load_config then reports why)."""
    config = engine.config_class(config_file_path=str(config_file))
    try:
        with open(config_file, "rb") as fd:
            config.load_file(fd)
    except OSError:
        return None
    docs = config.get("docs_dir", "docs")
    if not isinstance(docs, str):
        return None
    docs = Path(os.path.abspath(config_file)).parent / docs
    return None if os.path.lexists(docs) else docs


def _failed(engine: engines.Engine, staging: Path, site_dir: Path, detail: str) -> int:
    shutil.rmtree(staging, ignore_errors=True)
    print(f"Construction du site impossible (moteur {engine.label}) :", file=sys.stderr)
    print(detail, file=sys.stderr)
    print(f"Le site précédent ({site_dir}) est inchangé.", file=sys.stderr)
    return 1


class _Collect(logging.Handler):
    """Keeps the engine's warnings and errors (the plugin's included) to show them to the editor."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())
