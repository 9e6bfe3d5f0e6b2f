"""Markdown rules a translation must keep, each on a document written for it: image descriptions, reference labels,
table cells, front matter, and where a space goes around inline HTML. Every expected output is written down here
(what CommonMark needs for the document to keep its structure), never read back from the layout."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from service.core.exceptions import EmptyDocumentError
from service.core.formats import join_mapped, parse
from service.core.formats.markdown import _parser
from service.core.segment import split_sentences
from tests.core.formats.helpers import render_with


def _render(source: str, sentences: list[str], extras: list[str] | None = None) -> str:
    return render_with(source, "markdown", sentences, extras)


def test_an_inline_image_description_is_an_extra_escaped_in_place() -> None:
    source = "Veja ![Foto do rio](f.png) hoje.\n"
    layout = parse(source, "markdown")
    assert layout.visible_text == "Veja hoje."
    assert layout.extras == ("Foto do rio",)
    # not at a line start: `#` opens nothing there, `*` would open emphasis
    out = _render(source, ["See today."], ["#1 River *photo*"])
    assert out == "See ![#1 River \\*photo\\*](f.png) today.\n"
    # a description that comes back as it was is left byte for byte
    assert _render("Veja ![Foto_1](f.png) hoje.\n", ["See today."], ["Foto_1"]) == "See ![Foto_1](f.png) today.\n"


def test_only_a_full_reference_image_has_its_description_translated() -> None:
    # In ![Rio][] and ![Mar] the description is also the reference label: translating it would break the image.
    source = "Veja ![Foto][r] e ![Rio][] e ![Mar].\n\n[r]: f.png\n[rio]: r.png\n[mar]: m.png\n"
    assert parse(source, "markdown").extras == ("Foto",)
    out = _render(source, ["See and and ."], ["Photo"])
    assert out == "See ![Photo][r] and ![Rio][] and ![Mar].\n\n[r]: f.png\n[rio]: r.png\n[mar]: m.png\n"


def test_a_reference_label_is_never_rewritten() -> None:
    # [Governo][] and [Lei] name their link definitions: a translated label would leave a literal "[Government]"
    source = "Leia [Governo][] e [Lei] e [Texto](u) e [Outro][l].\n\n[governo]: g\n[lei]: l\n[l]: x\n"
    out = _render(source, ["Read Government and Law and Text and Other."])
    assert "[Governo][]" in out and "[Lei]" in out
    assert "Texto" not in out and "Outro" not in out  # the texts of full links are translated
    links = [child.attrGet("href") for token in MarkdownIt("commonmark").parse(out) if token.children
             for child in token.children if child.type == "link_open"]
    assert links == ["g", "l", "u", "x"]


def test_equal_cells_of_one_table_row_each_get_their_own_translation() -> None:
    source = "| Sim | Sim |\n|---|---|\n| Não | Talvez |\n"
    assert _render(source, ["Yes", "Yes too", "No", "Maybe"]) == "| Yes | Yes too |\n|---|---|\n| No | Maybe |\n"


def test_front_matter_ends_at_three_dots_too() -> None:
    source = "---\ntitle: Texto\n...\n\nTexto.\n"
    assert parse(source, "markdown").visible_text == "Texto."
    assert _render(source, ["Text."]) == "---\ntitle: Texto\n...\n\nText.\n"


def test_an_unclosed_front_matter_is_a_thematic_break() -> None:
    # without its closing line, `---` is Markdown: a thematic break, then a paragraph
    source = "---\nTítulo\n"
    assert parse(source, "markdown").visible_text == "Título"
    assert _render(source, ["Title"]) == "---\nTitle\n"


def test_a_space_the_translation_adds_at_an_inline_element_boundary_goes_outside_it() -> None:
    assert _render("Um <b>dois</b>três.\n", ["One two three."]) == "One <b>two</b> three.\n"
    # two elements deep, then one: each space goes outside the element it closes
    assert (_render("Um <b><i>dois</i>três</b>quatro.\n", ["One two three four."])
            == "One <b><i>two</i> three</b> four.\n")
    # a void element (an image, a break) opens nothing: the text after it is outside <b>
    assert _render("<b>Um</b><img src=x>dois.\n", ["One two."]) == "<b>One</b><img src=x> two.\n"
    assert _render("<b>Um</b><br/>dois.\n", ["One", "two."]) == "<b>One</b><br/>two.\n"
    assert _render("Um<b>dois</b> três.\n", ["One two three."]) == "One <b>two</b> three.\n"  # before one too


def test_every_html_block_keeps_its_own_attributes() -> None:
    source = '<p title="Nota">Oi.</p>\n\nTexto.\n\n<p><img alt="Foto" src="f.png"></p>\n'
    layout = parse(source, "markdown")
    assert layout.extras == ("Nota", "Foto")
    out = _render(source, ["Hi.", "Text."], ["Note", "Photo"])
    assert out == '<p title="Note">Hi.</p>\n\nText.\n\n<p><img alt="Photo" src="f.png"></p>\n'


def test_an_html_block_without_text_is_left_byte_for_byte() -> None:
    # serialising it again would quote the attribute: an HTML block with nothing to translate is not touched
    source = "<div class=x></div>\n\nTexto.\n"
    assert _render(source, ["Text."]) == "<div class=x></div>\n\nText.\n"


def test_rendering_again_starts_from_the_source() -> None:
    layout = parse("# Título\n\n<div>O governo.</div>\n", "markdown")
    seg = split_sentences(layout.visible_text, "pt")
    text, spans = join_mapped(seg, ["Title", "The government."])
    assert layout.render(text, spans, []) == "# Title\n\n<div>The government.</div>\n"
    # the HTML block's tree was edited by the first render: a second translation is not written over it
    text, spans = join_mapped(seg, ["Titre", "Le gouvernement."])
    assert layout.render(text, spans, []) == "# Titre\n\n<div>Le gouvernement.</div>\n"


def test_the_parser_keeps_every_text_token_apart_with_where_it_starts() -> None:
    md = _parser()  # built afresh: the module's own parser is built once, at import
    inline = md.parse("Um \\*dois\\* &amp; 2 * 3\n")[1]
    # U0 m1 _2 \3 *4 d5..s8 \9 *10 _11 &12..;16 _17 2 _19 *20 _21 3: escapes, entities and a stray delimiter are
    # tokens of their own (not joined), each text with its offset in the inline source
    assert [(c.type, c.content, (c.meta or {}).get("at")) for c in inline.children or []] == [
        ("text", "Um ", 0), ("text_special", "*", 3), ("text", "dois", 5), ("text_special", "*", 9),
        ("text", " ", 11), ("text_special", "&", 12), ("text", " 2 ", 17), ("text", "*", None), ("text", " 3", 21)]
    assert md.parse("| a |\n|---|\n")[0].type == "table_open"  # tables on


def test_a_space_the_translation_adds_after_inline_code_is_kept_unless_it_would_break_emphasis() -> None:
    assert _render("`x`dois três.\n", ["x two three."]) == "`x` two three.\n"  # it was lost: "`x`two"
    assert _render("*`x`dois* três.\n", ["x two three."]) == "*`x` two* three.\n"  # inside emphasis, after the code
    # "* two*" would be no emphasis but two asterisks: the space goes between the code and the emphasis
    out = _render("`x`*dois* três.\n", ["x two three."])
    assert out == "`x` *two* three.\n"
    assert "em_open" in [child.type for child in MarkdownIt("commonmark").parse(out)[1].children or []]


@pytest.mark.parametrize(("source", "sentence", "expected"), [
    # inline HTML code then emphasis, both one deep: the space goes outside both, not inside the emphasis
    ("<code>x</code>*dois* três.\n", "x two three.", "<code>x</code> *two* three.\n"),
    ("Leia [Lei]*agora* já.\n\n[lei]: x\n", "Read Lei now already.", "Read [Lei] *now* already.\n\n[lei]: x\n"),
    # two elements deep, and out of one element into another: "*one *" would end no emphasis either
    ("`x`***dois*** três.\n", "x two three.", "`x` ***two*** three.\n"),
    ("*um*__dois__ três.\n", "one two three.", "*one* __two__ three.\n"),
    ("*um*`x` três.\n", "one x three.", "*one* `x` three.\n"),
    ("[um](u)<b>dois</b> três.\n", "one two three.", "[one](u) <b>two</b> three.\n"),
])
def test_a_space_the_translation_adds_between_two_elements_goes_between_them(
        source: str, sentence: str, expected: str) -> None:
    out = _render(source, [sentence])
    assert out == expected
    md = MarkdownIt("commonmark")
    assert [c.type for c in md.parse(out)[1].children or [] if c.nesting] == [
        c.type for c in md.parse(source)[1].children or [] if c.nesting]


def test_an_empty_markdown_source_is_an_empty_document() -> None:
    with pytest.raises(EmptyDocumentError):
        parse("", "markdown")


def test_the_text_before_a_shortcut_reference_is_translated() -> None:
    assert _render("Leia [Lei] hoje.\n\n[lei]: x\n", ["Read Lei today."]) == "Read [Lei] today.\n\n[lei]: x\n"


def test_a_translation_without_the_image_descriptions_is_refused() -> None:
    layout = parse("![a](b) Texto.\n", "markdown")
    with pytest.raises(ValueError, match="expected 1 translated extras, got 0"):
        layout.render("Text.", [(0, 6, 0, 5)], [])


def test_inside_an_html_block_an_added_space_goes_outside_the_element_too() -> None:
    assert _render("<div>Um <b>dois</b>três.</div>\n", ["One two three."]) == "<div>One <b>two</b> three.</div>\n"


def test_a_run_the_translation_leaves_without_words_loses_them_unless_emphasis_would_be_left_empty() -> None:
    # outside emphasis, " e " gets no words: its Portuguese word does not stay (its spaces do)
    assert _render("**Lisboa** e **Porto**\n", ["Lisboa Porto"]) == "**Lisboa**  **Porto**\n"
    # inside, "****" would be no emphasis but literal asterisks: it keeps its words, and the runs after it are
    # still written
    assert _render("**Muito** obrigado\n", ["Thanks"]) == "**Muito** Thanks\n"


def test_a_space_the_translation_adds_after_a_reference_label_goes_before_the_next_word() -> None:
    # [Lei] is inside the link inside the emphasis; "agora" is one element up: the space goes outside the link
    out = _render("*Leia [Lei]agora*\n\n[lei]: x\n", ["Read Lei now"])
    assert out == "*Read [Lei] now*\n\n[lei]: x\n"


@pytest.mark.parametrize("image", ["![](f.png)", "![ ](f.png)"])
def test_an_image_without_a_description_has_no_extra(image: str) -> None:
    source = f"Veja {image} hoje.\n"
    assert parse(source, "markdown").extras == ()
    assert _render(source, ["See today."], []) == f"See {image} today.\n"


def test_a_source_with_old_mac_line_ends_is_read() -> None:
    # markdown-it reads a lone \r as a line end: the paragraph has two lines, the image is on the second one
    assert parse("Um\r![Foto](f.png) dois\r", "markdown").visible_text == "Um dois"


def test_a_table_cell_with_an_escaped_pipe_is_never_written_over_another_line() -> None:
    # the cell's text "sim | não" (its \| unescaped) is not in its own line but is in the next one: whatever
    # becomes of the cell, the quote below keeps its own translation, once
    source = "| Nome | Valor |\n|---|---|\n| sim \\| não | certo |\n> sim | não"
    out = _render(source, ["Name", "Value", "yes | no", "right", "yes | no"])
    assert out.startswith("| Name | Value |\n|---|---|\n| ")
    assert out.endswith(" | right |\n> yes \\| no")


def test_text_the_translation_puts_after_inline_code_that_ends_a_sentence_stays_after_it() -> None:
    # the source has no text after the code: the period (or words) after it are written right after the code,
    # not in front of it ("To list, use . `ls`")
    assert _render("Para listar, use `ls`\n", ["To list, use ls."]) == "To list, use `ls`.\n"
    assert _render("Use `ls`\n", ["Run ls."]) == "Run `ls`.\n"
    assert _render("Use `ls`\n", ["Run ls now."]) == "Run `ls` now.\n"
    assert _render("Use ``a`b``\n", ["Run a`b!"]) == "Run ``a`b``!\n"  # after the closing backticks, all of them
    # the engine moved the code first: the slot before it would be left without words, so they stay there
    assert _render("Use `ls`\n", ["ls run"]) == "run `ls`\n"


@pytest.mark.parametrize(("source", "sentences", "expected"), [
    # a continuation line indented with a tab: markdown-it gives its text with the tab as spaces
    ("- um\n\tdois\n", ["one two"], "- one\n\ttwo\n"),
    # a line that starts after the tab's spaces is still at the start of a line: "#" there would open a heading
    ("- um\n\tdois\n", ["one # two"], "- one\n\t\\# two\n"),
    # a table cell with an escaped pipe: markdown-it gives its text with the pipe unescaped
    ("| sim \\| não | certo |\n|---|---|\n", ["yes | no", "right"], "| yes \\| no | right |\n|---|---|\n"),
    ("| a \\| b \\| c | d |\n|---|---|\n", ["x | y | z", "w"], "| x \\| y \\| z | w |\n|---|---|\n"),
    # old-Mac line ends (a lone CR), and CR LF, as LF
    ("Um\rdois\r", ["One two"], "One\rtwo\r"),
    ("Um\r\ndois\r\n\r\nTrês\r\n", ["One two", "Three"], "One\r\ntwo\r\n\r\nThree\r\n"),
])
def test_a_paragraph_whose_lines_markdown_it_rewrites_is_still_translated(
        source: str, sentences: list[str], expected: str) -> None:
    assert _render(source, sentences) == expected


def test_text_after_inline_code_that_ends_a_sentence_in_an_html_block_stays_after_it() -> None:
    # the period goes in a text node written after <code>; the paragraph after the HTML block is still translated
    source = "<div>Use <code>ls</code></div>\n\nTexto.\n"
    assert _render(source, ["Run ls.", "Text."]) == "<div>Run <code>ls</code>.</div>\n\nText.\n"


def test_text_written_at_one_place_stays_in_the_order_it_was_written() -> None:
    # a sentence ends with the code (its period goes right after it) and the next one starts in the emphasis right
    # after the code, with a space the source had not: both are written at the same place, the period first
    layout = parse("Use `ls`*Agora* sim.\n", "markdown")
    assert layout.visible_text == "Use lsAgora sim."
    assert layout.render("Run ls. Now yes.", [(0, 6, 0, 7), (6, 16, 8, 16)], []) == "Run `ls`. *Now* yes.\n"


def test_inline_html_code_inside_inline_html_code_leaves_the_outer_one_protected() -> None:
    # closing <kbd> leaves <code> open: "c" is code still, kept as it is, not given a translated word
    layout = parse("Use <code>a<kbd>b</kbd>c</code> agora.\n", "markdown")
    assert layout.visible_text == "Use abc agora."
    assert [layout.visible_text[a:b] for a, b in layout.protected] == ["a", "b", "c"]
    out = _render("Use <code>a<kbd>b</kbd>c</code> agora.\n", ["Now run abc."])
    assert out == "Now run <code>a<kbd>b</kbd>c</code>.\n"


@pytest.mark.parametrize(("source", "sentence", "expected"), [
    # an escape or an entity inside emphasis is inside it: the space after it stays inside too
    ("Veja *&amp;dois* três.\n", "See & two three.", "See *&amp; two* three.\n"),
    ("Veja *\\*dois* três.\n", "See * two three.", "See *\\* two* three.\n"),
    # an image opens no element: after emphasis, the text after the image is outside the emphasis ...
    ("*um*![](x)dois três.\n", "one two three.", "*one*![](x) two three.\n"),
    # ... and inside emphasis it does not close it
    ("*um![](x)dois* três.\n", "one two three.", "*one ![](x)two* three.\n"),
])
def test_escapes_entities_and_images_neither_open_nor_close_an_element(
        source: str, sentence: str, expected: str) -> None:
    assert _render(source, [sentence]) == expected


def test_a_stray_run_of_asterisks_keeps_its_asterisks() -> None:
    # "**" between spaces opens no emphasis: both asterisks are kept, none is given a translated word
    assert _render("Um ** dois.\n", ["One ** two."]) == "One ** two.\n"
    assert _render("Um ** dois.\n", ["One two."]) == "One ** two.\n"


@pytest.mark.parametrize(("source", "sentences", "expected"), [
    # a one-line paragraph with a pipe, at the very start of the source: it is found as written
    ("Sim | não.\n", ["Yes | no."], "Yes \\| no.\n"),
    # a table without outer pipes: its first cell, escaped pipe and all, starts the source
    ("sim \\| não | certo\n---|---\n", ["yes | no", "right"], "yes \\| no | right\n---|---\n"),
    # an escaped pipe in a row of the body, not only in the header row
    ("| a | b |\n|---|---|\n| sim \\| não | certo |\n", ["A", "B", "yes | no", "right"],
     "| A | B |\n|---|---|\n| yes \\| no | right |\n"),
    # two equal cells with escaped pipes: each is found at its own place
    ("| a \\| b | a \\| b |\n|---|---|\n", ["x | y", "z | w"], "| x \\| y | z \\| w |\n|---|---|\n"),
    # a pipe in a line indented with a tab, in a paragraph of two lines: no table cell, its pipe was never escaped
    ("- um\n\tdois | três\n", ["one two | three"], "- one\n\ttwo \\| three\n"),
    # the text of a line indented with a tab is also in a paragraph before it: it is found in its own line
    ("dois\n\n- um\n\tdois\n", ["two", "one three"], "two\n\n- one\n\tthree\n"),
    # a line indented with a tab, then another line: the one after it is found too
    ("- um\n\tdois\n\ttrês\n", ["one two three"], "- one\n\ttwo\n\tthree\n"),
    # what follows the tab is all the line has: an "X" (which is no indentation), a no-break space
    ("- um\n\tX\n", ["one Y"], "- one\n\tY\n"),
    ("- um\n\t\xa0\n\tdois\n", ["one \xa0 two"], "- one\n\t\xa0\n\ttwo\n"),
    ("- um\n\t\xa0\n\tdois\n", ["one X two"], "- one\n\tX\n\ttwo\n"),  # the no-break space is a word's slot
    # a one-line paragraph with a pipe is found as written, not as the escaped text of a paragraph after it
    ("Sim | não.\n\nSim \\| não.\n", ["Yes | no.", "Yes | no!"], "Yes \\| no.\n\nYes \\| no!\n"),
    # the next cell is searched after the whole of the previous one, its backslashes included
    ("| a \\| b | b |\n|---|---|\n", ["x | y", "z"], "| x \\| y | z |\n|---|---|\n"),
    # a text that ends with an escaped pipe ends after it
    ("| sim \\|*não* | certo |\n|---|---|\n", ["yes | no", "right"], "| yes \\| *no* | right |\n|---|---|\n"),
])
def test_each_line_of_a_paragraph_is_found_at_its_own_place(
        source: str, sentences: list[str], expected: str) -> None:
    assert _render(source, sentences) == expected


@pytest.mark.parametrize(("source", "sentences", "expected"), [
    # "|sim" as written is also in "\|sim": the cell starts at its backslash, which the translation's pipe keeps
    ("| \\|sim | certo |\n|---|---|\n", ["|yes", "right"], "| \\|yes | right |\n|---|---|\n"),
    ("| x | \\| grep a |\n|---|---|\n", ["x", "| grep b"], "| x | \\| grep b |\n|---|---|\n"),
])
def test_a_table_cell_that_starts_with_an_escaped_pipe_keeps_it_escaped(
        source: str, sentences: list[str], expected: str) -> None:
    assert _render(source, sentences) == expected


def test_a_paragraph_markdown_it_rewrote_past_recognition_is_never_written_over_another_one() -> None:
    # markdown-it reads a NUL character as U+FFFD: the first paragraph is not found as written, and its text is
    # found in the second one only; that one keeps its own translation, once
    out = _render("Um\0\n\nUm\ufffd\n", ["One", "Two"])
    assert out.split("\n\n")[1:] == ["Two\n"]


def test_a_paragraph_not_found_in_the_source_is_left_as_it_is_markup_and_all() -> None:
    # (a NUL character, which markdown-it reads as U+FFFD) its image, emphasis, code and inline HTML are not placed
    # anywhere in the source: nothing in it is rewritten, its image's description is no extra, and the paragraph
    # after it is translated
    source = "Um\0 ![Foto](f.png) *dois* `x` <b>três</b>.\n\nQuatro.\n"
    assert parse(source, "markdown").extras == ()
    out = _render(source, ["One two x three.", "Four."], [])
    assert out == "Um\0 ![Foto](f.png) *dois* `x` <b>três</b>.\n\nFour.\n"
