"""The catalogue of problem codes (generator/core/codes.py) is the one list: the README table says it, the
engine names its codes from it, and a code no invalid case can show names the tests that do."""
import ast
import re
from pathlib import Path

import pytest

from generator.core.codes import CATALOGUE

ROOT = Path(__file__).parent.parent
CODE = re.compile(r"CV\d{3}")


def test_the_readme_table_is_the_catalogue():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (CV\d{3}) \| (.*) \|$", readme, re.MULTILINE)
    assert rows == [(c.code, c.title) for c in CATALOGUE.values()]


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}


def test_the_engine_names_its_codes_from_the_catalogue():
    """No « CVnnn » in a string of the engine but in the catalogue; a code a docstring or a template
    mentions is in the catalogue."""
    files = [p for p in (ROOT / "generator").rglob("*") if p.suffix in (".py", ".j2", ".html", ".md", ".js", ".yaml")]
    assert len([p for p in files if p.suffix == ".py"]) > 30
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert set(CODE.findall(text)) <= set(CATALOGUE), path
        if path.suffix == ".py" and path.name != "codes.py":
            tree = ast.parse(text)
            docstrings = _docstrings(tree)
            literals = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                        and id(n) not in docstrings and CODE.search(n.value)]
            assert not literals, (path, literals)


@pytest.mark.parametrize("code", CATALOGUE.values(), ids=list(CATALOGUE))
def test_a_code_is_shown_by_invalid_cases_or_else_by_named_tests(code):
    assert bool(code.cases) != bool(code.tests), code  # tests only when no invalid case can show it
    for test in code.tests:
        file, name = test.split("::")
        source = (ROOT / file).read_text(encoding="utf-8")
        function = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef) and n.name == name)
        assert code.code in ast.get_source_segment(source, function), test
