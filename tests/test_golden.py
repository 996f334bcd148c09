"""Every file a build writes is the one recorded in tests/golden/ (see tests/golden.py): a change of
output is a reviewed diff of the golden files, made by `make golden`, never an accident."""
import json

import pytest

from tests.golden import CONTRACTS, build, golden_file


def _differences(expected: dict[str, str], found: dict[str, str], most: int = 30) -> list[str]:
    lines = [f"absent : {p}" for p in sorted(expected.keys() - found.keys())]
    lines += [f"nouveau : {p}" for p in sorted(found.keys() - expected.keys())]
    lines += [f"modifié : {p}" for p in sorted(p for p in expected.keys() & found.keys() if expected[p] != found[p])]
    return lines[:most] + ([f"… et {len(lines) - most} autres"] if len(lines) > most else [])


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_built_site_is_the_golden_one(name, tmp_path):
    expected = json.loads(golden_file(name).read_text(encoding="utf-8"))
    found = build(name, tmp_path)
    differences = _differences(expected, found)
    assert not differences, (f"Le site du contrat « {name} » diffère de {golden_file(name).name} :\n"
                             + "\n".join(differences)
                             + "\nSi le changement est voulu : make golden, puis relisez le diff de tests/golden/.")


def test_differences_name_each_file():
    expected = {"a.html": "1", "b.html": "2", "c.html": "3"}
    found = {"a.html": "1", "b.html": "x", "d.html": "4"}
    assert _differences(expected, found) == ["absent : c.html", "nouveau : d.html", "modifié : b.html"]
