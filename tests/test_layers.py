"""The engine's stages import one way, down: core ← check ← revisions ← site ← publish ← engine ← cli, plugin.
A module that imports a stage above its own, or modules that import each other (directly or round a
longer loop), fail here, named."""
from __future__ import annotations

import pytest

from tests.imports import STAGES, imports, modules, stage, third_party

ENGINE_ADAPTERS = {"generator.plugin", "generator.engine.build", "generator.engine.engines"}  # the only modules that know MkDocs


def test_every_stage_is_a_package_of_the_layout():
    found = {m.split(".")[1] for m in modules() if m.count(".") >= 2}
    assert found == set(STAGES)


@pytest.mark.parametrize("module", sorted(modules()))
def test_a_module_imports_no_stage_above_its_own(module):
    upward = sorted(i for i in imports(module) if stage(i) > stage(module))
    assert not upward, f"{module} ({_where(module)}) importe {upward}, d'une étape au-dessus de la sienne"


def test_no_two_modules_import_each_other():
    loops = _loops()
    assert not loops, "modules qui s'importent l'un l'autre : " + " ; ".join(" → ".join(loop) for loop in loops)


def test_only_the_engine_adapters_know_mkdocs():
    knowing = {m for m in modules() if third_party(m) & {"mkdocs", "mkdocs_redirects", "material"}}
    assert knowing <= ENGINE_ADAPTERS, f"modules qui importent MkDocs : {sorted(knowing - ENGINE_ADAPTERS)}"


def test_the_loop_finder_sees_a_loop():
    """The check above is only as good as its loop finder: a made-up graph with a loop of three."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _loops(graph) == [["a", "b", "c", "a"]]


def _where(module: str) -> str:
    return STAGES[stage(module)] if stage(module) < len(STAGES) else "point d'entrée"


def _loops(graph: dict[str, set[str]] | None = None) -> list[list[str]]:
    """Each strongly connected group of more than one module (Tarjan), as a loop from its first module."""
    if graph is None:
        graph = {m: set(imports(m)) for m in modules()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [[*group, group[0]] for group in sorted(groups)]
