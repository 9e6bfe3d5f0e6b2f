"""GET /v1/topics' view of a taxonomy and the taxonomy's own errors, written down in full for a small file."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.tagging import TaxonomyError, load_taxonomy, taxonomy_as_dict
from tests.core.tagging.conftest import write

SMALL = """\
scoring:
  saturation: 2.0
  repeat_decay: 0.25
topics:
  - id: football
    label: Football
    description: The game.
    threshold: 0.4
    terms:
      - {id: ball, en: [ball], pt: [bola], any: [FIFA]}
      - {id: goal, pt: ['re:gol(?:o|os)?']}
    exclusions:
      - {pt: [bola de cristal]}
  - id: sport
    label: Sport
    description: Any sport.
    terms:
      - {id: match, groups: [play], pt: [partida]}
    include:
      - {topic: football, group: games, weight: 0.5}
    requires: {groups: [games, play], within: 100}
"""


def test_the_view_of_a_small_taxonomy(tmp_path: Path) -> None:
    view = taxonomy_as_dict(load_taxonomy(write(tmp_path, SMALL)))
    assert view["scoring"] == {"saturation": 2.0, "repeat_decay": 0.25}
    football, sport = view["topics"]
    assert football["id"] == "football" and football["threshold"] == 0.4
    # languages sorted, `any` last; a regex form as written in the file
    assert list(football["terms"].items()) == [("en", ["ball"]), ("pt", ["bola", "re:gol(?:o|os)?"]),
                                               ("any", ["FIFA"])]
    assert football["exclusions"] == {"pt": ["bola de cristal"]}
    assert sport["includes"] == [{"topic": "football", "group": "games", "weight": 0.5}]
    assert sport["requires"] == {"groups": ["games", "play"], "within": 100}
    assert football["requires"] is None


def test_a_taxonomy_error_keeps_its_parts(tmp_path: Path) -> None:
    path = write(tmp_path, "topics:\n  - id: x\n    label: X\n    terms:\n      - {id: bad, pt: ['re:(']}\n")
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path)
    error = caught.value
    assert (error.source, error.topic) == (str(path), "x")
    assert "bad regex" in error.problem and error.problem in str(error)


def test_an_unknown_topic_is_a_key_error_naming_it(tmp_path: Path) -> None:
    taxonomy = load_taxonomy(write(tmp_path, SMALL))
    assert taxonomy.topic("sport").label == "Sport"
    with pytest.raises(KeyError) as caught:
        taxonomy.topic("cooking")
    assert caught.value.args == ("cooking",)
