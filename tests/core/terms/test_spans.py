"""Protected spans found by rule and given by the caller."""

from __future__ import annotations

import pytest

from service.core.terms.spans import find_spans


def kinds(text: str) -> list[tuple[str, str]]:
    return [(span.kind, span.text) for span in find_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Veja https://exemplo.com/a?b=(1). Depois.", [("url", "https://exemplo.com/a?b=(1)")]),
        ("Acesse www.ibge.gov.br, por favor.", [("url", "www.ibge.gov.br")]),
        ("(https://x.org/a) diz", [("url", "https://x.org/a")]),
        ("Escreva para ana.silva@ufmg.br hoje.", [("email", "ana.silva@ufmg.br")]),
        ("Siga @ponte_bot.", [("handle", "@ponte_bot")]),
        ("Abra /etc/ponte/config.yaml agora.", [("path", "/etc/ponte/config.yaml")]),
        ("Abra ~/bin/run.sh.", [("path", "~/bin/run.sh")]),
        ("Abra o arquivo src/core/app.py.", [("path", "src/core/app.py")]),
        ("Edite src/core/app.py e README.md.", [("path", "src/core/app.py"), ("path", "README.md")]),
        ("Salve em C:\\Dados\\x.xlsx.", [("path", "C:\\Dados\\x.xlsx")]),
        ("Rode `pip install x` já.", [("code", "`pip install x`")]),
        ("Use v1.2.3 ou GPT-4o.", [("version", "v1.2.3"), ("version", "GPT-4o")]),
        ("O Llama 3 e o Python 3.11 no iOS 17.", [("version", "Llama 3"), ("version", "Python 3.11"),
                                                  ("version", "iOS 17")]),
        ("Placas H100 e o Claude 3.5.", [("version", "H100"), ("version", "Claude 3.5")]),
    ],
)
def test_finds_protected_tokens(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Em 2024, a Lei 13.709 entrou em vigor para 1.000.000 de pessoas.",
        "No dia 22/04/2024, e/ou a 80 km/h, custou R$ 2,5 mil (10,5%).",
        "A segunda-feira (21) foi boa. Artigo 5 diz isso.",
        "O e-mail chegou às 10h.",
    ],
)
def test_prose_is_not_protected(text: str) -> None:
    assert kinds(text) == []


def test_offsets_index_the_sentence() -> None:
    text = "Veja https://a.pt e ana@b.pt."
    for span in find_spans(text):
        assert text[span.start : span.end] == span.text


def test_caller_ranges_win_and_merge() -> None:
    text = "Rode pip install x em v1.2.3 agora."
    spans = find_spans(text, [(5, 18), (10, 24)])
    # The overlapping ranges become one; the version inside the caller's range is not a span of its own.
    assert [(s.kind, s.text) for s in spans] == [("extra", "pip install x em v1")]


def test_caller_range_outside_the_text_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        find_spans("curto", [(2, 10)])
