"""Tests for the paragraph and sentence segmenter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.core.segment import (
    Segmentation,
    Sentence,
    join_translation,
    split_paragraphs,
    split_sentences,
)

ARTICLE = Path(__file__).resolve().parent.parent / "data" / "article_pt.txt"


def assert_exact(text: str, seg: Segmentation) -> None:
    """Every sentence slices back from the input, is trimmed and non-empty, in order."""
    previous_end = 0
    previous_paragraph = 0
    for s in seg.sentences:
        assert text[s.start : s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= previous_end
        assert previous_paragraph <= s.paragraph < seg.paragraph_count
        previous_end, previous_paragraph = s.end, s.paragraph
    assert len(seg.separators) == max(seg.paragraph_count - 1, 0)


def texts(text: str, language: str = "pt") -> list[str]:
    seg = split_sentences(text, language)
    assert_exact(text, seg)
    return [s.text for s in seg.sentences]


# (text, expected sentences); one case per rule, Portuguese unless the id says otherwise
# The ids are ASCII: pytest keeps the ids it escaped in the parametrize mark, and a second session in the same
# process (mutmut collects, then runs the tests it chose) escapes them again, so a non-ASCII id is not found.
CASES = {
    # terminators
    "period": ("Olá mundo. Tudo bem.", ["Olá mundo.", "Tudo bem."]),
    "question and exclamation": ("Tudo bem? Sim! Ótimo.", ["Tudo bem?", "Sim!", "Ótimo."]),
    "mixed run": ("Sério?! Sim.", ["Sério?!", "Sim."]),
    "digit starts a sentence": ("Foram 3 gols. 2 deles de pênalti.", ["Foram 3 gols.", "2 deles de pênalti."]),
    "number ends a sentence": ("O placar foi 3. Depois veio o 4.", ["O placar foi 3.", "Depois veio o 4."]),
    "accented capital": ("Chegou. É verdade.", ["Chegou.", "É verdade."]),
    "currency starts a sentence": ("Acabou. $5 era o preço.", ["Acabou.", "$5 era o preço."]),
    "lower case continues": ("Era o fim. e depois mais.", ["Era o fim. e depois mais."]),
    "no terminal punctuation": ("Código aberto como contrapeso", ["Código aberto como contrapeso"]),
    "end of text without punctuation": ("Uma frase. Outra sem ponto", ["Uma frase.", "Outra sem ponto"]),
    "punctuation not followed by space": ("Fim.Começo", ["Fim.Começo"]),
    # whitespace
    "trimmed": ("   Olá.    Tudo bem?   ", ["Olá.", "Tudo bem?"]),
    "tab and nbsp": ("Olá.\tTudo bem?\u00a0Sim.", ["Olá.", "Tudo bem?", "Sim."]),
    # ellipsis
    "ellipsis then capital": ("Ele hesitou... Depois falou.", ["Ele hesitou...", "Depois falou."]),
    "ellipsis then lower case": ("Ele hesitou... e depois falou.", ["Ele hesitou... e depois falou."]),
    "unicode ellipsis then capital": ("Ele hesitou… Depois falou.", ["Ele hesitou…", "Depois falou."]),
    "unicode ellipsis then lower case": ("Ele hesitou… e falou.", ["Ele hesitou… e falou."]),
    "omission marker": ("Ele disse que (...) Os dados mudaram.", ["Ele disse que (...) Os dados mudaram."]),
    "bracketed omission marker": ("Ele disse que […] Os dados mudaram.", ["Ele disse que […] Os dados mudaram."]),
    # quotes and brackets
    "straight quotes": ('Ele disse: "Acabou." Depois saiu.', ['Ele disse: "Acabou."', "Depois saiu."]),
    "curly quotes": ("Ele disse: “Acabou.” Depois saiu.", ["Ele disse: “Acabou.”", "Depois saiu."]),
    "guillemets": ("Ele disse: «Acabou.» Depois saiu.", ["Ele disse: «Acabou.»", "Depois saiu."]),
    "question in brackets": ("(Será mesmo?) Ninguém sabe.", ["(Será mesmo?)", "Ninguém sabe."]),
    "quote then lower case": ('Ele disse "não." e saiu.', ['Ele disse "não." e saiu.']),
    "next sentence opens with a quote": (
        'Ela perguntou: "Vem?" "Sim", disse ele.',
        ['Ela perguntou: "Vem?"', '"Sim", disse ele.'],
    ),
    "quote closed before the period": ('Ele chamou de "fim". Depois saiu.', ['Ele chamou de "fim".', "Depois saiu."]),
    # dialogue dash
    "dialogue tag after dash": ("— Vamos embora? — perguntou ele.", ["— Vamos embora? — perguntou ele."]),
    "dialogue line after narration": (
        "Ele chegou. — Bom dia! — disse.",
        ["Ele chegou.", "— Bom dia! — disse."],
    ),
    "capitalised speech after dash": ("— Vamos. — Disse ele.", ["— Vamos.", "— Disse ele."]),
    # abbreviations that never end a sentence
    "Sr.": ("O Sr. Silva chegou. Depois saiu.", ["O Sr. Silva chegou.", "Depois saiu."]),
    "Sra.": ("A Sra. Lima votou.", ["A Sra. Lima votou."]),
    "Srs.": ("Os Srs. Costa e Souza.", ["Os Srs. Costa e Souza."]),
    "Dr.": ("O Dr. House atendeu.", ["O Dr. House atendeu."]),
    "Sta. (Santa)": ("Ele mora em Sta. Catarina desde 2010.", ["Ele mora em Sta. Catarina desde 2010."]),
    "Sto. (Santo)": ("A igreja de Sto. Antônio abriu.", ["A igreja de Sto. Antônio abriu."]),
    "fig.": ("Veja a fig. 3 do relatório.", ["Veja a fig. 3 do relatório."]),
    "military ranks": ("O Gen. Heleno e o Cel. Lima falaram.", ["O Gen. Heleno e o Cel. Lima falaram."]),
    "abbreviation after an opener": ("Falou com o médico (Dr. Silva) ontem.",
                                     ["Falou com o médico (Dr. Silva) ontem."]),
    "quote after an omission": ("Ele disse “não sei (...)” Outros discordam.",
                                ["Ele disse “não sei (...)” Outros discordam."]),
    "dash ending a paragraph": ("Ele saiu. —", ["Ele saiu. —"]),
    "Dra.": ("A Dra. Ana operou.", ["A Dra. Ana operou."]),
    "Prof.": ("O Prof. Carlos falou.", ["O Prof. Carlos falou."]),
    "Profa.": ("A Profa. Maria falou.", ["A Profa. Maria falou."]),
    "Eng.": ("O Eng. Paulo assinou.", ["O Eng. Paulo assinou."]),
    "Av.": ("Fica na Av. Paulista, 100.", ["Fica na Av. Paulista, 100."]),
    "R.": ("Fica na R. Augusta, 10.", ["Fica na R. Augusta, 10."]),
    "n.": ("A lei n. 8666 vale.", ["A lei n. 8666 vale."]),
    "n-ordinal.": ("O decreto nº. 7 caiu.", ["O decreto nº. 7 caiu."]),
    "p.": ("Veja na p. 45 do livro.", ["Veja na p. 45 do livro."]),
    "pag.": ("Veja na pág. 12 do livro.", ["Veja na pág. 12 do livro."]),
    "pags.": ("Veja nas págs. 3 a 5.", ["Veja nas págs. 3 a 5."]),
    "inc.": ("O inc. II do artigo.", ["O inc. II do artigo."]),
    "ex.": ("Há vizinhos, por ex. Brasil e Argentina.", ["Há vizinhos, por ex. Brasil e Argentina."]),
    "vol.": ("Saiu o vol. 3 da série.", ["Saiu o vol. 3 da série."]),
    "tel.": ("Ligue no tel. 5555-1234 hoje.", ["Ligue no tel. 5555-1234 hoje."]),
    "Ltda.": ("A Alfa Ltda. Comércio fechou.", ["A Alfa Ltda. Comércio fechou."]),
    "Cia.": ("A Cia. Siderúrgica Nacional lucrou.", ["A Cia. Siderúrgica Nacional lucrou."]),
    "S.A.": ("A Vale S.A. Mineração lucrou.", ["A Vale S.A. Mineração lucrou."]),
    "i.e.": ("O órgão, i.e. Anatel, decidiu.", ["O órgão, i.e. Anatel, decidiu."]),
    "e.g.": ("Países, e.g. Brasil, votaram.", ["Países, e.g. Brasil, votaram."]),
    "U.S.": ("O U.S. Army respondeu.", ["O U.S. Army respondeu."]),
    "Mr.": ("O Mr. Smith veio.", ["O Mr. Smith veio."]),
    "Mrs.": ("A Mrs. Smith veio.", ["A Mrs. Smith veio."]),
    "Ms.": ("A Ms. Jones veio.", ["A Ms. Jones veio."]),
    "Inc.": ("A Apple Inc. CEO Tim Cook falou.", ["A Apple Inc. CEO Tim Cook falou."]),
    "Co.": ("A Ford Motor Co. Brasil abriu.", ["A Ford Motor Co. Brasil abriu."]),
    "Jr.": ("O dia Martin Luther King Jr. Day.", ["O dia Martin Luther King Jr. Day."]),
    "St.": ("Ele mora em St. Louis.", ["Ele mora em St. Louis."]),
    "vs.": ("O jogo Brasil vs. Argentina acabou.", ["O jogo Brasil vs. Argentina acabou."]),
    "capitalised at sentence start": ("Art. 5º Todos são iguais.", ["Art. 5º Todos são iguais."]),
    "initials": ("J. R. R. Tolkien escreveu.", ["J. R. R. Tolkien escreveu."]),
    "middle initial": ("Luiz I. Lula da Silva votou.", ["Luiz I. Lula da Silva votou."]),
    "one letter word is taken as an initial": ("Tome vitamina C. O estudo diz.", ["Tome vitamina C. O estudo diz."]),
    "list enumerator": ("1. Introdução ao tema", ["1. Introdução ao tema"]),
    # abbreviations that end a sentence before a capital only
    "etc. then lower case": ("Maçãs, peras etc. e uvas.", ["Maçãs, peras etc. e uvas."]),
    "etc. then capital": ("Maçãs, peras etc. O resto estragou.", ["Maçãs, peras etc.", "O resto estragou."]),
    "EUA. then capital": ("A lei vale nos EUA. O governo reagiu.", ["A lei vale nos EUA.", "O governo reagiu."]),
    "EUA inside a sentence": ("Os EUA e o Brasil assinaram.", ["Os EUA e o Brasil assinaram."]),
    "EUA. then digit": ("Nos EUA. 5 estados votaram.", ["Nos EUA. 5 estados votaram."]),
    "a.C. then lower case": ("Em 300 a.C. na Grécia.", ["Em 300 a.C. na Grécia."]),
    "a.C. then capital": ("Foi em 300 a.C. O império caiu.", ["Foi em 300 a.C.", "O império caiu."]),
    "month then year": ("Foi em jan. 2020 e mar. 2021.", ["Foi em jan. 2020 e mar. 2021."]),
    "month then lower case": ("Foi em 10 de out. de 2020.", ["Foi em 10 de out. de 2020."]),
    "month word ends a sentence": ("Ele foi ao mar. Depois voltou.", ["Ele foi ao mar.", "Depois voltou."]),
    "art. then number": ("O art. 5º, inc. II, da lei.", ["O art. 5º, inc. II, da lei."]),
    "arts. then number": ("Os arts. 3º e 4º caíram.", ["Os arts. 3º e 4º caíram."]),
    "cap. then roman numeral": ("Leia o cap. IV do livro.", ["Leia o cap. IV do livro."]),
    # numbers, decimals, currencies
    "decimal comma": ("A inflação foi de 3,5 por cento. Subiu.", ["A inflação foi de 3,5 por cento.", "Subiu."]),
    "decimal point": ("O índice subiu 3.5 pontos. Caiu.", ["O índice subiu 3.5 pontos.", "Caiu."]),
    "thousands": ("Foram 1.000.000 de pessoas. Todas.", ["Foram 1.000.000 de pessoas.", "Todas."]),
    "US$": ("Custou US$ 10 bilhões. O valor subiu.", ["Custou US$ 10 bilhões.", "O valor subiu."]),
    "R$": ("Custou R$ 2,5 mi. Depois caiu.", ["Custou R$ 2,5 mi.", "Depois caiu."]),
    "version": ("A versão v2.0 saiu. Era esperada.", ["A versão v2.0 saiu.", "Era esperada."]),
    "percentage": ("Alta de 10.4% no ano. Forte.", ["Alta de 10.4% no ano.", "Forte."]),
    # URLs, e-mails, domains, files
    "url at sentence end": (
        "Acesse https://www.gov.br/saude. Lá há dados.",
        ["Acesse https://www.gov.br/saude.", "Lá há dados."],
    ),
    "domains": ("Veja openai.com e gov.br hoje.", ["Veja openai.com e gov.br hoje."]),
    "e-mail": ("Escreva para contato@ponte.com.br amanhã.", ["Escreva para contato@ponte.com.br amanhã."]),
    "file name": ("Abra o arquivo Relatorio.Final.pdf agora.", ["Abra o arquivo Relatorio.Final.pdf agora."]),
}


@pytest.mark.parametrize(("text", "expected"), list(CASES.values()), ids=list(CASES))
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("¿Qué pasa? ¡Nada! El Sr. Pérez llegó.", "es", ["¿Qué pasa?", "¡Nada!", "El Sr. Pérez llegó."]),
        ("Vive en EE.UU. El gobierno calla.", "es", ["Vive en EE.UU.", "El gobierno calla."]),
        ("He went out. 5 people stayed.", "en", ["He went out.", "5 people stayed."]),
        ("Ele saiu em out. 5 pessoas ficaram.", "pt", ["Ele saiu em out. 5 pessoas ficaram."]),
        ("Ele saiu em out. 5 pessoas ficaram.", "pt-BR", ["Ele saiu em out. 5 pessoas ficaram."]),
        ("Ele saiu em out. 5 pessoas ficaram.", "pt_PT", ["Ele saiu em out. 5 pessoas ficaram."]),
        ("It ended at 5 p.m. The next day began.", "en", ["It ended at 5 p.m.", "The next day began."]),
        ("It ended on Jan. 5 at noon.", "en", ["It ended on Jan. 5 at noon."]),
        ("The U.S. Army said no. It left.", "en", ["The U.S. Army said no.", "It left."]),
        ("Gen. Milley spoke. Sen. Smith too.", "en", ["Gen. Milley spoke.", "Sen. Smith too."]),
        # an unknown language uses the union of all tables
        ("O Sr. Silva e Mr. Smith. Ud. Pérez.", "xx", ["O Sr. Silva e Mr. Smith.", "Ud. Pérez."]),
    ],
)
def test_language_tables(text: str, language: str, expected: list[str]) -> None:
    assert texts(text, language) == expected


@pytest.mark.parametrize("text", ["", " ", "\n", "\n\n \t\r\n  \u2029"])
def test_blank_input_has_no_sentences(text: str) -> None:
    seg = split_sentences(text)
    assert seg == Segmentation(sentences=(), paragraph_count=0, separators=())
    assert join_translation(seg, []) == ""


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("a\nb", [(0, 1), (2, 3)]),
        ("  um dois  \n\n\n  três ", [(2, 9), (16, 20)]),
        ("a\r\nb\rc\u2028d\u2029e", [(0, 1), (3, 4), (5, 6), (7, 8), (9, 10)]),
        ("só uma linha", [(0, 12)]),
        ("\n  \n", []),
    ],
)
def test_split_paragraphs(text: str, spans: list[tuple[int, int]]) -> None:
    assert split_paragraphs(text) == spans


@pytest.mark.parametrize(
    ("text", "separators"),
    [
        ("Um.\nDois.", ("\n",)),
        ("Um.\n\nDois.", ("\n\n",)),
        ("Um.\n   \n\t\nDois.", ("\n\n",)),
        ("Um.\r\nDois.\r\n\r\nTrês.", ("\n", "\n\n")),
        ("\n\nUm.  \nDois.\n\n", ("\n",)),
    ],
)
def test_separators_follow_the_input(text: str, separators: tuple[str, ...]) -> None:
    seg = split_sentences(text)
    assert_exact(text, seg)
    assert seg.separators == separators


def test_paragraph_indices() -> None:
    text = "  Um. Dois.\n\nTrês.\nO Sr.\nSilva  "
    seg = split_sentences(text)
    assert_exact(text, seg)
    assert seg.paragraph_count == 4
    # a line break ends a paragraph, and so a sentence, even after an abbreviation
    assert seg.sentences == (
        Sentence("Um.", 2, 5, 0),
        Sentence("Dois.", 6, 11, 0),
        Sentence("Três.", 13, 18, 1),
        Sentence("O Sr.", 19, 24, 2),
        Sentence("Silva", 25, 30, 3),
    )


def test_join_keeps_paragraph_breaks() -> None:
    seg = split_sentences("Um. Dois.\n\nTrês.\nQuatro")
    joined = join_translation(seg, ["One.", "Two.", "Three.", "Four"])
    assert joined == "One. Two.\n\nThree.\nFour"


def test_join_trims_targets_and_drops_empty_ones() -> None:
    seg = split_sentences("Um. Dois. Três.\nQuatro.")
    assert join_translation(seg, [" One. ", "", "Three.\n", "Four."]) == "One. Three.\nFour."


@pytest.mark.parametrize("count", [0, 1, 3])
def test_join_rejects_a_wrong_number_of_targets(count: int) -> None:
    seg = split_sentences("Um. Dois.")
    with pytest.raises(ValueError, match="expected 2 translations"):
        join_translation(seg, ["x"] * count)


def test_segmentation_is_frozen() -> None:
    seg = split_sentences("Um. Dois.")
    with pytest.raises(AttributeError):
        seg.sentences[0].text = "x"  # type: ignore[misc]


# First words of every sentence of the seed article, read by hand: 12 lines, 17 sentences.
ARTICLE_STARTS = [
    "Mark Zuckerberg, CEO",
    "A Meta tem",
    "Ao abrir o",
    "Ele acredita que",
    "A Meta acaba",
    "A versão maior,",
    "Dario Amodei, CEO",
    "Código aberto como",
    "Zuckerberg vê o",
    "Ele não quer",
    "O CEO da",
    "No entanto, Zuckerberg",
    "Nesse caso, os",
    "Em uma recente",
    "Os modelos abertos",
    "A Meta defende",
    "Fonte: Andre Lug",
]


def test_seed_article() -> None:
    article = ARTICLE.read_text(encoding="utf-8")
    seg = split_sentences(article, "pt")
    assert_exact(article, seg)
    assert seg.paragraph_count == 12
    assert [" ".join(s.text.split()[:3]) for s in seg.sentences] == ARTICLE_STARTS
    assert [s.paragraph for s in seg.sentences] == [0, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 9, 10, 10, 10, 11]
    for s in seg.sentences:
        assert not s.text[0].islower()
        assert "US$" not in s.text or re.search(r"US\$ \d+ (a \d+ )?bilhões", s.text)
        assert not re.search(r"\d[.,]$", s.text)
    # the article puts one paragraph per line and one space between sentences
    assert join_translation(seg, [s.text for s in seg.sentences]) == article.strip()


def test_long_text_segments_whole() -> None:
    """100,000 characters segment completely (its speed is measured in bench/, not asserted here)."""
    article = ARTICLE.read_text(encoding="utf-8")
    extra = " O Sr. Silva pagou US$ 10,5 mi. nos EUA. Veja openai.com... E depois? — disse ele. "
    unit = article + extra + "\n\n"  # 19 sentences: the extra line joins the article's last one
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    seg = split_sentences(text)
    assert len(seg.sentences) >= 19 * (100_000 // len(unit))
    assert_exact(text, seg)


@pytest.mark.parametrize(
    "text",
    [
        "." * 100_000,
        "a" * 100_000,
        "a." * 50_000,
        "Sr. " * 25_000,
        '"' * 100_000,
        "x" + "." * 99_998 + "y",
        ". A" * 33_333,
        "a" * 50_000 + "." + '"' * 49_998 + "b",
    ],
    ids=["dots", "one token", "dotted token", "abbreviations", "quotes", "dots inside a token", "many", "closers"],
)
def test_pathological_input_stays_linear(text: str) -> None:
    seg = split_sentences(text)
    assert_exact(text, seg)


@pytest.mark.parametrize(("text", "expected"), [
    ("99. Introdução ao tema.", ["99. Introdução ao tema."]),
    ("100. Introdução ao tema.", ["100. Introdução ao tema."]),  # up to three digits: a list enumerator
    ("1000. Introdução ao tema.", ["1000.", "Introdução ao tema."]),
    ("Foram 100. Depois veio.", ["Foram 100.", "Depois veio."]),  # inside a sentence a number ends it
])
def test_an_enumerator_of_up_to_three_digits_opens_a_sentence(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text, "pt").sentences] == expected


def test_without_a_language_the_text_is_portuguese() -> None:
    # "Col." is in English's table (Colonel), not in Portuguese's: only the union of all tables (an unknown
    # language) keeps it; Portuguese's own table is the default
    text = "Subiu o Col. Lima. Fim."
    assert [s.text for s in split_sentences(text).sentences] == ["Subiu o Col.", "Lima.", "Fim."]
    for language in ("pt", "pt-BR", "PT_pt", " pt "):
        assert [s.text for s in split_sentences(text, language).sentences] == ["Subiu o Col.", "Lima.", "Fim."]
    assert [s.text for s in split_sentences(text, "xx").sentences] == ["Subiu o Col. Lima.", "Fim."]


@pytest.mark.parametrize(("text", "expected"), [
    # a paragraph without a full stop, then one with two sentences: nothing crosses the line
    ("Olá\nMundo. Tudo bem.", [("Olá", 0, 3, 0), ("Mundo.", 4, 10, 1), ("Tudo bem.", 11, 20, 1)]),
    # quotes or dashes that end a paragraph belong to its last sentence, whatever opens the next one
    ('Ele disse. "\nNovo parágrafo.', [('Ele disse. "', 0, 12, 0), ("Novo parágrafo.", 13, 28, 1)]),
    ("Ele saiu. —\n\nDepois voltou.", [("Ele saiu. —", 0, 11, 0), ("Depois voltou.", 13, 27, 1)]),
])
def test_sentences_never_cross_a_paragraph(text: str, expected: list[tuple[str, int, int, int]]) -> None:
    seg = split_sentences(text, "pt")
    assert [(s.text, s.start, s.end, s.paragraph) for s in seg.sentences] == expected


def test_the_case_ids_are_ascii() -> None:
    assert [name for name in CASES if not name.isascii()] == []  # see the comment above CASES
