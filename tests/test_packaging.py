"""The engine installs as a package: the wheel carries its schemas and templates, and the
installed `contrat` validates and exports a contract from any folder."""
import json
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from tests.conftest import MINI, ROOT


def test_wheel_installed_alone_validates_and_exports_from_another_folder(tmp_path):
    wheels = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-build-isolation", "--no-deps",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    wheel = next(wheels.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/schemas/action.schema.json" in names and "generator/templates/action.md.j2" in names

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
    where = subprocess.run([str(python), "-c", "import generator.validate as v; print(v.SCHEMA_DIR)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(site), where  # the schemas come from the installed package, not the checkout
    export = subprocess.run([str(python), "-m", "generator", "export"], cwd=elsewhere, capture_output=True, text=True)
    assert export.returncode == 0 and json.loads(export.stdout)["contract"]["title"].startswith("Contrat de ville de Valbourg")
