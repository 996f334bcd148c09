"""Every text is bounded in the work it costs: adversarial texts at the largest size validation
accepts render in bounded time, and larger ones are refused at validation. Nothing here times
anything: an alarm stops a run that would not end, and the tests assert on sizes and counts."""
import shutil
import signal

import markdown
import pytest

from generator.check import rawhtml
from generator.check.pipeline import check
from generator.site.render import Inputs, Renderer
from tests.conftest import MINI, drop_source

EXTENSIONS = ["attr_list", "footnotes", "tables", "toc", "admonition", "md_in_html"]


@pytest.fixture
def guard():
    """Fail a test that runs for a minute (a quadratic rendering would take hours) instead of hanging."""
    def stop(*_):
        raise TimeoutError("travail non borné")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def contract_with_body(tmp_path, body: str):
    contract = drop_source(shutil.copytree(MINI, tmp_path / "contract"))
    section = contract / "sections/p1-1.yaml"
    text = section.read_text(encoding="utf-8")
    indented = "\n".join("  " + line if line else "" for line in body.split("\n"))
    section.write_text(text.split("body: |\n")[0] + "body: |\n" + indented + "\n", encoding="utf-8")
    return check(contract)


def test_unclosed_brackets_at_the_largest_accepted_size_render_in_bounded_work(tmp_path, guard):
    paragraph = "[" * rawhtml.MAX_SIGNS + "x" * (rawhtml.MAX_PARAGRAPH - rawhtml.MAX_SIGNS - 1)
    result = contract_with_body(tmp_path, "\n\n".join([paragraph] * 40))
    assert result.ok, [p.text() for p in result.problems]
    section = result.contract.get("sections", "p1-1")
    html = markdown.markdown(Renderer(Inputs(result.contract)).prose(section.body, section), extensions=EXTENSIONS)
    assert html.count("[") == 40 * rawhtml.MAX_SIGNS and "<a " not in html  # shown as text, not links


def test_a_link_keeps_working_beside_stray_brackets(tmp_path):
    result = contract_with_body(tmp_path, "Voir [ le [site](https://example.org) et ] [aussi [ceci]](https://example.org/b).")
    section = result.contract.get("sections", "p1-1")
    html = markdown.markdown(Renderer(Inputs(result.contract)).prose(section.body, section), extensions=EXTENSIONS)
    assert '<a href="https://example.org">site</a>' in html and '<a href="https://example.org/b">aussi [ceci]</a>' in html


@pytest.mark.parametrize("paragraph", ["[" * (rawhtml.MAX_SIGNS + 1), "a" * (rawhtml.MAX_PARAGRAPH + 1),
                                       "!*_-." * 2000])
def test_a_paragraph_beyond_the_bounds_is_refused(tmp_path, paragraph):
    result = contract_with_body(tmp_path, "Premier paragraphe.\n\n" + paragraph)
    assert [(p.code, p.line) for p in result.problems] == [("CV410", 12)], [p.text() for p in result.problems]


def test_a_long_run_of_punctuation_in_a_plain_field_renders_in_bounded_work(tmp_path, guard):
    from generator.site.markup import md
    run = "!*_-.[](){}#+" * (rawhtml.MAX_SIGNS // 13)
    html = markdown.markdown("\n\n".join([md(run + "x" * (rawhtml.MAX_PARAGRAPH - len(run)))] * 40), extensions=EXTENSIONS)
    assert html.count("!*_-.[](){}#+") == 40 * (rawhtml.MAX_SIGNS // 13)


def test_nested_brackets_at_the_largest_accepted_size_render_in_bounded_work(tmp_path, guard):
    half = rawhtml.MAX_SIGNS // 2
    paragraph = "[" * half + "x" * (rawhtml.MAX_PARAGRAPH - 2 * half - 1) + "]" * half
    result = contract_with_body(tmp_path, "\n\n".join([paragraph] * 40))
    assert result.ok, [p.text() for p in result.problems]
    section = result.contract.get("sections", "p1-1")
    html = markdown.markdown(Renderer(Inputs(result.contract)).prose(section.body, section), extensions=EXTENSIONS)
    assert html.count("[") == 40 * half


def test_a_long_published_address_list_gives_a_bounded_message(guard):
    from generator.publish import addresses
    from generator.core.problems import MAX_LISTED, report
    lines = [f"page-{i}/" for i in range(150_000)]  # none served any more
    problems = addresses.check(lines, [], "contract/adresses-publiees.txt")
    for fmt in ("text", "github"):
        message = report(problems, fmt)
        assert len(message) < 100_000 and message.count("\n") <= MAX_LISTED + 1
        assert "… et 149\u202f900 autres problèmes" in message
    assert report(problems, "text").endswith("150000 problèmes trouvés.")


def test_an_excerpt_is_bounded_in_characters_whatever_the_spacing(tmp_path, guard):
    run = "/" * (rawhtml.MAX_PARAGRAPH // 2 - 20)  # no space, no Markdown sign
    result = contract_with_body(tmp_path, "\n\n".join([f"{run}Centre-Bourg{run}"] * 40))
    assert result.ok, [p.text() for p in result.problems]
    renderer = Renderer(Inputs(result.contract))
    found = [p for p in renderer.aids.passages(result.contract.get("territories", "centre")) if p.entity.id == "p1-1"]
    assert len(found) == 40 and max(len(p.excerpt) for p in found) <= 300


def test_thousands_of_spellings_are_refused_at_validation(tmp_path):
    contract = drop_source(shutil.copytree(MINI, tmp_path / "contract"))
    path = contract / "territories/centre.yaml"
    spellings = ", ".join(f'"Centre {i}"' for i in range(3000))
    path.write_text(path.read_text(encoding="utf-8").replace('variants: ["Centre"]', f"variants: [{spellings}]"), encoding="utf-8")
    assert [p.code for p in check(contract).problems] == ["CV206"]  # too many items
