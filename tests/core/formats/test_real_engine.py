"""A few corpus documents through the real offline fixture engine: whatever it writes, markup survives."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.formats import join_mapped, parse
from service.core.packages import check_package_dir
from service.core.segment import split_sentences
from service.core.translate import ArgosTranslator, DecodingOptions
from tests.core.formats.helpers import DOCUMENTS, html_comments_and_raw, html_tree, md_structure

pytestmark = pytest.mark.slow

NAMES = ["01_wordpress_post.html", "04_nested_inline.html", "08_broken_markup.html", "30_long_article.html",
         "32_blog_front_matter.md", "43_post_with_everything.md"]


@pytest.fixture(scope="module")
def engine(packages_dir: Path) -> ArgosTranslator:
    return ArgosTranslator(check_package_dir(packages_dir / "translate-pt_en-ponte_test-1_0"), DecodingOptions())


@pytest.mark.parametrize("name", NAMES)
def test_real_translation_keeps_the_markup(engine: ArgosTranslator, name: str) -> None:
    source = (DOCUMENTS / name).read_text(encoding="utf-8")
    fmt = "html" if name.endswith(".html") else "markdown"
    layout = parse(source, fmt)
    seg = split_sentences(layout.visible_text, "pt")
    out = engine.translate([s.text for s in seg.sentences] + list(layout.extras))
    text, spans = join_mapped(seg, out[: len(seg.sentences)])
    output = layout.render(text, spans, out[len(seg.sentences):])
    assert parse(output, fmt).visible_text != layout.visible_text
    if fmt == "html":
        assert html_tree(output) == html_tree(source)
        assert html_comments_and_raw(output) == html_comments_and_raw(source)
    else:
        assert md_structure(output) == md_structure(source)
