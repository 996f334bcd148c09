"""What the publication runs is what was reviewed and tested: workflows that zizmor finds nothing in,
actions pinned to a commit, and dependencies installed from hashed lock files that follow pyproject.toml."""
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
INSTALL = ["python -m pip install --require-hashes -r requirements.lock",
           "python -m pip install --no-deps --no-build-isolation -e ."]


@dataclass(frozen=True)
class Pin:
    name: str
    version: Version
    marker: str
    hashes: frozenset[str]

    def applies_here(self) -> bool:
        return not self.marker or Requirement(f"{self.name} ; {self.marker}").marker.evaluate()


def read_lock(name: str) -> dict[str, list[Pin]]:
    """The pins of a lock file written by `make lock`, by normalised name (a universal lock may pin a
    package twice, under exclusive markers)."""
    text = (ROOT / name).read_text(encoding="utf-8")
    assert text.splitlines()[1].strip() == "#    make lock", f"{name} is written by « make lock »"
    pins: dict[str, list[Pin]] = {}
    for entry in re.sub(r"\\\n", " ", re.sub(r"(?m)^\s*#.*\n", "", text)).splitlines():
        if not entry.strip():
            continue
        requirement, *hashes = re.split(r"\s+--hash=", entry.strip())
        parsed = Requirement(requirement)
        (pinned,) = parsed.specifier
        assert pinned.operator == "==", entry
        pins.setdefault(canonicalize_name(parsed.name), []).append(
            Pin(canonicalize_name(parsed.name), Version(pinned.version), str(parsed.marker or ""), frozenset(hashes)))
    return pins


def assert_within_ranges(lock: dict[str, list[Pin]], requirements: list[str]) -> None:
    for line in requirements:
        required = Requirement(line)
        pins = lock.get(canonicalize_name(required.name))
        assert pins, f"{required.name} is not in the lock: run « make lock »"
        for pin in pins:
            assert required.specifier.contains(pin.version, prereleases=True), \
                f"{pin.name}=={pin.version} is outside « {required} »: run « make lock »"


def test_workflows_pass_zizmor():
    run = subprocess.run([str(Path(sys.executable).parent / "zizmor"), "--offline", "--persona", "pedantic",
                          "--no-progress", str(WORKFLOWS)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0 and "No findings to report" in run.stdout, run.stdout + run.stderr


def test_every_action_is_pinned_to_a_commit_and_every_job_says_its_permissions():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        uses = re.findall(r"(?m)^\s*(?:- )?uses: (.*)$", text)
        assert uses, path.name
        for action in uses:  # the version in the comment is what a reviewer reads
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", action), (path.name, action)
        workflow = yaml.safe_load(text)
        assert workflow["permissions"] == {}, path.name
        for name, job in workflow["jobs"].items():
            assert isinstance(job.get("permissions"), dict) and "write-all" not in str(job["permissions"]), (path.name, name)
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, (path.name, name)


def test_the_workflows_install_the_lock_and_nothing_else():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        jobs = yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values()
        runs = [line.strip() for job in jobs for step in job["steps"] for line in step.get("run", "").splitlines()]
        installs = [line for line in runs if "pip" in line]
        if any(step.get("uses", "").startswith("actions/setup-python@") for job in jobs for step in job["steps"]):
            assert installs == INSTALL, path.name


def test_the_publication_lock_follows_pyproject():
    lock = read_lock("requirements.lock")
    # The engine's dependencies and its build backend: the workflows build the editable install without isolation.
    assert_within_ranges(lock, PYPROJECT["project"]["dependencies"] + PYPROJECT["build-system"]["requires"])
    assert all(pin.hashes for pins in lock.values() for pin in pins)


def test_the_test_lock_is_the_publication_lock_plus_the_test_tools():
    publication, test = read_lock("requirements.lock"), read_lock("requirements-test.lock")
    assert_within_ranges(test, PYPROJECT["project"]["optional-dependencies"]["test"])
    for name, pins in publication.items():  # a test tool may need the same package under more environments
        same = {(pin.version, pin.hashes) for pin in test.get(name, [])} == {(pin.version, pin.hashes) for pin in pins}
        assert same, f"{name} differs between the two locks: run « make lock »"
    assert all(pin.hashes for pins in test.values() for pin in pins)


def test_the_tests_run_the_locked_versions():
    """`make install` installs requirements-test.lock: the tests ran what the publication installs."""
    for name, pins in read_lock("requirements-test.lock").items():
        for pin in pins:
            if pin.applies_here():
                installed = Version(importlib.metadata.version(name))
                assert installed == pin.version, f"{name} {installed} installed, {pin.version} locked: run « make install »"
