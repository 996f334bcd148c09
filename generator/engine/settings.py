"""The deployment settings (mkdocs.yml and the CONTRAT_* variables it reads), checked like the data.

A pull request can change mkdocs.yml as it changes the contract. Two checks, both CV330 at the line
of mkdocs.yml:

- `code`, before MkDocs reads the file: what would run Python when it does. MkDocs' YAML loader
  builds `!!python/…` objects, imports the files listed under `hooks:` and the Markdown extensions
  by module name (a `hook.py` beside mkdocs.yml would do), and loads a parent file (`INHERIT:`)
  the same way. Only the engine's plugins and Markdown's own extensions (or those of the packages
  installed with the engine) are accepted.
- `values`, once MkDocs has read it (the CONTRAT_* variables resolved): the addresses and the
  contact the pages print. An address is http(s), with nothing a page would need to escape; a
  contact is a plain e-mail address, nothing after it (no « ?bcc= » into every « Signaler une
  erreur »).
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from generator.check.pipeline import display_path
from generator.core import codes
from generator.core.problems import Problem, excerpt

# The engine, mkdocs-redirects (addresses.PLUGIN) and MkDocs' own search; no other installed plugin (Material's
# « social » or « privacy » would call other sites).
PLUGINS = ("contrat", "redirects", "search")
# Markdown extensions named by a module path: the packages installed with the engine, never a file of the project.
EXTENSION_PACKAGES = ("markdown", "pymdownx", "material")
_TAGS = {"!ENV", "!relative"} | {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq",
                                                                     "timestamp", "binary", "merge")}
_INHERIT_DEPTH = 5
# An address the pages print as it is (canonical link, edit and report links): no quote, space, angle
# bracket, backslash or query; a host of letters, digits, dots and dashes.
_ADDRESS = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~+@:/-]*)?")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "0.0.0.0"}
# A plain addr-spec (RFC 5322 dot-atom): nothing that a mailto: address would read as its end (« ? », « % », « # »).
_EMAIL = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
VALUES = {"site_url": ("site_url",), "repo_url": ("repo_url",), "contact_email": ("extra", "contact_email")}


def _markdown_extensions() -> set[str]:
    from importlib.metadata import entry_points
    return {e.name for e in entry_points(group="markdown.extensions")}


def code(config_file: Path, depth: int = 0) -> list[Problem]:
    """What in `config_file` (and the files it inherits from) would run Python when MkDocs reads it."""
    shown = display_path(config_file)
    try:
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # MkDocs says why it cannot read it
    problems: list[Problem] = []

    def refuse(node: yaml.Node, message: str) -> None:
        problems.append(Problem(shown, node.start_mark.line + 1, node.start_mark.column + 1, codes.SITE_SETTINGS, message))

    for node in _nodes(root):
        if node.tag not in _TAGS:
            refuse(node, f"étiquette YAML « {excerpt(node.tag.replace('tag:yaml.org,2002:', '!!'))} » refusée : "
                         "MkDocs exécuterait du code Python en lisant mkdocs.yml")
    top = {k.value: (k, v) for k, v in root.value} if isinstance(root, yaml.MappingNode) else {}
    if "hooks" in top:
        refuse(top["hooks"][0], "« hooks » refusé : ce sont des fichiers Python que MkDocs exécuterait à chaque "
                                "construction, y compris celle d'une proposition de modification ; le greffon contrat "
                                "fait ce dont le site a besoin")
    for name, node in _names(top.get("plugins", (None, None))[1]):
        if name not in PLUGINS:
            refuse(node, f"greffon « {excerpt(name)} » refusé : seuls " + ", ".join(PLUGINS) + " sont permis (un autre "
                         "exécuterait son code à la construction, ou appellerait un autre site)")
    known = _markdown_extensions()
    for name, node in _names(top.get("markdown_extensions", (None, None))[1]):
        if name not in known and name.split(".")[0].split(":")[0] not in EXTENSION_PACKAGES:
            refuse(node, f"extension Markdown « {excerpt(name)} » refusée : seules celles de Markdown et des paquets "
                         "installés avec le moteur (" + ", ".join(EXTENSION_PACKAGES) + ") sont permises ; un autre nom "
                         "ferait importer un fichier Python du projet")
    inherit = top.get("INHERIT", (None, None))[1]
    if isinstance(inherit, yaml.ScalarNode):
        if depth >= _INHERIT_DEPTH:
            refuse(inherit, f"« INHERIT » : plus de {_INHERIT_DEPTH} fichiers hérités les uns des autres")
        else:
            problems += code(config_file.parent / inherit.value, depth + 1)
    return problems


def _nodes(node):
    """Every node of a composed YAML document (aliases are the same objects: each is visited once)."""
    seen, stack = set(), [node]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _names(node):
    """(name, node) of each entry of a `plugins` or `markdown_extensions` list or mapping."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                yield item.value, item
            elif isinstance(item, yaml.MappingNode):
                yield from ((k.value, k) for k, _ in item.value if isinstance(k, yaml.ScalarNode))
    elif isinstance(node, yaml.MappingNode):
        yield from ((k.value, k) for k, _ in node.value if isinstance(k, yaml.ScalarNode))


