"""Untrusted input, round two: redirects, one sanitising policy for every page, configuration values,
characters XML cannot carry, ids anchored to the whole string. Each test reproduces an attack."""
import xml.etree.ElementTree as ET

import pytest

from generator.load import load_text
from tests.conftest import MINI, build


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
