"""A user adds a topic through PONTE_TAXONOMY without touching code; a broken file stops the boot."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.tagging import default_taxonomy_path
from service.settings import ConfigError
from service.web import create_app
from tests.conftest import FakeFactory
from tests.contract import ContractClient

SPORTS = """
  - id: sports
    label: Sports
    description: Football and other sports.
    iptc:
      - {code: 'medtop:15000000', label: sport, relation: broader}
      - {code: 'medtop:20001065', relation: narrower}
    terms:
      - id: football
        weight: 0.8
        pt: [futebol, campeonato, gol, golos, gols, seleção brasileira]
        en: [football, championship, goal*]
"""


def test_new_topic_through_ponte_taxonomy(tmp_path: Path, packages_dir: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    custom = tmp_path / "taxonomy.yaml"
    custom.write_text(default_taxonomy_path().read_text(encoding="utf-8").rstrip() + "\n" + SPORTS, encoding="utf-8")
    monkeypatch.setenv("PONTE_TAXONOMY", str(custom))
    monkeypatch.setenv("PONTE_PACKAGES_DIR", str(packages_dir))
    monkeypatch.setenv("PONTE_MODEL_LOADING", "eager")
    client = ContractClient(create_app(engine_factory=FakeFactory()).test_client())
    assert "sports" in {t["id"] for t in client.get("/v1/topics").get_json()["topics"]}
    text = "A seleção brasileira venceu o campeonato com um gol no último minuto do jogo de futebol."
    tags = client.post("/v1/analyze", json={"text": text}).get_json()["tags"]
    assert [t["topic"] for t in tags] == ["sports"]
    assert tags[0]["iptc"] == [{"code": "medtop:15000000", "label": "sport", "relation": "broader"},
                               {"code": "medtop:20001065", "label": "football", "relation": "narrower"}]
    for evidence in tags[0]["evidence"]:
        if evidence["field"] == "source":
            assert text[evidence["start"]:evidence["end"]] == evidence["term"]


def test_broken_taxonomy_stops_the_boot_naming_file_and_topic(tmp_path: Path, packages_dir: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(default_taxonomy_path().read_text(encoding="utf-8").rstrip() + "\n"
                      + SPORTS.replace("weight: 0.8", "weight: lots"), encoding="utf-8")
    monkeypatch.setenv("PONTE_TAXONOMY", str(broken))
    monkeypatch.setenv("PONTE_PACKAGES_DIR", str(packages_dir))
    with pytest.raises(ConfigError) as error:  # when the settings load, before any engine is built
        create_app(engine_factory=FakeFactory())
    line = broken.read_text(encoding="utf-8").splitlines().index("      - id: football") + 1
    assert str(error.value).startswith(f"PONTE_TAXONOMY: {broken}:{line}: topic 'sports': term 'football': weight")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(("entry", "problem"), [
    ("{code: 'medtop:20009999', relation: exact}", "medtop:20009999 is not an IPTC Media Topic"),
    ("{code: 'medtop:20000229', relation: exact}",
     "medtop:20000229 ('computer security') was retired by IPTC on 2023-03-31"),
    ("{code: '20001065', relation: exact}", "code must be an IPTC Media Topic QCode such as 'medtop:20001298'"),
    ("{code: 'medtop:20001065', label: soccer, relation: exact}", "medtop:20001065 is 'football' in IPTC's vocabulary"),
    ("{code: 'medtop:20001065', relation: same}", "relation must be one of exact, broader, narrower"),
])
def test_a_wrong_iptc_code_stops_the_boot_in_one_line_naming_file_and_line(
        tmp_path: Path, packages_dir: Path, monkeypatch: pytest.MonkeyPatch, entry: str, problem: str) -> None:
    broken = tmp_path / "broken.yaml"
    topic = SPORTS.replace("      - {code: 'medtop:20001065', relation: narrower}", f"      - {entry}")
    broken.write_text(default_taxonomy_path().read_text(encoding="utf-8").rstrip() + "\n" + topic, encoding="utf-8")
    monkeypatch.setenv("PONTE_TAXONOMY", str(broken))
    monkeypatch.setenv("PONTE_PACKAGES_DIR", str(packages_dir))
    with pytest.raises(ConfigError) as error:
        create_app(engine_factory=FakeFactory())
    line = broken.read_text(encoding="utf-8").splitlines().index(f"      - {entry}") + 1
    assert str(error.value).startswith(f"PONTE_TAXONOMY: {broken}:{line}: topic 'sports': iptc")
    assert problem in str(error.value)
    assert "\n" not in str(error.value)
