"""The engine's import graph, read from its source: which module of generator/ imports which."""
from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
# The stages, bottom up: a module may import its own stage and those below it, never one above.
STAGES = ("core", "check", "revisions", "site", "publish", "engine")


def module_name(path: Path) -> str:
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage(module: str) -> int:
    """The rank of a module's stage; the package's entry points (cli, plugin) sit above every stage."""
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 2 and parts[1] in STAGES else len(STAGES)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(GENERATOR.rglob("*.py"))}


@cache
def imports(module: str) -> frozenset[str]:
    """The engine modules `module` imports, at its top or inside a function: `from generator.x import y`
    counts as generator.x.y when y is a module, else as generator.x."""
    known, path = modules(), modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "generator":
                continue
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return frozenset(found & known.keys() - {module})


def third_party(module: str) -> frozenset[str]:
    """The top-level names of the libraries `module` imports."""
    found = set()
    for node in ast.walk(ast.parse(modules()[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return frozenset(found - {"generator"})
