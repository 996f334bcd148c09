"""The source document and the one way to point into it: its line numbers."""
from generator.check.pipeline import check
from generator.check.source import line_ranges, page_of
from tests.conftest import CONTRACT, SOURCE, SOURCES


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
    meta.write_text(text[:start] + SOURCES + text[end:], encoding="utf-8")  # described from public sources instead
    (mini_copy / "sections" / "p1-1.yaml").write_text(  # no source: nothing is traced
        (mini_copy / "sections" / "p1-1.yaml").read_text(encoding="utf-8").replace("deux fois", "trois fois"), encoding="utf-8")
    result = check(mini_copy)
    assert result.ok and result.contract.source is None


def test_printed_page_of_a_line_from_the_page_markers():
    declared = {"pages": [{"line": "L10", "page": 3}, {"line": "L20", "page": 3, "footer": True},
                          {"line": "L30", "page": 5}, {"line": "L40", "page": 9}]}
    assert [page_of(declared, n) for n in (9, 10, 15, 20, 21, 30, 31, 41)] == [
        None,                 # before the first marker: unknown
        (3, 3), (3, 3), (3, 3),
        (4, 5),               # after page 3's footer, before a title printed on page 5
        (5, 5),
        None,                 # pages 5 to 9 possible: not said
        None]                 # after the last marker
    assert page_of(None, 12) is None and page_of({"pages": []}, 12) is None


def test_sources_are_cited_with_their_printed_page(mini_copy):
    from generator.site.render import Inputs, Renderer
    contract = check(CONTRACT).contract
    r = Renderer(Inputs(contract))
    assert r.aids.line_label(530, 530) == "p. 23, l. 530"      # between the footers of pages 22 and 23
    assert r.aids.line_label(1239, 1240) == "p. 55-56, l. 1239-1240"
    assert r.aids.line_label(1742, 1742) == "l. 1742"          # after the last marker: the line only
    no_pages = Renderer(Inputs(check(mini_copy).contract))        # a contract without page markers: lines only
    assert no_pages.aids.line_label(12, 12) == "l. 12"
