"""Each folder of tests/cases/invalid/ is a bad edit of the small contract and the problems it must produce.

Adding a case is adding a folder: `contract/` holds the files written over tests/fixtures/mini,
`expected.yaml` the exact problems (file, line, column, code) and the start of each message.
"""
import shutil
from pathlib import Path

import pytest
import yaml

from generator.pipeline import check

CASES = sorted((Path(__file__).parent / "cases" / "invalid").iterdir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_case(case, mini_copy):
    shutil.copytree(case / "contract", mini_copy, dirs_exist_ok=True)
    expected = yaml.safe_load((case / "expected.yaml").read_text(encoding="utf-8"))["problems"]

    result = check(Path("contract"))

    assert not result.ok and result.contract is None
    got = [(p.file, p.line, p.column, p.code) for p in result.problems]
    assert got == [("contract/" + e["file"], e["line"], e["column"], e["code"]) for e in expected]
    for problem, e in zip(result.problems, expected):
        assert problem.message.startswith(e["message"]), problem.message


def test_every_problem_class_has_a_case():
    codes = {e["code"] for c in CASES for e in yaml.safe_load((c / "expected.yaml").read_text(encoding="utf-8"))["problems"]}
    assert codes >= {"CV101", "CV102", "CV103", "CV104", "CV105", "CV106", "CV107", "CV108", "CV109",
                     "CV201", "CV202", "CV203", "CV204", "CV205", "CV207", "CV301", "CV302", "CV303", "CV304", "CV305", "CV306", "CV307", "CV308",
                     "CV309", "CV310", "CV311", "CV312", "CV313", "CV314", "CV315", "CV316", "CV404", "CV405", "CV406", "CV409", "CV410"}
