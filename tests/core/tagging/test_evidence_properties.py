"""For any text and any taxonomy: every piece of evidence slices back out of the field it names."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from service.core.tagging import Tagger, load_taxonomy
from tests.core.tagging.conftest import assert_offsets
from tests.properties import PROPERTIES

# words that fold (accents, capitals, ligatures, dotted and long letters change length when folded), separators
_WORDS = ["dados", "Dados", "DADOS", "regulação", "Regulacao", "código", "aberto", "código-aberto", "IA", "ia",
          "Meta", "meta", "straße", "ﬁnança", "İstanbul", "ǅemal", "chip", "chips", "GPU", "GPUs", "ação", "ações"]
_GLUE = [" ", "  ", "-", " - ", ", ", ". ", "\n", "\t", "(", ")", "«", "»", "—", "/"]
texts = st.lists(st.one_of(st.sampled_from(_WORDS), st.sampled_from(_GLUE)), max_size=30).map("".join)
forms = st.one_of(
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3).map(" ".join),
    st.sampled_from(_WORDS).map(lambda word: word[: max(2, len(word) - 2)] + "*"),
)
terms = st.lists(st.tuples(forms, st.sampled_from(["insensitive", "sensitive"]), st.sampled_from([0.3, 1.0])),
                 min_size=1, max_size=6)


def _taxonomy(topics: list[list[tuple[str, str, float]]]) -> str:
    out = []
    for number, topic_terms in enumerate(topics):
        entries = [{"id": f"t{k}", "weight": weight, "case": case, "pt": [form], "en": [form]}
                   for k, (form, case, weight) in enumerate(topic_terms)]
        out.append({"id": f"topic-{number}", "label": f"Topic {number}", "threshold": 0.01, "terms": entries})
    return json.dumps({"topics": out}, ensure_ascii=False)  # JSON is YAML


@PROPERTIES
@given(topics=st.lists(terms, min_size=1, max_size=3), source=texts, translation=texts,
       language=st.sampled_from(["pt", "en", "es"]))
def test_every_evidence_slices_back(topics: list[list[tuple[str, str, float]]], source: str, translation: str,
                                    language: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "taxonomy.yaml"
        path.write_text(_taxonomy(topics), encoding="utf-8")
        tagger = Tagger(load_taxonomy(path))
    tags = tagger.tag(source, language, translation)
    assert_offsets(tags, source, translation)
    for tag in tags:
        assert 0 < tag.score <= 1
        assert list(tag.evidence) == sorted(tag.evidence, key=lambda e: (e.field != "source", e.start, e.end))
