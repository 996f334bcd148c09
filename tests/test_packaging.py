"""The engine installs as a package: the wheel carries its schemas, templates, theme, scripts and
scaffold; the installed `contrat` validates, exports and scaffolds a contract from any folder, and
`mkdocs build` finds the plugin by its entry point alone."""
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MINI, ROOT
from tests.test_new import replace_examples


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """The wheel, built offline by the backend of the test environment, and what the build printed. It is
    built from a copy of what the package is made of, so that a `build/` folder left in the checkout by an
    earlier build can neither add a stale file nor hide a missing one."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("generator", "schemas"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    wheels = tmp_path_factory.mktemp("dist")
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--verbose", "--no-build-isolation", "--no-deps",
                          "-w", str(wheels), str(source)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return next(wheels.glob("*.whl")), run.stdout + run.stderr


def test_the_wheel_builds_without_a_warning(built):
    """setuptools warns of what will stop building (a licence table: SetuptoolsDeprecationWarning, shown as
    BuildBackendWarning by setuptools >= 80) and of data folders outside the packages (« would be ignored »)."""
    _, log = built
    assert "running bdist_wheel" in log and "adding 'generator/site/templates/action.md.j2'" in log  # the backend's own words
    for words in ("SetuptoolsDeprecationWarning", "BuildBackendWarning", "would be ignored", "is absent from the `packages`"):
        assert words not in log, [line for line in log.splitlines() if words in line]
    # Byte-compiling is the environment's choice (PYTHONDONTWRITEBYTECODE), not the project's.
    warnings = [line.strip() for line in log.splitlines()
                if re.search(r"(?i)warning:|^\s*warning\b|deprecat|would be ignored", line) and "byte-compiling is disabled" not in line]
    assert warnings == []


def test_the_licence_is_an_spdx_expression_for_a_setuptools_that_reads_it():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    assert project["build-system"]["requires"] == ["setuptools>=77"]  # the first to read `license` as SPDX


def test_the_wheel_holds_every_file_of_the_engine_and_nothing_else(built):
    """Every module, template, theme file, page, scaffold file and schema, with the type marker and the
    licence in the metadata; no compiled file, no file the source does not have."""
    wheel, _ = built
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n for n in names if not n.startswith("contrat_de_ville-")}
    engine = {f"generator/{p.relative_to(ROOT / 'generator').as_posix()}" for p in (ROOT / "generator").rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    schemas = {f"generator/schemas/{p.name}" for p in (ROOT / "schemas").glob("*.schema.json")}
    assert len(schemas) > 10 and {"generator/py.typed", "generator/site/templates/action.md.j2"} <= engine
    assert sorted(shipped - engine - schemas) == [] and sorted((engine | schemas) - shipped) == []
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "\nLicense-Expression: MIT\n" in metadata


def test_wheel_installed_alone_validates_and_exports_from_another_folder(built, tmp_path):
    wheel, _ = built
    names = zipfile.ZipFile(wheel).namelist()
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "[mkdocs.plugins]\ncontrat = generator.plugin:ContratPlugin" in zipfile.ZipFile(wheel).read(entry_points).decode()

    # A fresh environment with the wheel alone; the test environment's dependencies (not its
    # editable checkout) are made visible through a path file.
    env = tmp_path / "venv"
    venv.create(env, with_pip=False)
    python = env / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    (Path(site) / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "ailleurs"
    shutil.copytree(MINI, elsewhere / "contract")
    run = subprocess.run([str(python), "-m", "generator", "validate"], cwd=elsewhere, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Aucun problème" in run.stdout
    where = subprocess.run([str(python), "-c", "import generator.check.validate as v; print(v.SCHEMA_DIR)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(site), where  # the schemas come from the installed package, not the checkout
    export = subprocess.run([str(python), "-m", "generator", "export"], cwd=elsewhere, capture_output=True, text=True)
    assert export.returncode == 0 and json.loads(export.stdout)["contract"]["title"].startswith("Contrat de ville de Valbourg")

    # `contrat nouveau`, then the new repository validates and builds with `mkdocs build`: the
    # plugin comes from the entry point of the installed package, its theme and pages with it.
    made = subprocess.run([str(python), "-m", "generator", "nouveau", "ville"], cwd=elsewhere, capture_output=True, text=True)
    assert made.returncode == 0, made.stdout + made.stderr
    city = elsewhere / "ville"
    assert sorted(p.name for p in city.iterdir()) == [".gitignore", "README.md", "contract", "docs", "mkdocs.yml", "schemas"]
    assert sorted(p.name for p in (city / "schemas").iterdir()) == sorted(p.name for p in (ROOT / "schemas").iterdir())
    run = subprocess.run([str(python), "-m", "generator", "validate"], cwd=city, capture_output=True, text=True)
    assert run.returncode == 1 and " CV208 " in run.stdout, run.stdout + run.stderr  # its examples, until replaced
    replace_examples(city)
    run = subprocess.run([str(python), "-m", "generator", "validate"], cwd=city, capture_output=True, text=True)
    assert run.returncode == 0 and "Aucun problème" in run.stdout, run.stdout + run.stderr
    built = subprocess.run([str(python), "-m", "mkdocs", "build", "--strict"], cwd=city, capture_output=True, text=True,
                           env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert built.returncode == 0, built.stderr[-3000:]
    home = (city / "site/index.html").read_text(encoding="utf-8")
    title = "Contrat de ville de Bourg-Neuf 2024-2030"
    assert f"<title>{title}</title>" in home and title in home.split("<h1")[1].split("</h1>")[0]
    assert 'data-cv-search="panel"' in home  # the engine's header (theme overrides), not material's
    assert (city / "site/javascripts/recherche.js").read_bytes() == (ROOT / "generator/site/theme/javascripts/recherche.js").read_bytes()
    assert (city / "site/stylesheets/contrat.css").is_file() and (city / "site/recherche/index.html").is_file()
    assert (city / "site/pagefind/pagefind.js").is_file()
    texts = [p for p in (city / "site").rglob("*") if p.suffix in {".html", ".xml", ".json", ".csv", ".js", ".css"}]
    assert len(texts) > 20 and not [p for p in texts if "amiens" in p.read_text(encoding="utf-8").lower()]
    plugin = subprocess.run([str(python), "-c", "import generator.plugin as p; print(p.THEME)"],
                            cwd=city, capture_output=True, text=True, check=True).stdout.strip()
    assert plugin.startswith(site), plugin
