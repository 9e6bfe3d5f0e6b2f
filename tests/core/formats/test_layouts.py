"""The formats interface: parse per format, errors, join_mapped, and where inline markup lands."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from service.core.exceptions import CoreError, EmptyDocumentError
from service.core.formats import join_mapped, parse
from service.core.segment import join_translation, split_sentences
from tests.core.formats.helpers import FAKES, html_tree, render_with, translate


@pytest.mark.parametrize(("source", "fmt"), [
    ("   \n ", "text"),
    ("<p> </p><script>var x = 1;</script><pre>código</pre><!-- nada -->", "html"),
    ("<!DOCTYPE html><html><head><title> </title></head><body></body></html>", "html"),
    ("```\nprint('oi')\n```\n\n<div><script>x()</script><!-- nada --></div>\n", "markdown"),
    ("---\ntitle: Só front matter\n---\n", "markdown"),
])
def test_blank_visible_text_is_an_empty_document(source: str, fmt: str) -> None:
    with pytest.raises(EmptyDocumentError):
        parse(source, fmt)  # type: ignore[arg-type]
    assert issubclass(EmptyDocumentError, CoreError)


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        parse("texto", "docx")  # type: ignore[arg-type]


def test_text_is_its_own_visible_text() -> None:
    layout = parse("Olá, mundo.\n\nSegundo parágrafo.", "text")
    assert layout.visible_text == "Olá, mundo.\n\nSegundo parágrafo."
    assert layout.protected == () and layout.extras == ()
    assert translate(layout, FAKES["upper"]) == "OLÁ, MUNDO.\n\nSEGUNDO PARÁGRAFO."


@pytest.mark.parametrize("targets", [
    ["One.", "Two!", "Three?", "Four."],
    ["", "Two!", "  ", "Four."],
    ["One and more.", "", "", ""],
])
def test_join_mapped_joins_like_join_translation_and_maps_each_sentence(targets: list[str]) -> None:
    seg = split_sentences("Um. Dois!\nTrês?\n\nQuatro.", "pt")
    text, spans = join_mapped(seg, targets)
    assert text == join_translation(seg, targets)
    for sentence, target, (src_start, src_end, dst_start, dst_end) in zip(seg.sentences, targets, spans, strict=True):
        assert (src_start, src_end) == (sentence.start, sentence.end)
        assert text[dst_start:dst_end] == target.strip()


def test_html_visible_text_blocks_protected_and_extras() -> None:
    layout = parse('<h1>Título</h1><p>Rode <code>pip install x</code> e veja <a href="/a" title="Dica">o site</a>.'
                   '<script>x()</script></p><pre>não</pre><img src="i.png" alt="Uma foto">', "html")
    assert layout.visible_text == "Título\n\nRode pip install x e veja o site."
    start = layout.visible_text.index("pip")
    assert layout.protected == ((start, start + len("pip install x")),)
    assert layout.extras == ("Dica", "Uma foto")


def test_a_name_in_a_link_stays_in_the_link_when_the_sentence_is_reordered() -> None:
    out = render_with('<p>O anúncio da <a href="https://meta.com">Meta</a> foi ontem.</p>', "html",
                       ["Yesterday came the announcement by Meta."])
    assert out == '<p>Yesterday came the announcement by <a href="https://meta.com">Meta</a>.</p>'


def test_inline_code_keeps_its_text_and_the_words_go_around_it() -> None:
    out = render_with("<p>Execute <code>make test</code> agora.</p>", "html", ["Run make test now."])
    assert out == "<p>Run <code>make test</code> now.</p>"


def test_the_model_dropping_everything_still_keeps_every_element() -> None:
    source = '<p>Um <b>dois <i>três</i></b> <a href="/x">quatro</a> cinco.</p>'
    out = render_with(source, "html", [""])
    assert html_tree(out) == html_tree(source)


def test_alt_and_title_are_translated_through_extras() -> None:
    out = render_with('<p title="Nota">Texto.</p><img alt="Foto" src="f.png">', "html", ["Text."], ["Note", "Photo"])
    assert out == '<p title="Note">Text.</p><img alt="Photo" src="f.png">'


def test_extras_must_match_in_number() -> None:
    layout = parse('<p>Texto.</p><img alt="Foto" src="f.png">', "html")
    with pytest.raises(ValueError, match="extras"):
        layout.render(layout.visible_text, [(0, 6, 0, 6)], [])


def test_whole_documents_stay_whole_and_fragments_stay_fragments() -> None:
    whole = render_with("<!DOCTYPE html><html lang=pt><head><title>Olá</title></head><body><p>Oi.</p></body></html>",
                         "html", ["Hello", "Hi."])
    assert whole == '<!DOCTYPE html><html lang="pt"><head><title>Hello</title></head><body><p>Hi.</p></body></html>'
    assert render_with("<header><p>Oi.</p></header>", "html", ["Hi."]) == "<header><p>Hi.</p></header>"


def test_markdown_escapes_written_text_so_it_opens_no_syntax() -> None:
    out = render_with("Texto com [link](https://x.org) aqui.\n", "markdown", ["Text *with* `x` [link] 1. here."])
    assert "https://x.org" in out
    assert "\\*with\\*" in out and "\\`x\\`" in out


def test_markdown_front_matter_code_and_urls_pass_through() -> None:
    source = "---\ntitle: Olá\n---\n\n# Título\n\nVeja `código` e [site](https://a.b/c?d=1).\n\n```\nx = 1\n```\n"
    out = render_with(source, "markdown", ["Title", "See código and site."])
    assert out == "---\ntitle: Olá\n---\n\n# Title\n\nSee `código` and [site](https://a.b/c?d=1).\n\n```\nx = 1\n```\n"


def test_markdown_html_blocks_go_through_the_html_layout() -> None:
    source = "# Título\n\n<div>O governo aprovou a lei.</div>\n\n<!-- nota -->\n\nOutro."
    layout = parse(source, "markdown")
    assert layout.visible_text == "Título\n\nO governo aprovou a lei.\n\nOutro."
    seg = split_sentences(layout.visible_text, "pt")
    text, spans = join_mapped(seg, ["Title", "The government passed the law.", "Other."])
    out = layout.render(text, spans, [])
    assert out == "# Title\n\n<div>The government passed the law.</div>\n\n<!-- nota -->\n\nOther."
    # again: a second render starts from the source, not from the first render's trees
    assert layout.render(text, spans, []) == out


def test_a_markdown_document_that_is_only_html_has_visible_text() -> None:
    layout = parse('<p>A lei <img src="x.png" alt="foto"> de <code>v1</code></p>', "markdown")
    assert layout.visible_text == "A lei de v1"
    assert layout.extras == ("foto",)
    assert layout.protected == ((9, 11),)


def test_inline_html_in_markdown_delimits_words() -> None:
    layout = parse("Texto e<br>quebra de <b>linha</b> no <code>x y</code>.", "markdown")
    assert layout.visible_text == "Texto e\nquebra de linha no x y."  # <br> is a line break, not a join
    assert layout.protected == ((27, 30),)


def test_inline_translate_no_and_notranslate_are_protected() -> None:
    layout = parse('<p>Use <span translate="no">Modo Seguro</span> e <em class="x notranslate">Painel</em> hoje; '
                   '<span translate="NO ">Ajuda</span>, <span translate="yes">sim</span>, '
                   '<span class="notranslated">não</span>.</p>', "html")
    assert layout.visible_text == "Use Modo Seguro e Painel hoje; Ajuda, sim, não."
    protected = [layout.visible_text[start:end] for start, end in layout.protected]
    assert protected == ["Modo Seguro", "Painel", "Ajuda"]
    out = render_with('<p>Abra o <span translate="no">Modo Seguro</span> agora.</p>', "html",
                       ["Open Modo Seguro now."])
    assert out == '<p>Open <span translate="no">Modo Seguro</span> now.</p>'


@pytest.mark.parametrize(("written", "escaped"), [
    ("# not a heading", "\\# not a heading"),
    ("> not a quote", "\\> not a quote"),
    ("+ not a list", "\\+ not a list"),
    ("- not a list", "\\- not a list"),
    ("= not a setext line", "\\= not a setext line"),
    ("100. not a list", "100\\. not a list"),
    ("7) not a list", "7\\) not a list"),
    ("2024 was a year", "2024 was a year"),
], ids=["heading", "quote", "plus", "dash", "setext", "ordered", "paren", "year"])  # ids a command line can name
def test_markdown_escapes_what_would_open_a_block_at_a_line_start(written: str, escaped: str) -> None:
    out = render_with("Um parágrafo.\n", "markdown", [written])
    assert out == escaped + "\n"
    assert [t.type for t in MarkdownIt("commonmark").parse(out)] == ["paragraph_open", "inline", "paragraph_close"]
    # inside a line the same characters open nothing: no backslash before them but the ones for inline syntax
    inside = render_with("Um parágrafo.\n", "markdown", ["Text " + written])
    assert inside == "Text " + written.replace(">", "\\>") + "\n"


def test_markdown_emphasis_left_without_words_keeps_its_own() -> None:
    # two emphasised words become one: `**` would be two literal asterisks, not an emphasis
    out = render_with("*Atenção* *agora*.\n", "markdown", ["Now."])
    assert "**" not in out
    assert [t.type for t in MarkdownIt("commonmark").parse(out)[1].children or []].count("em_open") == 2
