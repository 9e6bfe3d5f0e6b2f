"""Loading and validating taxonomy files: the default one, custom ones, and errors naming file and topic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.core.tagging import Tagger, Taxonomy, TaxonomyError, default_taxonomy_path, load_taxonomy, taxonomy_as_dict
from tests.core.tagging.conftest import TOPIC_IDS, write


def test_default_taxonomy(tagger: Tagger) -> None:
    taxonomy = tagger.taxonomy
    assert {t.id for t in tagger.topics()} == TOPIC_IDS
    assert taxonomy.source == str(default_taxonomy_path())
    assert all(0 <= t.threshold <= 1 and t.label and t.description for t in taxonomy.topics)


def test_taxonomy_as_dict_is_json(tagger: Tagger) -> None:
    view = taxonomy_as_dict(tagger.taxonomy)
    topics_view = json.loads(json.dumps(view))["topics"]
    assert {t["id"] for t in topics_view} == TOPIC_IDS
    ai = next(t for t in topics_view if t["id"] == "artificial-intelligence")
    assert {"id", "label", "description", "threshold", "terms"} <= set(ai)
    assert "inteligência artificial" in ai["terms"]["pt"]
    assert "AI" in ai["terms"]["any"]
    policy = next(t for t in topics_view if t["id"] == "ai-policy")
    assert policy["requires"] == {"groups": ["ai", "policy"], "within": 250}


BASE_TOPIC = """\
  - id: sports
    label: Sports
    terms:
      - {id: football, pt: [futebol]}
"""


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("topics:\n  - label: Sports\n    terms:\n      - {id: x, pt: [futebol]}\n", "missing field 'id'"),
        ("topics:\n" + BASE_TOPIC + BASE_TOPIC, "duplicate topic id"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: ['re:(unclosed']}\n", "bad regex"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: ['re:(gol)']}\n", "capturing groups"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: ['re:x*']}\n", "empty string"),
        ("topics:\n" + BASE_TOPIC + "    colour: green\n", "unknown field 'colour'"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, wieght: 2, pt: [gol]}\n", "unknown field 'wieght'"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, weight: heavy, pt: [gol]}\n", "weight must be a number"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, weight: -1, pt: [gol]}\n", "weight must be between"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, case: shouty, pt: [gol]}\n", "unknown case rule 'shouty'"),
        ("topics:\n" + BASE_TOPIC + "    threshold: 1.5\n", "threshold must be between 0 and 1"),
        ("topics:\n" + BASE_TOPIC + "    threshold: -0.1\n", "threshold must be between 0 and 1"),
        ("topics:\n" + BASE_TOPIC + "      - {id: football, pt: [bola]}\n", "duplicate term id 'football'"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: [no]}\n", "every form must be a non-empty string"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: ['*bol']}\n", "'*' may only end a word"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, pt: ['bo*la']}\n", "'*' may only end a word"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad}\n", "no forms"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, groups: [a], pt: [gol]}\n", "group 'a' is used neither"),
        ("topics:\n" + BASE_TOPIC + "      - {id: bad, near: ball, pt: [gol]}\n", "no term of the topic is in group"),
        ("topics:\n" + BASE_TOPIC + "    requires: {groups: [a, b]}\n", "needs 'groups'"),
        ("topics:\n" + BASE_TOPIC + "    requires: {groups: [a]}\n", "at least two distinct group names"),
        ("topics:\n" + BASE_TOPIC + "    include: [{topic: nowhere}]\n", "unknown topic 'nowhere'"),
    ],
)
def test_broken_taxonomies_name_file_topic_and_problem(tmp_path: Path, body: str, problem: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    message = str(caught.value)
    assert str(path) in message
    assert problem in message
    if "missing field 'id'" in problem:
        assert "topic '#1'" in message
    else:
        assert "'sports'" in message


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("topics: [\n", "invalid YAML"),
        ("topics: []\n", "topics must be a non-empty list"),
        ("version: 2\ntopics:\n" + BASE_TOPIC, "version must be 1"),
        ("scoring: {saturation: 0}\ntopics:\n" + BASE_TOPIC, "scoring.saturation"),
        ("- just a list\n", "the document must be a mapping"),
        ("topics:\n" + BASE_TOPIC + "    label: Again\n", "duplicate key 'label'"),
    ],
)
def test_broken_documents_name_the_file(tmp_path: Path, body: str, problem: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(TaxonomyError, match=problem) as caught:
        load_taxonomy(path)
    assert str(path) in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "nowhere.yaml")


def test_taxonomy_keeps_its_source(tmp_path: Path) -> None:
    path = write(tmp_path, "topics:\n" + BASE_TOPIC)
    taxonomy = load_taxonomy(path)
    assert isinstance(taxonomy, Taxonomy)
    assert taxonomy.source == str(path)
    assert taxonomy.topic("sports").label == "Sports"
