"""Cross-references read in prose: what is a reference, and what only looks like one."""
import pytest
import yaml

from generator.core import xref
from generator.core.structure import structure_of
from tests.conftest import CONTRACT, ROOT

REAL = xref.forms(structure_of(yaml.safe_load((CONTRACT / "contrat.yaml").read_text(encoding="utf-8"))))
DEFIS = xref.forms(structure_of(yaml.safe_load((ROOT / "tests/fixtures/defis/contrat.yaml").read_text(encoding="utf-8"))))


def refs(text, forms=REAL, **context):
    return [(r.collection, r.id, text[r.start:r.end]) for r in xref.find(text, forms, **context)]


@pytest.mark.parametrize("text, expected", [
    ("voir la fiche 2.4.3.", [("actions", "2.4.3", "2.4.3")]),
    ("fiches 1.1.2 et 1.1.10, puis 3.2.1", [("actions", "1.1.2", "1.1.2"), ("actions", "1.1.10", "1.1.10"),
                                           ("actions", "3.2.1", "3.2.1")]),
    ("relève de l'axe stratégique 2.", [("axes", "2", "axe stratégique 2")]),
    ("l'axe stratégique 3, puis l'objectif 2.4.", [("axes", "3", "axe stratégique 3"), ("objectives", "2.4", "objectif 2.4")]),
    ("un budget de 1.250.000 € sur six ans", []),
    ("soit 2.500.000 euros", []),
    ("signé le 12.03.2024 à la préfecture", []),
    ("daté du 1.3.2024", []),
    ("une part de 1.2.5 € par habitant", []),
    ("la version 2.4.3.1 du logiciel", []),
    ("le taux de 12,1.2.3", []),
    ("une agglomération de 1.250.500 habitants", []),
    ("la fiche 150.12.12 d'un très grand contrat", [("actions", "150.12.12", "150.12.12")]),
])
def test_what_is_a_reference(text, expected):
    assert refs(text) == expected


def test_short_forms_in_context():
    assert refs("la fiche action n°4-5 précise", objective="4.1") == [("actions", "4.1.5", "fiche action n°4-5")]
    assert refs("l'axe 3.", short_axes=True) == [("axes", "3", "axe 3")]
    assert refs("l'axe 3.") == []


def test_the_forms_are_the_declared_words():
    """A contract of défis reads « défi 3 » anywhere, and no other level's form: its « 2.4.3 » or « axe 3 »
    name nothing it has."""
    assert refs("Le Défi 3 et le défi 12, puis les défis 4.", DEFIS) == [("axes", "3", "Défi 3"), ("axes", "12", "défi 12")]
    assert refs("la fiche 2.4.3, l'objectif 2.4, l'axe 3, la fiche action n°4-5", DEFIS, objective="4.1", short_axes=True) == []
    assert refs("la taxe 3", short_axes=True) == [] and refs("sous-objectif 2.4") == [("objectives", "2.4", "objectif 2.4")]


def test_a_fourth_level_is_read_after_its_words():
    """« action 1.1.2.3 » (its singular, plural, name or short label before four parts) names an item of the fourth
    level; four parts alone are a version or an address, and three parts still name the third level."""
    from tests.test_structure import ACTION, CHANTIER, ORIENTATION
    meta = yaml.safe_load((ROOT / "tests/fixtures/defis/contrat.yaml").read_text(encoding="utf-8"))
    meta["structure"] = [meta["structure"][0], ORIENTATION, CHANTIER, {**ACTION, "short": "Act."}]
    four = xref.forms(structure_of(meta))
    assert four is xref.forms(structure_of(meta))  # built once per structure
    assert refs("l'Action 1.1.2.3, les actions 2.1.1.1 et act. 1.1.1.10, puis 1.1.2", four) == [
        ("subactions", "1.1.2.3", "Action 1.1.2.3"), ("subactions", "2.1.1.1", "actions 2.1.1.1"),
        ("subactions", "1.1.1.10", "act. 1.1.1.10"), ("actions", "1.1.2", "1.1.2")]
    assert refs("la version 2.4.3.1, la réaction 1.1.1.1, l'action 1.1.1.2024, l'action 1.1.1.1,5 €", four) == []
    assert refs("l'action 1.1.1.1", REAL) == [] and refs("l'action 1.1.1.1", DEFIS) == []
