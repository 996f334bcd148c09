"""The engine's code passes its type checker and its linter, configured in pyproject.toml ([tool.mypy],
[tool.ruff]): `make test` runs them, so CI counts them."""
import subprocess
import sys

from tests.conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_mypy_finds_no_error_in_the_engine():
    run = _run("mypy")  # the files and options come from [tool.mypy]
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Success: no issues found" in run.stdout


def test_ruff_finds_nothing_in_the_engine():
    run = _run("ruff", "check", "generator")  # the rules come from [tool.ruff]
    assert run.returncode == 0, run.stdout + run.stderr
    assert "All checks passed!" in run.stdout
