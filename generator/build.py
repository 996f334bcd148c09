"""Build the static site with mkdocs, atomically: a failed build leaves the previous site in place."""
from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError


def build_site(config_file: Path, contract_dir: Path, site_dir: Path, pdf: bool = True) -> int:
    site_dir = site_dir.resolve()
    staging = site_dir.with_name(site_dir.name + ".en-cours")
    shutil.rmtree(staging, ignore_errors=True)
    errors = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(errors)
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=True)
        config["extra"]["contract_dir"] = str(contract_dir.resolve())
        config["extra"]["pdf"] = pdf
        build(config)
    except (Abort, ConfigurationError, PluginError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print("Construction du site impossible :", file=sys.stderr)
        print("\n".join(errors.messages) or str(exc), file=sys.stderr)
        print(f"Le site précédent ({site_dir}) est inchangé.", file=sys.stderr)
        return 1
    finally:
        logger.removeHandler(errors)
    previous = site_dir.with_name(site_dir.name + ".ancien")
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"Site construit dans {site_dir}")
    return 0


class _Collect(logging.Handler):
    """Keeps mkdocs' warnings and errors (our hook's included) to show them to the editor."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())
