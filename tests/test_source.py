"""The source document and the one way to point into it: its line numbers."""
from generator.pipeline import check
from generator.source import line_ranges
from tests.conftest import CONTRACT, SOURCE


def test_line_ranges():
    assert line_ranges("L12") == [(12, 12)]
    assert line_ranges("L12, L20-L25") == [(12, 12), (20, 25)]


def test_real_source_is_declared_and_read():
    contract = check(CONTRACT).contract
    assert contract.source == tuple(SOURCE.read_text(encoding="utf-8").splitlines())


def test_contract_without_source_has_none(mini_copy):
    meta = mini_copy / "contrat.yaml"
    text = meta.read_text(encoding="utf-8")
    start, end = text.index("source_document:"), text.index("signature:")
    meta.write_text(text[:start] + text[end:], encoding="utf-8")
    (mini_copy / "sections" / "p1-1.yaml").write_text(  # no source: nothing is traced
        (mini_copy / "sections" / "p1-1.yaml").read_text(encoding="utf-8").replace("deux fois", "trois fois"), encoding="utf-8")
    result = check(mini_copy)
    assert result.ok and result.contract.source is None
