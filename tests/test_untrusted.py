"""Untrusted input, round two: redirects, one sanitising policy for every page, configuration values,
characters XML cannot carry, ids anchored to the whole string. Each test reproduces an attack."""
import json
import xml.etree.ElementTree as ET

import pytest

from generator.build import build_site
from generator.load import load_text
from generator.pipeline import check
from tests.conftest import MINI, ROOT, build


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff"])
@pytest.mark.parametrize("escaped", [False, True])
def test_characters_xml_cannot_carry_are_refused(char, escaped):
    written = f"\\U{ord(char):08X}" if escaped else char
    doc, problems = load_text(f'title: "Avant {written} après"\n', "a.yaml")
    assert doc is None and [p.code for p in problems] == ["CV405"], problems
    assert f"U+{ord(char):04X}" in problems[0].message


def test_feed_and_sitemap_are_xml(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTRAT_SITE_URL", "https://contrat.example.org/")
    site = build(MINI, tmp_path / "site")
    for name in ("flux.xml", "sitemap.xml"):
        assert len(ET.parse(site / name).getroot()) > 0, name


def _patterns(node):
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def test_schema_patterns_are_anchored_to_the_whole_string():
    """Python's `$` (jsonschema uses re.search) also matches before a final line break; ECMA 262's, as
    editors read the schemas, does not. Validation reads them as editors do."""
    from generator.validate import SCHEMA_DIR, matches
    patterns = {p for path in SCHEMA_DIR.glob("*.schema.json") for p in _patterns(json.loads(path.read_text(encoding="utf-8")))}
    assert len(patterns) > 10
    for pattern in patterns:
        assert "$" not in pattern[:-1], pattern  # « $ » only as the last character, where matches() reads it
    assert matches("^[0-9]+(\\.[0-9]+)*$", "1.2") and not matches("^[0-9]+(\\.[0-9]+)*$", "1.2\n")


def test_an_id_ending_with_a_line_break_is_refused_and_makes_no_folder(mini_copy, tmp_path):
    source = mini_copy / "actions" / "1.1.3.yaml"
    (mini_copy / "actions" / "1.1.3\n.yaml").write_text(source.read_text(encoding="utf-8").replace('id: "1.1.3"', 'id: "1.1.3\\n"'),
                                                      encoding="utf-8")
    source.unlink()
    result = check(mini_copy)
    assert not result.ok and [p.code for p in result.problems if "1.1.3" in p.file] == ["CV204"], result.problems
    assert build_site(ROOT / "mkdocs.yml", mini_copy, tmp_path / "site", pdf=False) == 1
    assert not any("\n" in p.name for p in tmp_path.rglob("*") if p != mini_copy / "actions" / "1.1.3\n.yaml")