def values(config, serving: bool = False) -> list[Problem]:
    """What is wrong with the addresses and the contact that the pages print (CONTRAT_* variables resolved)."""
    config_file = Path(config.config_file_path)
    marks = _marks(config_file)
    problems = []
    for key, path in VALUES.items():
        value = config.get(key) if len(path) == 1 else (config.extra or {}).get(path[1])
        if not value:
            continue
        wrong = _email(str(value)) if key == "contact_email" else _address(str(value), serving)
        if wrong:
            line, column, variable = marks.get(path, (1, 1, None))
            source = f"« {key} »" + (f" (variable {variable})" if variable else "")
            problems.append(Problem(display_path(config_file), line, column, codes.SITE_SETTINGS,
                                    f"{source} vaut « {excerpt(str(value))} » : {wrong}"))
    # `mkdocs serve` sets site_url to its own local address: only a real build is meant for publication.
    if config.site_url and not serving and not ((config.extra or {}).get("contact_email") or config.repo_url):
        problems.append(Problem(display_path(config_file), 1, 1, codes.SITE_SETTINGS,
                                "un site destiné à être publié (site_url, variable CONTRAT_SITE_URL) doit dire comment joindre "
                                "ceux qui le publient : indiquez une adresse de contact (extra.contact_email, variable "
                                "CONTRAT_CONTACT_EMAIL) ou l'adresse du dépôt sur la forge (repo_url, variable CONTRAT_REPO_URL) ; "
                                "elle sert au lien « Signaler une erreur » de chaque page et à la déclaration d'accessibilité"))
    return problems


def _address(value: str, serving: bool) -> str | None:
    if not _ADDRESS.fullmatch(value):
        return ("une adresse https:// est attendue (http:// pour un usage local), sans guillemet, espace, chevron, "
                "barre oblique inverse, « ? » ni « # » (ex. https://contrat.example.org/)")
    if value.startswith("http://") and not serving and urlsplit(value).hostname not in {h.strip("[]") for h in _LOCAL_HOSTS}:
        return "une adresse publique commence par https:// (http:// n'est admis que pour un usage local, localhost ou 127.0.0.1)"
    return None


def _email(value: str) -> str | None:
    if _EMAIL.fullmatch(value):
        return None
    return ("une adresse électronique simple est attendue (ex. contact@ville.example), sans nom, chevron, espace "
            "ni rien après elle (« ?bcc=… » ajouterait un destinataire à chaque « Signaler une erreur »)")


def _marks(config_file: Path) -> dict[tuple, tuple[int, int, str | None]]:
    """{key path: (line, column, the environment variable its !ENV tag names)} for the checked values."""
    try:
        root = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    out = {}
    for path in VALUES.values():
        node = root
        for key in path:
            node = next((v for k, v in node.value if k.value == key), None) if isinstance(node, yaml.MappingNode) else None
        if node is not None:
            variable = None
            if node.tag == "!ENV":
                first = node.value[0] if isinstance(node, yaml.SequenceNode) and node.value else node
                variable = first.value if isinstance(first, yaml.ScalarNode) else None
            out[path] = (node.start_mark.line + 1, node.start_mark.column + 1, variable)
    return out


if __name__ == "__main__":  # `make serve` runs it before `mkdocs serve`, which would read mkdocs.yml as it is
    import sys

    from generator.core.problems import report
    found = code(Path(sys.argv[1] if len(sys.argv) > 1 else "mkdocs.yml"))
    if found:
        print("Configuration du site refusée :\n" + report(found, "text"), file=sys.stderr)
    sys.exit(1 if found else 0)
