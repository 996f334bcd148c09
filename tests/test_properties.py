"""Property-based tests (Hypothesis): whatever the files hold, the loader and the validator give
a list of problems or a model, never an exception. Fixed seed, bounded examples, no deadline,
so that CI runs the same examples every time."""
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.core.load import load_bytes
from generator.core.registry import COLLECTIONS
from generator.check.pipeline import check
from generator.engine.pipeline import render_inputs
from generator.site.render import Renderer
from generator.check.validate import validate_document
from tests.conftest import CONTRACT, MINI

SETTINGS = settings(derandomize=True, max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# The real files, as (kind, path): every kind of entity the engine knows.
REAL = [("contrat", CONTRACT / "contrat.yaml")] + [
    (kind.schema, path) for collection, kind in COLLECTIONS.items()
    for path in sorted((CONTRACT / collection).glob("*.yaml"))[:3]]
MINI_FILES = sorted(p.relative_to(MINI).as_posix() for p in MINI.rglob("*.yaml"))

# Texts with what breaks parsers and terminals: controls, bidi, markup, YAML indicators, long runs.
TRICKY = st.sampled_from(["\x00", "\x1b[31m", "\u202e", "\u2066", "\r", "\t", "\n", "<script>", "<!--", "{", "[", "&a", "*a",
                          "!!python/object", ": ", "- ", "#", "'", '"', "\\", "%", "---", "...", "1.10", "0777", "yes",
                          "1e999", "9" * 40, "é", "\ufeff", "\x85", "\ud7ff", "voir 1.1.2 et "])
TEXT = st.one_of(st.text(max_size=40), TRICKY, st.lists(TRICKY, max_size=8).map("".join))
SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(TEXT, inner, max_size=4)), max_leaves=20)


def _mutate(data: bytes, draw_ops) -> bytes:
    for op, position, payload in draw_ops:
        at = position % (len(data) + 1)
        if op == "insert":
            data = data[:at] + payload + data[at:]
        elif op == "delete":
            data = data[:at] + data[at + len(payload):]
        elif op == "replace":
            data = data[:at] + payload + data[at + len(payload):]
        else:  # truncate
            data = data[:at]
    return data


OPS = st.lists(st.tuples(st.sampled_from(["insert", "delete", "replace", "truncate"]), st.integers(0, 10**6),
                         st.one_of(st.binary(min_size=1, max_size=8), TRICKY.map(lambda t: t.encode("utf-8", "surrogatepass")))),
               min_size=1, max_size=4)


def _load_and_validate(raw: bytes, kind: str):
    doc, problems = load_bytes(raw, "essai.yaml")
    assert (doc is None) == bool(problems)
    if doc is not None:
        problems, _ = validate_document(doc, kind)
    return problems


@SETTINGS
@given(st.sampled_from(REAL), OPS)
def test_mutated_real_files_give_problems_never_an_exception(real, ops):
    kind, path = real
    problems = _load_and_validate(_mutate(path.read_bytes(), ops), kind)
    assert all(p.file == "essai.yaml" and p.line >= 1 and p.column >= 1 for p in problems)


@SETTINGS
@given(st.sampled_from(sorted({c.schema for c in COLLECTIONS.values()} | {"contrat"})), VALUE)
def test_arbitrary_yaml_documents_give_problems_never_an_exception(kind, value):
    raw = yaml.safe_dump(value, allow_unicode=True).encode("utf-8", "surrogatepass")
    _load_and_validate(raw, kind)


@settings(SETTINGS, max_examples=100)
@given(st.sampled_from(MINI_FILES), st.data())
def test_a_contract_with_an_arbitrary_field_gives_problems_or_a_model_that_renders(name, data):
    """One field of one file of the small contract replaced by anything: the whole pipeline
    (load, validate, link) gives problems or a model, and a model renders."""
    original = yaml.safe_load((MINI / name).read_text(encoding="utf-8"))
    key = data.draw(st.sampled_from(sorted(original)), label="champ")
    changed = dict(original, **{key: data.draw(VALUE, label="valeur")})
    with tempfile.TemporaryDirectory() as tmp:
        contract = Path(tmp) / "contract"
        shutil.copytree(MINI, contract)
        (contract / name).write_bytes(yaml.safe_dump(changed, allow_unicode=True).encode("utf-8", "surrogatepass"))
        result = check(contract)
        assert (result.contract is None) == bool(result.problems)
        if result.contract is not None:
            Renderer(render_inputs(result.contract)).pages()


WRONG_SHAPES = [None, 5, True, "texte", [5], ["texte"], [{"x": 1}], {"x": 1}]


@pytest.mark.parametrize("name", MINI_FILES)
def test_every_field_of_every_file_in_a_wrong_shape_gives_problems(name, tmp_path):
    """The systematic complement of the property above (`parts: 5` was a TypeError): each field of
    each file of the small contract, in turn, given each wrong shape."""
    original = yaml.safe_load((MINI / name).read_text(encoding="utf-8"))
    contract = tmp_path / "contract"
    shutil.copytree(MINI, contract)
    for key in original:
        for value in WRONG_SHAPES:
            (contract / name).write_text(yaml.safe_dump(dict(original, **{key: value}), allow_unicode=True), encoding="utf-8")
            result = check(contract)
            assert (result.contract is None) == bool(result.problems), (key, value)
