"""Each folder of tests/cases/invalid/ is a bad edit of the small contract and the problems it must produce.

Adding a case is adding a folder: `contract/` holds the files written over tests/fixtures/mini,
`expected.yaml` the exact problems (file, line, column, code) and the start of each message.
"""
import shutil
from pathlib import Path

import pytest
import yaml

from generator.core.codes import CATALOGUE
from generator.check.pipeline import check

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


def test_every_code_is_in_the_catalogue_and_shown_by_the_cases_it_names():
    used = {c.name: {e["code"] for e in yaml.safe_load((c / "expected.yaml").read_text(encoding="utf-8"))["problems"]}
            for c in CASES}
    assert set().union(*used.values()) <= set(CATALOGUE)
    for code in CATALOGUE.values():
        for case in code.cases:
            assert code.code in used.get(case, ()), (code.code, case)
