"""PONTE_GLOSSARY: checked at boot (one line naming the file and line), shown by GET /v1/glossary, applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.settings import ConfigError, load_settings
from service.web import create_app
from tests.conftest import FakeFactory, make_settings
from tests.contract import ContractClient

YAML = """\
- source: código aberto
  target: open source
- source: Meta
  case_sensitive: true
"""


@pytest.mark.parametrize(("name", "content", "where"), [
    ("g.yaml", "- source: ok\n  target: fine\n- source: ''\n", "g.yaml:3"),
    ("g.yaml", "- source: ok\n  colour: red\n", "g.yaml:1"),
    ("g.yaml", "- source: ok\n  target: [unclosed\n", "g.yaml:3"),
    ("g.tsv", "# comment\nok\tfine\nbad\tx\tshouty\n", "g.tsv:3"),
    ("g.txt", "ok\tfine\n", "g.txt:1"),
])
def test_a_bad_glossary_stops_the_boot_with_one_line(tmp_path: Path, name: str, content: str, where: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(environ={"PONTE_GLOSSARY": str(path)})
    message = str(info.value)
    assert message.startswith(f"PONTE_GLOSSARY: {path.parent}/{where}: ")
    assert "\n" not in message


def test_a_missing_glossary_file_stops_the_boot(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"PONTE_GLOSSARY: .*nope\.yaml:1: cannot read"):
        load_settings(environ={"PONTE_GLOSSARY": str(tmp_path / "nope.yaml")})


def test_the_server_glossary_is_shown_and_applied(tmp_path: Path, packages_dir: Path) -> None:
    path = tmp_path / "glossary.yaml"
    path.write_text(YAML, encoding="utf-8")
    client = ContractClient(create_app(make_settings(packages_dir, glossary=path),
                                       engine_factory=FakeFactory()).test_client())
    shown = client.get("/v1/glossary").get_json()
    assert shown["count"] == 2
    assert shown["entries"][0] == {"source": "código aberto", "target": "open source", "case_sensitive": False,
                                   "inflect": False}
    text = "A Meta aposta no código aberto."
    body = client.post("/v1/translate", json={"text": text, "source_language": "pt"}).get_json()
    assert body["text"] == "[en] A Meta aposta no open source."
    assert [a["kind"] for a in body["sentences"][0]["applied"]] == ["glossary", "glossary"]
    # the request's entry with the same source replaces the server's
    body = client.post("/v1/translate", json={"text": text, "source_language": "pt",
                                              "glossary": [{"source": "Código Aberto", "target": "open-source"}]})
    assert body.get_json()["text"] == "[en] A Meta aposta no open-source."


def test_without_the_setting_the_glossary_is_empty(client: ContractClient) -> None:
    assert client.get("/v1/glossary").get_json() == {"count": 0, "entries": []}
