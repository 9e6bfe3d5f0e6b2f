"""A name in an element keeps its element when the translation drops the word before it: Portuguese puts an article
before names ("O Google", "A Petrobras") that English does not. Every expected output is written down here."""

from __future__ import annotations

import pytest

from tests.core.formats.helpers import render_with


@pytest.mark.parametrize(("source", "sentence", "expected"), [
    ("<p>O <b>Google</b> anunciou hoje um novo modelo de linguagem.</p>",
     "Google today announced a new language model.",
     "<p><b>Google</b> today announced a new language model.</p>"),
    ("<p>A <a href=\"x\">Microsoft</a> comprou a <a href=\"y\">OpenAI</a> ontem.</p>",
     "Microsoft bought OpenAI yesterday.",
     "<p><a href=\"x\">Microsoft</a> bought <a href=\"y\">OpenAI</a> yesterday.</p>"),
    ("<p>A <b>Petrobras</b> (<i>PETR4</i>) subiu 2,3% nesta terça.</p>",
     "Petrobras (PETR4) rose 2.3% on Tuesday.",
     "<p><b>Petrobras</b> (<i>PETR4</i>) rose 2.3% on Tuesday.</p>"),
    # the engine moved the name first, and took the next word with it into the element: no name anchors then
    ("<p>Visitei <b>Lisboa</b> ontem.</p>", "Lisboa visited yesterday.", "<p><b>Lisboa</b> visited yesterday.</p>"),
], ids=["article-bold", "article-links", "article-brackets", "name-moved-first"])
def test_a_name_keeps_its_element_when_the_article_before_it_is_dropped(
        source: str, sentence: str, expected: str) -> None:
    assert render_with(source, "html", [sentence], None) == expected


def test_a_name_the_engine_moved_before_its_neighbour_shares_by_proportion() -> None:
    # the only free slot before the name is left empty and the name's slot would take "visited" too
    assert render_with("Visitei **Lisboa**\n", "markdown", ["Lisboa visited"], None) == "Lisboa **visited**\n"


def test_a_sentence_in_a_paragraph_whose_first_element_is_emptied_keeps_the_space_before_it() -> None:
    source = "<p>Fim. O <b>Google</b> anunciou.</p>"
    assert render_with(source, "html", ["End.", "Google announced."], None) == \
        "<p>End. <b>Google</b> announced.</p>"


@pytest.mark.parametrize(("source", "sentences", "expected"), [
    ("O **Google** anunciou hoje um novo modelo.\n", ["Google today announced a new model."],
     "**Google** today announced a new model.\n"),
    ("As ações da [Microsoft](https://m.com) subiram.\n", ["Microsoft shares rose."],
     "[Microsoft](https://m.com) shares rose.\n"),
    ("> O **Google** negou.\n", ["Google denied it."], "> **Google** denied it.\n"),
    ("Ontem\nO **Google** anunciou.\n", ["Yesterday Google announced."], "Yesterday\n**Google** announced.\n"),
    # emptied inside an emphasis, the slot would keep its source words ("o"): the sentence is shared by proportion
    ("Ontem **o _Google_ anunciou cortes** no Brasil.\n", ["Yesterday Google announced cuts in Brazil."],
     "Yesterday **Google _announced_ cuts** in Brazil.\n"),
], ids=["line-start", "line-start-link", "quote", "second-line", "in-emphasis"])
def test_a_markdown_line_start_the_translation_drops_leaves_no_source_words(
        source: str, sentences: list[str], expected: str) -> None:
    # the emptied start of a line is taken out (the elements after it go on on the line), not kept as it was
    assert render_with(source, "markdown", sentences, None) == expected


def test_runs_emptied_before_the_first_text_of_a_block_leave_no_spaces() -> None:
    source = "<p>Segundo o <b>jornal</b> da <i>Folha</i>, ele saiu.</p>"
    assert render_with(source, "html", ["Folha says he left."], None) == "<p><b></b><i>Folha</i> says he left.</p>"


@pytest.mark.parametrize(("source", "sentence", "fmt", "expected"), [
    ("<p>O <a href=\"s\">STF</a> e o <a href=\"t\">TSE</a> decidiram.</p>", "STF and TSE decided.", "html",
     "<p><a href=\"s\">STF</a> and <a href=\"t\">TSE</a> decided.</p>"),
    ("O [STF](s) e o [TSE](t) decidiram.\n", "STF and TSE decided.", "markdown", "[STF](s) and [TSE](t) decided.\n"),
    ("<p>A rede <b>5G</b> chegou ao <i>PR</i> ontem.</p>", "The 5G network arrived in PR yesterday.", "html",
     "<p>The <b>5G</b> network arrived in <i>PR</i> yesterday.</p>"),
    # a short word that is no acronym still never anchors: "a" is in "a new" by chance
    ("<p>Veja <b>a</b> nova lei.</p>", "See the new law.", "html", "<p>See <b>the</b> new law.</p>"),
], ids=["acronym-links", "acronym-markdown", "acronym-digits", "short-word"])
def test_an_acronym_anchors_its_element_like_a_longer_name(source: str, sentence: str, fmt: str, expected: str) -> None:
    assert render_with(source, fmt, [sentence], None) == expected
