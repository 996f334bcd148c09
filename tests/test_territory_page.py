"""The neighbourhood page, answer first: what the contract says of a territory in a few sentences drawn
from the data, then its passages, each once, grouped by part, quoted without the list marks of the text."""
from generator.check.pipeline import check
from generator.site.reading import _list_lead
from generator.site.render import Inputs, Renderer
from tests.conftest import CONTRACT


def test_a_list_item_is_quoted_after_the_words_that_introduce_the_list():
    text = "Intro. À Amiens, cinq conseils dans les quartiers :\n\n- ✓ Etouvie,\n- ✓ Amiens nord,\n\nAutre chose."
    assert _list_lead(text, text.index("Amiens nord")) == "À Amiens, cinq conseils dans les quartiers :"
    assert _list_lead(text, text.index("Autre")) == "" and _list_lead("- a\n- b", 6) == ""  # not a list item; no lead
    endless = "x" * 20000 + "\n" + "- y\n" * 5000 + "- Etouvie"  # walked back over a bounded stretch only
    assert _list_lead(endless, endless.index("Etouvie")) == ""


def test_the_answer_and_the_passages_of_etouvie():
    r = Renderer(Inputs(check(CONTRACT).contract))
    etouvie = r.c.get("territories", "etouvie")
    assert r.aids.territory_answer(etouvie).startswith("Étouvie fait partie des 6 quartiers prioritaires du contrat. "
                                                  "Le contrat le nomme dans ")
    assert "n'attribue ses fiches actions à aucun quartier" in r.aids.territory_answer(etouvie)
    groups = r.aids.passage_groups(etouvie)
    assert [title.split(" ")[0] for title, _ in groups] == ["Propos", "Partie", "Partie", "Partie"]
    quoted = [r.aids.passage_text(p) for _, found in groups for p in found]
    assert len(quoted) == len(set(quoted)) and not any(q.startswith(("-", "✓")) for q in quoted)
    assert ("À Amiens, cinq Conseils citoyens seront installés au cours du premier semestre 2015 dans les quartiers : "
            "… Etouvie,") in quoted
    reference = r.c.get("territories", "commune-amiens")
    assert "point de comparaison" in r.aids.territory_answer(reference)


def test_each_statement_of_the_territory_section_is_a_paragraph_of_its_own():
    """A line that ends with a block tag loses its line break (trim_blocks): the next statement would run on in
    the same paragraph (« … six à Amiens. Autres graphies… »), as a visitor on a phone saw."""
    import markdown
    from generator.engine.pipeline import render_inputs
    r = Renderer(render_inputs(check(CONTRACT).contract))
    for id_ in ("amiens-nord", "etouvie", "zus-amiens-nord"):
        territory = r.c.get("territories", id_)
        _, page = r.entity_page(territory)
        html = markdown.markdown(page.markdown, extensions=["md_in_html", "attr_list"])
        for statement in ("Catégorie :", "Autres graphies dans le contrat :", "Territoires liés :",
                          "Une question, une erreur sur cette page ?"):
            if statement in html:
                assert f"<p><strong>{statement}</strong>" in html, (id_, statement)
