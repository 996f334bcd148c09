"""Golden output: the SHA-256 of every file a build writes, for each fixture contract.

Each contract is built as a city keeps it, in a throwaway git repository with fixed commit dates
and a fixed build date, so that the same data and engine always give the same bytes. A change of
output is then a reviewed diff of `tests/golden/*.json`, never an accident:

    make golden        # rebuilds the three sites and rewrites tests/golden/*.json

Pagefind's index (`pagefind/`) is left out: Pagefind 1.5.2 writes its filter files in a different
order from one run to the next (measured: three files differ between two builds of the same site).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SKIPPED = ("pagefind/",)
# The environment of every golden build: fixed dates, the test contact address, no site or forge address.
ENV = {"SOURCE_DATE_EPOCH": "1700000000", "GIT_AUTHOR_DATE": "2025-01-15T10:00:00+0100",
       "GIT_COMMITTER_DATE": "2025-01-15T10:00:00+0100", "CONTRAT_CONTACT_EMAIL": "erreurs@example.org",
       "NO_MKDOCS_2_WARNING": "1"}
UNSET = ("CONTRAT_SITE_URL", "CONTRAT_REPO_URL")


@contextlib.contextmanager
def fixed_environment() -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(ENV)
    for name in UNSET:
        os.environ.pop(name, None)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-qm", message)


def _repository(repo: Path, contract: Path, config: Path, docs: Path) -> None:
    """`repo` holding `contract` as contract/, beside the given mkdocs.yml and docs/, committed once."""
    repo.mkdir(parents=True)
    shutil.copytree(contract, repo / "contract")
    shutil.copy(config, repo / "mkdocs.yml")
    shutil.copytree(docs, repo / "docs")
    _git(repo, "init", "-q", "-b", "main")
    _commit(repo, "version initiale")


def _real(repo: Path) -> bool:
    _repository(repo, ROOT / "contract", ROOT / "mkdocs.yml", ROOT / "docs")
    return True  # with the PDF, as `contrat build` publishes it


def _mini(repo: Path) -> bool:
    _repository(repo, ROOT / "tests" / "fixtures" / "mini", ROOT / "mkdocs.yml", ROOT / "docs")
    return False


def _second(repo: Path) -> bool:
    """The second contract as its city keeps it (see tests/test_second_contract.py): the signed text
    committed first, then amendment 1; its own mkdocs.yml and docs/ from `contrat nouveau`."""
    from generator.engine.new import SCAFFOLD
    from tests.test_second_contract import AMENDED, SECOND
    _repository(repo, SECOND, SCAFFOLD / "mkdocs.yml", SCAFFOLD / "docs")
    shutil.rmtree(repo / "contract" / "amendments")
    for path, (today, then) in AMENDED.items():
        file = repo / "contract" / path
        file.write_text(file.read_text(encoding="utf-8").replace(today, then), encoding="utf-8")
    _commit(repo, "texte signé")
    shutil.rmtree(repo / "contract")
    shutil.copytree(SECOND, repo / "contract")
    _commit(repo, "avenant 1")
    return False


CONTRACTS: dict[str, Callable[[Path], bool]] = {"real": _real, "mini": _mini, "second": _second}


def hashes(site: Path) -> dict[str, str]:
    """{path: sha256} of every file of a built site, Pagefind's index left out. A PDF is hashed by its pages'
    text: its bytes also depend on the machine's font-subsetting library (HarfBuzz-Subset or fontTools)."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        if not name.startswith(SKIPPED):
            content = _pdf_text(path).encode("utf-8") if path.suffix == ".pdf" else path.read_bytes()
            out[name] = hashlib.sha256(content).hexdigest()
    return out


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    return "\f".join(page.extract_text() for page in PdfReader(path).pages)


def build(name: str, work: Path) -> dict[str, str]:
    """Build fixture contract `name` in `work` (a fresh folder) and return its hashes."""
    from generator.engine.build import build_site
    repo, site = work / name / "depot", work / name / "site"
    with fixed_environment():
        pdf = CONTRACTS[name](repo)
        code = build_site(repo / "mkdocs.yml", repo / "contract", site, pdf=pdf)
    if code != 0:
        raise RuntimeError(f"la construction du contrat « {name} » a échoué (code {code})")
    return hashes(site)


def golden_file(name: str) -> Path:
    return GOLDEN / f"{name}.json"


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="contrat-golden-") as work:
        for name in CONTRACTS:
            found = build(name, Path(work))
            golden_file(name).write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"{golden_file(name).relative_to(ROOT)} : {len(found)} fichiers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
