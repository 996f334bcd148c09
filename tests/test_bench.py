"""The benchmark's synthetic contracts stay valid as the engine evolves (else `make bench` measures nothing)."""
import sys

from generator.check.pipeline import check
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from synth import generate  # noqa: E402


def test_synthetic_contracts_are_valid(tmp_path):
    for scale in (1, 2):
        result = check(generate(scale, tmp_path / f"x{scale}"))
        assert result.problems == [], [p.text() for p in result.problems[:5]]
        assert len(result.contract.all("actions")) == 91 * scale
