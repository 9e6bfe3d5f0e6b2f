"""HTML and Markdown documents through the API with the real fixture engine: structure, protected text, glossary."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from service.core.formats import parse
from service.core.terms import Glossary, GlossaryEntry
from service.web import create_app
from tests.conftest import FakeFactory, make_settings
from tests.contract import ContractClient
from tests.core.formats.helpers import (
    DOCUMENTS,
    HTML_DOCS,
    MD_DOCS,
    expected_protected,
    html_comments_and_raw,
    html_tree,
    md_structure,
    normalised_html,
)

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = [*HTML_DOCS, *MD_DOCS]
FORMAT_OF = {".html": "html", ".md": "markdown", ".txt": "text"}
_URL = re.compile(r"https?://[^\s\"'<>)\]]+")
# Terms of the corpus and the seed article; two translated one fixed way, two kept as written.
GLOSSARY = [
    {"source": "código aberto", "target": "open source"},
    {"source": "inteligência artificial", "target": "artificial intelligence"},
    {"source": "Zuckerberg"},
    {"source": "Dwarkesh Patel"},
]


def _fmt(path: Path) -> str:
    return FORMAT_OF[path.suffix]


# every corpus document through the real engine once (~2 s): in `make test`, not in `make test-fast`
corpus = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus_answers(real_app: Flask) -> dict[str, dict[str, Any]]:
    """Every corpus document translated once (with the glossary), by file name."""
    client = ContractClient(real_app.test_client())
    answers = {}
    for path in CORPUS:
        response = client.post("/v1/translate", json={"text": path.read_text(encoding="utf-8"), "format": _fmt(path),
                                                      "source_language": "pt", "glossary": GLOSSARY})
        assert response.status_code == 200, (path.name, response.get_json())
        answers[path.name] = response.get_json()
    return answers


@corpus
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_output_parses_with_the_same_structure(path: Path, corpus_answers: dict[str, dict[str, Any]]) -> None:
    source = path.read_text(encoding="utf-8")
    body = corpus_answers[path.name]
    output = body["text"]
    assert body["format"] == _fmt(path)
    assert parse(output, _fmt(path)).visible_text.strip()  # type: ignore[arg-type]
    if _fmt(path) == "html":
        assert html_tree(output) == html_tree(source)
        assert html_comments_and_raw(output) == html_comments_and_raw(source)
    else:
        assert md_structure(output) == md_structure(source)
    # the visible texts are those of the input and of the output
    assert body["source_visible_text"] == parse(source, _fmt(path)).visible_text  # type: ignore[arg-type]
    assert all(s["source"] in body["source_visible_text"] for s in body["sentences"])


@corpus
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_urls_code_protected_tokens_and_kept_terms_occur_as_often(path: Path,
                                                                  corpus_answers: dict[str, dict[str, Any]]) -> None:
    source = path.read_text(encoding="utf-8")
    body = corpus_answers[path.name]
    output = body["text"]
    # URLs (in attributes too) are counted in the documents; a token markup may split (<abbr>GPT</abbr>-4)
    # is counted in the visible texts, the output's read back from the output document.
    reference = normalised_html(source) if _fmt(path) == "html" else source
    for url in set(_URL.findall(reference)):
        assert output.count(url) == reference.count(url), url
    layout = parse(source, _fmt(path))  # type: ignore[arg-type]
    visible_out = parse(output, _fmt(path)).visible_text  # type: ignore[arg-type]
    pieces = set(expected_protected(path))
    pieces |= {a["text"] for s in body["sentences"] for a in s["applied"] if a["replacement"] == a["text"]}
    for piece in pieces:
        if len(piece) < 4:
            continue  # "C" of <kbd>C</kbd> also occurs inside words
        assert visible_out.count(piece) == layout.visible_text.count(piece), piece


@corpus
def test_the_corpus_exercises_protection_and_the_glossary(corpus_answers: dict[str, dict[str, Any]]) -> None:
    kinds = {a["kind"] for body in corpus_answers.values() for s in body["sentences"] for a in s["applied"]}
    assert {"url", "version", "protected", "glossary"} <= kinds


def _glossary_rate(answers: list[dict[str, Any]]) -> tuple[int, int]:
    """(sentences where every entry with a target came out as its target, sentences with such an entry)."""
    glossary = Glossary(GlossaryEntry(**entry) for entry in GLOSSARY)
    hits = total = 0
    for body in answers:
        for sentence in body["sentences"]:
            targets = [glossary.entries[m.entry].target for m in glossary.find(sentence["source"])]
            wanted = [t for t in targets if t is not None]
            if not wanted:
                continue
            total += 1
            hits += all(sentence["target"].count(t) >= wanted.count(t) for t in set(wanted))
    return hits, total


def test_glossary_targets_applied_in_95_percent_of_sentences(real_client: ContractClient,
                                                             corpus_answers: dict[str, dict[str, Any]]) -> None:
    seed = [real_client.post("/v1/translate", json={"text": (DATA / f"article_pt.{ext}").read_text(encoding="utf-8"),
                                                    "format": FORMAT_OF[f".{ext}"], "glossary": GLOSSARY}).get_json()
            for ext in ("txt", "html", "md")]
    hits, total = _glossary_rate([*corpus_answers.values(), *seed])
    assert total >= 20
    assert hits / total >= 0.95, (hits, total)


def test_kept_glossary_terms_occur_as_often(real_client: ContractClient) -> None:
    for ext in ("txt", "html", "md"):
        source = (DATA / f"article_pt.{ext}").read_text(encoding="utf-8")
        body = real_client.post("/v1/translate", json={"text": source, "format": FORMAT_OF[f".{ext}"],
                                                       "glossary": GLOSSARY}).get_json()
        for term in ("Zuckerberg", "Dwarkesh Patel"):
            assert body["text"].count(term) == source.count(term), (ext, term)
        applied = [a for s in body["sentences"] for a in s["applied"] if a["kind"] == "glossary"]
        assert {"source": "Zuckerberg", "target": None} in [a["entry"] for a in applied]


def _slices_back(tags: list[dict[str, Any]], texts: dict[str, str]) -> int:
    count = 0
    for tag in tags:
        for evidence in tag["evidence"]:
            assert texts[evidence["field"]][evidence["start"]:evidence["end"]] == evidence["term"], evidence
            count += 1
    return count


def test_the_seed_article_gives_the_same_tags_in_every_format(real_client: ContractClient) -> None:
    tags = {}
    for ext in ("txt", "html", "md"):
        source = (DATA / f"article_pt.{ext}").read_text(encoding="utf-8")
        body = real_client.post("/v1/analyze", json={"text": source, "format": FORMAT_OF[f".{ext}"]}).get_json()
        translation = body["translation"]
        assert _slices_back(body["tags"], {"source": translation["source_visible_text"],
                                           "translation": translation["visible_text"]}) > 20
        if ext == "txt":  # for plain text the visible texts are the texts
            assert translation["source_visible_text"] == source
            assert translation["visible_text"] == translation["text"]
        tags[ext] = [(t["topic"], t["score"]) for t in body["tags"]]
        tagged = real_client.post("/v1/tag", json={"text": source, "format": FORMAT_OF[f".{ext}"]}).get_json()
        assert _slices_back(tagged["tags"], {"source": tagged["source_visible_text"]}) > 10
    assert len(tags["txt"]) >= 3
    assert tags["html"] == tags["txt"] and tags["md"] == tags["txt"]


@pytest.mark.parametrize("path", [DOCUMENTS / "01_wordpress_post.html", DOCUMENTS / "43_post_with_everything.md"],
                         ids=lambda p: p.name)
def test_evidence_slices_back_on_corpus_documents(real_client: ContractClient, path: Path) -> None:
    body = real_client.post("/v1/analyze", json={"text": path.read_text(encoding="utf-8"),
                                                 "format": _fmt(path)}).get_json()
    translation = body["translation"]
    assert _slices_back(body["tags"], {"source": translation["source_visible_text"],
                                       "translation": translation["visible_text"]}) > 0


def test_detect_works_on_the_visible_text(client: ContractClient) -> None:
    # markup and an English code block: the raw text looks English, the visible prose is Portuguese
    html = ("<pre><code>def the_function(): return the value of the thing for the user</code></pre>"
            "<p>O governo anunciou ontem um novo plano para a educação pública no país.</p>")
    assert client.post("/v1/detect", json={"text": html, "format": "html"}).get_json()["code"] == "pt"


def test_one_engine_call_for_a_batch_of_mixed_formats(client: ContractClient, fake_factory: FakeFactory) -> None:
    documents = [
        {"text": "<p>A Meta lançou o <em>Llama 3</em> como modelo aberto.</p>", "format": "html",
         "source_language": "pt"},
        {"text": "# Título\n\nO Senado aprovou o projeto de lei ontem.", "format": "markdown", "source_language": "pt"},
        {"text": "O governo anunciou um plano novo.", "source_language": "pt"},
        {"text": '<img alt="Uma foto do evento" src="x.png"><p>Evento em São Paulo.</p>', "format": "html",
         "source_language": "pt"},
    ]
    body = client.post("/v1/analyze/batch", json={"documents": documents}).get_json()
    assert [r["translation"]["format"] for r in body["results"]] == ["html", "markdown", "text", "html"]
    calls = fake_factory.engines["pt"].calls[1:]  # after the warm-up
    assert len(calls) == 1
    assert "Uma foto do evento" in calls[0]  # the alt text (an extra) rides in the same call
    assert body["results"][0]["translation"]["text"].count("<em>Llama 3</em>") == 1


@pytest.fixture
def small_client(packages_dir: Path) -> ContractClient:
    app = create_app(make_settings(packages_dir, max_chars=60), engine_factory=FakeFactory())
    return ContractClient(app.test_client())


def test_max_chars_bounds_the_visible_text_not_the_markup(small_client: ContractClient) -> None:
    prose = "O governo anunciou um plano novo para a educação."  # 50 characters
    html = f'<div class="a very long class attribute that pads the markup"><p><b>{prose}</b></p></div>'
    assert len(html) > 60
    assert small_client.post("/v1/translate", json={"text": html, "format": "html"}).status_code == 200
    assert small_client.post("/v1/translate", json={"text": html}).status_code == 422  # as text, markup counts
    long_html = f"<p>{prose} {prose}</p>"
    response = small_client.post("/v1/translate", json={"text": long_html, "format": "html"})
    assert response.status_code == 422
    assert "visible text" in response.get_json()["detail"]
    assert response.get_json()["errors"][0]["pointer"] == "/text"


@pytest.mark.parametrize(("text", "fmt"), [
    ("<p>   </p><script>var x = 'texto escondido';</script>", "html"),
    ("<!-- só um comentário -->", "html"),
    ("```\ncódigo apenas\n```\n", "markdown"),
])
@pytest.mark.parametrize("path", ["/v1/translate", "/v1/analyze", "/v1/detect", "/v1/tag"])
def test_no_visible_text_is_422(client: ContractClient, text: str, fmt: str, path: str) -> None:
    response = client.post(path, json={"text": text, "format": fmt})
    assert response.status_code == 422
    body = response.get_json()
    assert body["type"].endswith("validation-error")
    assert "no visible text" in body["detail"]


def test_malformed_html_is_repaired_not_refused(client: ContractClient) -> None:
    broken = "<div><p>O governo <b>anunciou <i>um plano</b> novo</i>.<p>Outro parágrafo sem fim"
    body = client.post("/v1/translate", json={"text": broken, "format": "html", "source_language": "pt"}).get_json()
    assert body["source_visible_text"].startswith("O governo anunciou um plano novo.")
    assert normalised_html(body["text"]) == body["text"]


def test_an_unknown_format_is_422(client: ContractClient) -> None:
    response = client.post("/v1/translate", json={"text": "Olá", "format": "pdf"})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["pointer"] == "/format"


@pytest.mark.parametrize(("glossary", "pointer"), [
    ([{"source": "a" * 201, "target": "x"}], "/glossary/0"),
    ([{"source": "ok", "target": "fine"}, {"source": "x", "target": "y" * 201}], "/glossary/1"),
    ([{"source": "ok", "tgt": "fine"}], "/glossary/0"),
    ([{"source": "ok"}, {"source": "OK"}], "/glossary/1"),
    ([{"source": f"termo {i}"} for i in range(201)], "/glossary"),
    ("código aberto", "/glossary"),
])
def test_a_glossary_over_its_bounds_is_422_naming_the_entry(client: ContractClient, glossary: Any,
                                                            pointer: str) -> None:
    response = client.post("/v1/translate", json={"text": "O código aberto venceu.", "glossary": glossary})
    assert response.status_code == 422
    assert [e["pointer"] for e in response.get_json()["errors"]] == [pointer]


def test_batch_documents_get_their_own_glossary_error(client: ContractClient) -> None:
    documents = [{"text": "O código aberto venceu.", "glossary": [{"source": "*"}]},
                 {"text": "O código aberto venceu.", "source_language": "pt",
                  "glossary": [{"source": "código aberto", "target": "open source"}]}]
    results = client.post("/v1/analyze/batch", json={"documents": documents}).get_json()["results"]
    assert results[0]["error"]["errors"][0]["pointer"] == "/glossary/0"
    assert "open source" in results[1]["translation"]["text"]
