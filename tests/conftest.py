import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "contract"
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture
def mini_copy(tmp_path, monkeypatch):
    """A writable copy of the small test contract, with the current directory beside it."""
    target = tmp_path / "contract"
    shutil.copytree(MINI, target)
    monkeypatch.chdir(tmp_path)
    return target
