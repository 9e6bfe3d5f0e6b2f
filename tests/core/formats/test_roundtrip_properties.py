"""For any generated HTML or Markdown document: render(parse(x)) keeps the tree, whatever the translation does."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from service.core.exceptions import EmptyDocumentError
from service.core.formats import parse
from tests.core.formats.helpers import FAKES, html_comments_and_raw, html_tree, md_structure, normalised_html, translate
from tests.properties import PROPERTIES

# ~5 ms an example: 100 examples a property in `make test`, 10 (about 50 ms) in `make test-fast`

_WORDS = ["O", "modelo", "Meta", "lançou", "código", "aberto", "em", "2024", "é", "v2.0", "https://a.pt/x",
          "&amp;", "&lt;", "ação", "IA", "—", ",", ".", "!", "?"]
words = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6).map(" ".join)

# -- HTML ---------------------------------------------------------------------------------------------------------

_INLINE = ["b", "i", "em", "strong", "a", "span", "abbr", "sup", "code", "kbd"]
_ATTRS = ["", ' href="/x"', ' translate="no"', ' class="notranslate"', ' title="Dica útil"', ' data-x="1"']


def _inline(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda tag, attrs, inner: f"<{tag}{attrs}>{inner}</{tag}>",
                     st.sampled_from(_INLINE), st.sampled_from(_ATTRS), children)


inline_html = st.recursive(words, lambda inner: st.one_of(
    _inline(inner),
    st.lists(inner, min_size=2, max_size=3).map(" ".join),
    st.just("<br>"),
    st.just('<img src="f.png" alt="Uma foto">'),
    st.just("<!-- nota -->"),
), max_leaves=8)


def _block(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda tag, body: f"<{tag}>{body}</{tag}>", st.sampled_from(["p", "h2", "li", "td", "blockquote"]),
                  inline_html),
        st.builds(lambda items: "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>",
                  st.lists(inline_html, min_size=1, max_size=3)),
        st.builds(lambda body: f"<div>{body}</div>", st.lists(inner, min_size=1, max_size=3).map("".join)),
        st.just("<pre>não  traduzir</pre>"),
        st.just("<script>var x = 1;</script>"),
        st.builds(lambda body: f'<p translate="no">{body}</p>', inline_html),
    )


html_documents = st.recursive(inline_html.map(lambda body: f"<p>{body}</p>"),
                              lambda inner: st.lists(_block(inner), min_size=1, max_size=4).map("".join),
                              max_leaves=6)


@PROPERTIES
@given(source=html_documents, fake=st.sampled_from(sorted(FAKES)))
def test_html_render_keeps_the_tree(source: str, fake: str) -> None:
    try:
        layout = parse(source, "html")
    except EmptyDocumentError:
        assume(False)  # no visible text at all
        raise
    output = translate(layout, FAKES[fake])
    assert html_tree(output) == html_tree(source)
    assert html_comments_and_raw(output) == html_comments_and_raw(source)
    assert normalised_html(output) == output
    again = parse(output, "html") if fake == "identity" else None
    if again is not None:
        assert again.visible_text == layout.visible_text
        assert again.protected == layout.protected and again.extras == layout.extras
    # every protected range comes back as written
    for start, end in layout.protected:
        piece = layout.visible_text[start:end]
        assert piece in parse(output, "html").visible_text


# -- Markdown -----------------------------------------------------------------------------------------------------

_SPANS = ["*{}*", "**{}**", "`{}`", "[{}](https://x.org/a)", "{}", "{}", "_{}_"]
md_inline = st.lists(st.builds(lambda shape, text: shape.format(text), st.sampled_from(_SPANS), words),
                     min_size=1, max_size=4).map(" ".join)
md_block = st.one_of(
    md_inline,
    md_inline.map(lambda text: "# " + text),
    md_inline.map(lambda text: "### " + text),
    md_inline.map(lambda text: "> " + text),
    st.lists(md_inline, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(md_inline, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n}. {i}" for n, i in
                                                                             enumerate(items, 1))),
    st.just("```\ncódigo = 1\n```"),
    st.just("| a | b |\n|---|---|\n| um | dois |"),
    st.just("![Uma foto](f.png)"),
)
md_documents = st.lists(md_block, min_size=1, max_size=5).map(lambda blocks: "\n\n".join(blocks) + "\n")


@PROPERTIES
@given(source=md_documents, fake=st.sampled_from(sorted(FAKES)))
def test_markdown_render_keeps_the_structure(source: str, fake: str) -> None:
    try:
        layout = parse(source, "markdown")
    except EmptyDocumentError:
        assume(False)
        raise
    output = translate(layout, FAKES[fake])
    assert md_structure(output) == md_structure(source)
    pieces = [layout.visible_text[start:end] for start, end in layout.protected]
    if fake == "identity" and all(layout.visible_text.count(piece) == 1 for piece in pieces):
        # nothing written that was not there (an inline code equal to a word before it, as in "*O* `O`", anchors
        # on that word: placement is then a guess, the structure above still holds)
        assert output == source
