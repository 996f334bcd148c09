"""Fidelity to the source document: every line of its text is somewhere in the data, verbatim.

Page furniture (running headers, page numbers) and the table of contents are not content. A line
may be split across several data fields (a heading's number and its title) or have its list
marker and footnote call rewritten in Markdown; its words, punctuation, case and typos stay.
"""
import re

import pytest
import yaml

from tests.conftest import CONTRACT, SOURCE
TABLE_OF_CONTENTS = range(1, 98)
FURNITURE = re.compile(r"^(\d{1,3}|[-_]|Contrat de ville 2015/2020( \d+)?)$")
HEADING_PREFIX = re.compile(r"^(Partie \d ?: ?|\d+(\.\d+)*\.? (AXE STRATEGIQUE \d ?: ?|Objectif opérationnel \d[.-]\d ?[:-]? ?)?|"
                            r"Axe transversal au Contrat de Ville : |(- )?\d\.\d\.\d+-? ?)")


def normalise(text: str) -> str:
    text = re.sub(r"^[¹²³⁴⁵⁶⁷] ?: ?|^\[\^[^\]]+\]: ?", "", text, flags=re.M)  # a footnote's text: « ¹: … », « [^1]: … »
    text = re.sub(r"^\^\{\d+ ?([^}]*)\} ?", r"\1 ", text, flags=re.M)  # « ^{7 «} Personne … »
    text = re.sub(r"\[\^[^\]]+\]|</?(u|sup)>|\*\*|(?<!\w)\*|\*(?!\w)|[¹²³⁴⁵⁶⁷]|^#+ |^> ", "", text, flags=re.M)
    text = re.sub(r"\^\{([^}]*)\}|\^(\w+)", lambda m: m.group(1) or m.group(2), text)  # 2^{ème}, 21^e
    text = re.sub(r"^\s*((- |\d+\. )(✓ |➤ )?)*", "", text, flags=re.M)
    text = text.replace("Contrat de ville 2015/2020", "")
    return re.sub(r"\s+", " ", text).strip()


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


@pytest.fixture(scope="module")
def corpus():
    texts = [s for path in sorted(CONTRACT.rglob("*.yaml"))
             for s in strings(yaml.safe_load(path.read_text(encoding="utf-8")))]
    return "\n".join(normalise(t) for t in texts)


def content_lines():
    for number, line in enumerate(SOURCE.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if number in TABLE_OF_CONTENTS or not text or FURNITURE.match(text):
            continue
        yield number, text


def test_every_source_line_is_in_the_data(corpus):
    missing = []
    for number, text in content_lines():
        line = normalise(text)
        if line in corpus or normalise(HEADING_PREFIX.sub("", text)) in corpus:
            continue
        if "\t" in text and all(normalise(cell) in corpus for cell in text.split("\t") if cell.strip()):
            continue  # a row of the statistics table: each cell is stored on its own
        missing.append(f"L{number}: {text[:100]}")
    assert missing == []
