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
    assert str(error.value).startswith(f"PONTE_TAXONOMY: {broken}: ")
    assert "sports" in str(error.value)
