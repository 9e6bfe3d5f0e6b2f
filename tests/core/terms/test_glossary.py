"""Glossary entries: matching as the tagger matches, inflection, files, request bounds, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.terms.glossary import (
    Glossary,
    GlossaryEntry,
    GlossaryError,
    entries_from_request,
    glossary_as_dict,
    load_glossary,
    merge,
)
from service.core.terms.inflection import english_plural, inflections


def found(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    return [(match.text, match.replacement) for match in glossary.find(text)]


def test_whole_words_with_accents_case_and_hyphens_folded() -> None:
    glossary = Glossary([GlossaryEntry("código aberto", "open source")])
    text = "O Codigo-Aberto e o CÓDIGO ABERTO, não o códigoaberto nem o código abertos."
    assert found(glossary, text) == [("Codigo-Aberto", "open source"), ("CÓDIGO ABERTO", "open source")]


def test_case_sensitive_entry_matches_only_its_case() -> None:
    glossary = Glossary([GlossaryEntry("IA", "AI", case_sensitive=True)])
    assert found(glossary, "A IA, a ia e a Ia.") == [("IA", "AI")]


def test_keep_entry_replaces_with_the_text_as_written() -> None:
    glossary = Glossary([GlossaryEntry("Llama 3")])
    assert found(glossary, "O LLAMA 3 saiu.") == [("LLAMA 3", "LLAMA 3")]


def test_inflect_matches_plural_and_gender_and_pluralises_the_target() -> None:
    glossary = Glossary([GlossaryEntry("modelo aberto", "open model", inflect=True)])
    text = "Modelos abertos, uma modela aberta e o modelo aberto."
    assert found(glossary, text) == [
        ("Modelos abertos", "open models"),
        ("modela aberta", "open model"),
        ("modelo aberto", "open model"),
    ]
    assert found(Glossary([GlossaryEntry("modelo aberto", "open model")]), text) == [("modelo aberto", "open model")]


def test_inflections_keep_complements_and_names() -> None:
    plurals = {form.text for form in inflections("modelo de linguagem") if form.plural}
    assert plurals == {"modelos de linguagem", "modelas de linguagem"}
    assert [form.text for form in inflections("Llama 3")] == ["Llama 3"]
    assert {form.text for form in inflections("ação")} >= {"ação", "ações"}
    assert {form.text for form in inflections("papel")} == {"papel", "papeis"}
    assert [english_plural(p) for p in ("model", "policy", "box", "AI", "news")] == [
        "models", "policies", "boxes", "AI", "news"
    ]


def test_longest_match_wins_and_first_entry_wins_a_tie() -> None:
    glossary = Glossary([GlossaryEntry("banco", "bench"), GlossaryEntry("Banco Central", "Central Bank")])
    assert found(glossary, "O Banco Central e o banco.") == [("Banco Central", "Central Bank"), ("banco", "bench")]


def test_request_entries_override_server_entries_with_the_same_folded_source() -> None:
    server = Glossary([GlossaryEntry("código aberto", "open source"), GlossaryEntry("nuvem", "cloud")])
    glossary = merge(server, entries_from_request([{"source": "Codigo  Aberto", "target": "open-source"}]))
    assert [(e.source, e.target) for e in glossary.entries] == [("Codigo Aberto", "open-source"), ("nuvem", "cloud")]
    assert found(glossary, "código aberto") == [("código aberto", "open-source")]


def test_request_bounds_name_the_entry() -> None:
    with pytest.raises(GlossaryError, match=r"^glossary\[1\]: source has 201 characters, at most 200"):
        entries_from_request([{"source": "a"}, {"source": "b" * 201}])
    with pytest.raises(GlossaryError, match=r"^glossary: has 3 entries, at most 2"):
        entries_from_request([{"source": "a"}, {"source": "b"}, {"source": "c"}], max_entries=2)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"target": "x"}, "glossary[0]: source must be a non-empty string"),
        ({"source": "x", "target": ""}, "glossary[0]: target must be a non-empty string"),
        ({"source": "x", "inflect": "yes"}, "glossary[0]: inflect must be true or false"),
        ({"source": "x", "tgt": "y"}, "glossary[0]: unknown field 'tgt'"),
        ({"source": "hack*"}, "glossary[0]: '*' is not allowed"),
        ({"source": "..."}, "glossary[0]: source '...': needs at least one letter or digit"),
        ("x", "glossary[0]: an entry must be a mapping"),
    ],
)
def test_request_entry_errors(raw: object, problem: str) -> None:
    with pytest.raises(GlossaryError) as error:
        entries_from_request([raw])
    assert str(error.value).startswith(problem)


def test_duplicate_request_sources_are_refused() -> None:
    with pytest.raises(GlossaryError, match=r"glossary\[1\]: duplicate source 'IA' \(first at glossary\[0\]\)"):
        entries_from_request([{"source": "ia"}, {"source": "IA"}])


def test_yaml_and_tsv_files_load_the_same_entries(tmp_path: Path) -> None:
    yaml_file = tmp_path / "g.yaml"
    yaml_file.write_text(
        "entries:\n  - source: código aberto\n    target: open source\n    inflect: true\n"
        "  - {source: IA, target: AI, case_sensitive: true}\n  - source: Llama 3\n",
        encoding="utf-8",
    )
    tsv_file = tmp_path / "g.tsv"
    tsv_file.write_text(
        "source\ttarget\tflags\n# comment\ncódigo aberto\topen source\tinflect\nIA\tAI\tcase_sensitive\nLlama 3\n",
        encoding="utf-8",
    )
    expected = (
        GlossaryEntry("código aberto", "open source", inflect=True),
        GlossaryEntry("IA", "AI", case_sensitive=True),
        GlossaryEntry("Llama 3"),
    )
    assert load_glossary(yaml_file).entries == expected
    assert load_glossary(tsv_file).entries == expected
    assert glossary_as_dict(load_glossary(tsv_file))["entries"][2] == {
        "source": "Llama 3", "target": None, "case_sensitive": False, "inflect": False
    }


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("g.yaml", "- source: a\n  target: b\n- source: c\n  tgt: d\n", "g.yaml:3: unknown field 'tgt'"),
        ("g.yaml", "- source: a\n- source: A\n", "g.yaml:2: duplicate source 'A' (first at "),
        ("g.yaml", "- source: a\n  target: [b\n", "g.yaml:3: invalid YAML"),
        ("g.yaml", "- source: a\n  source: b\n", "g.yaml:2: duplicate key 'source'"),
        ("g.yaml", "topics: []\n", "g.yaml:1: expected a list of entries or a mapping with only 'entries'"),
        ("g.tsv", "a\tb\n\nc\td\tloud\n", "g.tsv:3: unknown flag 'loud'"),
        ("g.tsv", "a\tb\tinflect\textra\n", "g.tsv:1: expected at most 3 tab-separated columns"),
        ("g.tsv", "ok\n" + "x" * 201 + "\n", "g.tsv:2: source has 201 characters"),
        ("g.txt", "a\n", "g.txt:1: unknown glossary format"),
    ],
)
def test_file_errors_name_file_and_line(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GlossaryError) as error:
        load_glossary(path)
    assert str(error.value).startswith(f"{path.parent}/{message}")
    assert "\n" not in str(error.value)


def test_on_the_same_span_the_entry_listed_first_wins() -> None:
    # "dados" is both an entry and the plural of the inflected "dado": the one listed first decides
    data_first = Glossary([GlossaryEntry("dados", "data"), GlossaryEntry("dado", "die", inflect=True)])
    die_first = Glossary([GlossaryEntry("dado", "die", inflect=True), GlossaryEntry("dados", "data")])
    assert found(data_first, "Os dados.") == [("dados", "data")]
    assert found(die_first, "Os dados.") == [("dados", "dies")]
    assert [m.entry for m in data_first.find("Os dados e o dado.")] == [0, 1]
    # a request entry comes before the server's, so it wins the tie
    server = Glossary([GlossaryEntry("dado", "die", inflect=True)])
    assert found(merge(server, [GlossaryEntry("dados", "data")]), "Os dados.") == [("dados", "data")]
    assert found(merge(Glossary([GlossaryEntry("dados", "data")]), [GlossaryEntry("dado", "die", inflect=True)]),
                 "Os dados.") == [("dados", "dies")]
