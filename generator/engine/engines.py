"""The publishing engines `contrat build` can hand the site to: MkDocs 1.6, ProperDocs, its continuation,
and Zensical, Material for MkDocs' successor.

ProperDocs (PyPI `properdocs`) is MkDocs 1.6 carried on under another name: the same configuration file,
the same plugin and theme entry points (`mkdocs.plugins`, `mkdocs.themes`). Importing
`properdocs.replacement` makes every later `import mkdocs…` (the engine's plugin, Material,
mkdocs-redirects) resolve to ProperDocs' modules. One process therefore holds one engine: the first one
loaded stays, and asking for the other one afterwards is refused with a message.

Zensical runs no MkDocs plugin and imports no MkDocs module: it is another kind of adapter
(zensical_site.py builds a plain docs tree from the pipeline's pages and runs the project's guarantees on
the built HTML). It can be loaded beside either of the others.

Nothing here imports an engine at module level: `contrat build` must start, and say what is missing,
when only one of them (or neither) is installed.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# name on the command line -> name the user reads
LABELS = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}
NAMES = tuple(LABELS)
PLUGIN_ENGINES = ("mkdocs", "properdocs")  # those that run the « contrat » plugin, in the order one is chosen by default
DEFAULT = PLUGIN_ENGINES[0]


class Unavailable(Exception):
    """The engine asked for cannot run in this process; the message says why, in French."""


@dataclass(frozen=True)
class Engine:
    """What a build needs from an engine: its configuration loader and its build, under one name.
    For Zensical (`staged`), `build` is zensical_site.build and the configuration fields are unused."""
    name: str
    version: str
    load_config: Callable[..., Any]     # (config_file, **options) -> the engine's configuration
    config_class: type                  # the configuration, to read a file without validating it
    build: Callable[..., None]          # (config) -> None, writes config.site_dir
    failures: tuple[type[BaseException], ...]  # what the engine raises for a failed build it has explained
    logger: str                         # the engine's root logger: its warnings and its plugins'
    staged: bool = False                # the site is built outside the engine's plugins (zensical_site.py)

    @property
    def label(self) -> str:
        """« MkDocs 1.6.1 », « ProperDocs 1.6.7 »: how a message names it."""
        return f"{LABELS[self.name]} {self.version}"


def loaded() -> str | None:
    """The engine whose modules this process has imported, or None."""
    module = sys.modules.get("mkdocs")
    if module is None:
        return "properdocs" if "properdocs.replacement" in sys.modules else None
    return "properdocs" if module.__name__ == "properdocs" else "mkdocs"


def installed(name: str) -> bool:
    """Whether engine `name` can be imported here (found without importing it)."""
    active = loaded()
    if active is not None and (active == name or name == "mkdocs"):
        return active == name  # once ProperDocs is loaded, « mkdocs » names it
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def choose(requested: str | None) -> str:
    """The engine to build with: the one asked for, else MkDocs, else ProperDocs."""
    if requested is not None:
        if requested not in LABELS:
            raise Unavailable(f"moteur de publication inconnu « {requested} » : choisissez parmi {', '.join(NAMES)}")
        return requested
    active = loaded()
    if active is not None:
        return active
    for name in PLUGIN_ENGINES:
        if installed(name):
            return name
    if installed("zensical"):
        raise Unavailable("ni MkDocs ni ProperDocs n'est installé : construisez avec Zensical (contrat build --moteur zensical) "
                          "ou installez MkDocs (pip install mkdocs), voir « Moteurs de publication » dans le README")
    raise Unavailable("aucun moteur de publication n'est installé : installez MkDocs (pip install mkdocs) "
                      "ou ProperDocs (pip install properdocs), voir « Moteurs de publication » dans le README")


def load(requested: str | None = None) -> Engine:
    """Import the chosen engine and return what a build calls. Raises Unavailable."""
    name = choose(requested)
    active = loaded()
    if name in PLUGIN_ENGINES and active is not None and active != name:
        raise Unavailable(f"le moteur {LABELS[active]} est déjà chargé dans ce processus : le moteur {LABELS[name]} "
                          f"ne peut y être chargé aussi ; lancez « contrat build --moteur {name} » à part")
    if not installed(name):
        raise Unavailable(f"le moteur {LABELS[name]} n'est pas installé (pip install {name}) ; "
                          f"moteurs possibles : {', '.join(NAMES)}, voir « Moteurs de publication » dans le README")
    if name == "zensical":
        from generator.engine import zensical_site
        return Engine(name=name, version=importlib.metadata.version(name), load_config=zensical_site.read_settings,
                      config_class=zensical_site.Settings, build=zensical_site.build, failures=(zensical_site.Failed,),
                      logger=name, staged=True)
    if name == "properdocs":
        import properdocs.replacement  # noqa: F401  # from here on, mkdocs.* is ProperDocs
        # As the `properdocs` command does: the legacy « mkdocs » logger (the engine's plugin logs there)
        # hangs under « properdocs », so that strict mode counts its warnings and they are shown.
        legacy = logging.getLogger("mkdocs")
        legacy.parent = logging.getLogger("properdocs")
        legacy.propagate = True
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError
    return Engine(name=name, version=importlib.metadata.version(name), load_config=load_config, config_class=MkDocsConfig,
                  build=build, failures=(Abort, ConfigurationError, PluginError), logger=name)
