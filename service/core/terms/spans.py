"""Protected spans: the parts of a sentence that must reach the output exactly as written.

URLs (and bare host names such as `gov.br/anpd`), e-mail addresses, @handles, file paths, inline code and
version-like tokens (v1.2.3, GPT-4, Llama 3, Python 3.11, iOS 17, H100, Mistral 7B) are found by rule; the
caller adds ranges of its own (the formats layer's inline <code>, translate="no", Markdown `code`). Spans never
overlap: the caller's ranges win, then the earliest and longest match.

A name followed by a number is a version only when the name looks like one: written with a capital, without
Portuguese accents, not a word of the language (`O Brasil tem 200`, `Foram 30`, `Linha 4`, `Fórmula 1`), and the
number is no quantity, score, year or address (`Palmeiras 3 x 1`, `Copa 2026`). Measured on labelled news
sentences (tools/eval_spans.py, tests/data/spans/).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from service.core.casing import shouting

URL: Final = "url"
EMAIL: Final = "email"
HANDLE: Final = "handle"
PATH: Final = "path"
CODE: Final = "code"
VERSION: Final = "version"
EXTRA: Final = "extra"
GLOSSARY: Final = "glossary"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_EXTENSIONS = (
    "py|pyc|js|mjs|ts|tsx|jsx|json|yaml|yml|toml|ini|cfg|conf|md|rst|txt|csv|tsv|html?|css|scss|xml|sh|bash|"
    "bat|ps1|exe|dll|so|c|h|cc|cpp|hpp|java|kt|go|rs|rb|php|swift|sql|db|log|pdf|docx?|xlsx?|pptx?|odt|zip|"
    "tar|gz|tgz|bz2|xz|7z|png|jpe?g|gif|svg|webp|mp3|mp4|wav|iso|img|deb|rpm|apk|whl|ipynb|lock|env|"
    "onnx|bin|pt|safetensors|gguf|argosmodel"
)
# Portuguese words that a number follows without naming a product (accents folded, lower case): function words,
# verbs that open a sentence (`Foram 30`, `Restam 3`), and nouns written with a number (`Linha 4`, `Fase 3`).
_NOT_NAMES = _words(
    "a o as os e em no na nos nas de da do das dos desde ate para por com sem entre sobre apos ante sob contra "
    "durante perto cerca mais menos quase apenas so somente mesmo todos todas cada outros outras ao aos um uma "
    "uns umas num numa neste nesta nesse nessa deste desta pela pelo pelas pelos segundo conforme hoje ontem "
    "amanha agora ainda ja ha houve havia sao sera foram foi era eram e esta estao tem teve tinha vale custa "
    "soma chega sobe cai fica resta falta vem "
    "dia dias ano anos mes meses semana semanas hora horas minuto minutos artigo art lei leis decreto capitulo "
    "cap pagina item parte fase top numero no grupo classe serie edicao volume vol versao rodada turno linha "
    "tabela figura fig quadro grafico temporada episodio nivel etapa sala rua avenida av rodovia bloco lote "
    "zona setor turma anexo inciso paragrafo secao camisa copa liga jornada jogo partida ponto pontos lugar "
    "andar porta plataforma terminal voo mesa divisao categoria modulo unidade lista nota"
)
# Sentence-opening verbs in the past or plural (`Subiram 5`, `Custou 3`): a product name rarely ends so.
_VERB_ENDING = re.compile(r"(?:am|em|ou|eu|iu)$")
_ACCENTS = str.maketrans("áàâãéêíóôõúüç", "aaaaeeiooouuc")
# Where a sentence (or a clause that may open with a capital) starts, before a name.
_OPENING = re.compile(r"(?:^|[.!?:;(\[\"“”«»—–-])\s*$")
_ADDRESS = re.compile(r"(?:\b[Rr]ua|\b[Aa]venida|\b[Aa]v\.|\b[Pp]raça|\b[Tt]ravessa|\b[Ee]strada|\b[Aa]lameda|"
                      r"\b[Ll]argo)\s+(?:\w+\s+){0,3}$")
# A score after the number: `Palmeiras 3 x 1`, `Brasil 2 a 0`, `Sporting 4-1`.
_SCORE_AFTER = re.compile(r"\s*(?:[x×a]\s+\d|-\d)")
# A final score `Flamengo 1, Vasco 1`: two different names, small numbers, no list going on (`Windows 10, Windows
# 11` and `Ubuntu 22.04, Debian 12 e RHEL 9` are versions).
_COMMA_SCORE = re.compile(r"(?<![\w.-])([A-Z]\w*) \d{1,2}, ([A-Z]\w*) \d{1,2}"
                          r"(?![\w.,]\d|\s*,?\s+(?:e|ou)\s|,\s*[A-Z]\w* \d)")
_YEAR = re.compile(r"(?:19|20)\d\d$")

_URL = re.compile(r"(?<![\w@])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[\w.]*\w)?")
_CODE = re.compile(r"`[^`\n]+`")
_PATH = re.compile(
    r"(?<![\w/\\.~])(?:"
    r"[A-Za-z]:\\[^\s<>\"'`|]+"  # C:\Windows\system32
    r"|(?:~|\.{1,2})?/[\w.+@-]+(?:/[\w.+@-]+)+/?"  # /etc/ponte/x.yaml, ~/bin/x, ./run/x
    r"|(?:~|\.{1,2})/[\w.+@-]+"  # ~/x, ./x
    r"|/[\w+@-]+\.(?:" + _EXTENSIONS + r")"  # /x.py
    r"|[\w.+@-]+(?:/[\w.+@-]+)+"  # src/core/x.py (checked below: needs an extension)
    r"|[\w+-][\w.+-]*\.(?:" + _EXTENSIONS + r")"  # README.md
    r")(?![\w/])",
    re.IGNORECASE,
)
_HAS_EXTENSION = re.compile(r"\.(?:" + _EXTENSIONS + r")$", re.IGNORECASE)
# A name with a hyphenated number: GPT-4, GPT-4o, Llama-3-70B, Covid-19, DeepSeek-V3 (a capital and a digit).
_HYPHENATED = re.compile(r"(?<![\w.-])(?=[^\s-]*[A-Z])(?=[\w.-]*\d)[^\W\d_][\w.]*(?:-[\w.]+)+(?<!\.)(?![\w-])")
_VERSIONS = (
    re.compile(r"(?<![\w.])v\d+(?:\.\d+)*(?:-[\w.]+)?(?![\w])"),  # v2, v1.2.3, v1.0-rc1
    _HYPHENATED,
    # Letters and digits in one word: H100, GPT4o, M3, RTX4090, o1.
    re.compile(r"(?<![\w.-])[A-Za-z]+\d\w*(?![\w-])"),
)
# A name and a version after a space: Llama 3, Python 3.11, iOS 17, Claude 3.5, Mistral 7B, Mixtral 8x7B, Node.js 22.
_NAMED_VERSION = re.compile(
    r"(?<![\w.-])(?=[a-z]*[A-Z])([A-Za-z][\w+#]*(?:\.[A-Za-z][\w+#]*)*) (\d+(?:[.x]\d+)*[A-Za-z]?)"
    r"(?![\w%º°ª]|[.,/]\d| (?:mil|milhões|milhão|bilhões|bilhão|trilhões|trilhão)\b)"
)
_TLD = re.compile(r"\.(?:com|org|net|gov|edu|br|pt|io|ai|dev|app|eu|ao|mz|cv|tv|info)\b")
_URL_HOST = re.compile(
    r"(?<![\w@./-])(?:[A-Za-z0-9][\w-]*\.)+(?:com|org|net|gov|edu|br|pt|io|ai|dev|app|eu|ao|mz|cv|tv|info)"
    r"(?:\.[a-z]{2})?(?:/[^\s<>\"'`]*)?(?![\w@-])"
)


@dataclass(frozen=True)
class Span:
    """A protected range of a sentence: `text == sentence[start:end]`."""

    start: int
    end: int
    kind: str
    text: str


def find_spans(text: str, extra: Sequence[tuple[int, int]] = ()) -> tuple[Span, ...]:
    """The protected spans of a sentence, in order, none overlapping; `extra` ranges are the caller's."""
    taken: list[Span] = []
    for start, end in sorted(extra):
        if not 0 <= start < end <= len(text):
            raise ValueError(f"protected range ({start}, {end}) is outside the text (length {len(text)})")
        taken.append(Span(start, end, EXTRA, text[start:end]))
    return resolve(taken, list(_candidates(text)))


def resolve(first: Sequence[Span], others: Iterable[Span]) -> tuple[Span, ...]:
    """`first` spans as given (merged where they overlap), then `others` that overlap none of them.

    Among `others`, the earliest start wins, then the longest span, then the order given.
    """
    kept: list[Span] = []
    for span in sorted(first, key=lambda s: (s.start, -s.end)):
        if kept and span.start < kept[-1].end:
            last = kept[-1]
            if span.end > last.end:
                kept[-1] = Span(last.start, span.end, last.kind, last.text + span.text[last.end - span.start :])
            continue
        kept.append(span)
    # `kept` stays disjoint and sorted by start, so its ends rise too: a span overlaps a kept one only if it
    # overlaps the last kept span starting before its end (a bisection, not a scan: 33,000 matches of one
    # glossary term in a text took minutes with a scan).
    starts = [span.start for span in kept]
    ends = [span.end for span in kept]
    ordered = sorted(enumerate(others), key=lambda item: (item[1].start, -item[1].end, item[0]))
    for _, span in ordered:
        at = bisect.bisect_left(starts, span.end)
        if at and ends[at - 1] > span.start:
            continue
        kept.insert(at, span)
        starts.insert(at, span.start)
        ends.insert(at, span.end)
    return tuple(kept)


def _candidates(text: str) -> Iterable[Span]:
    for kind, pattern in ((CODE, _CODE), (URL, _URL), (EMAIL, _EMAIL), (HANDLE, _HANDLE)):
        for match in pattern.finditer(text):
            start, end = match.span()
            if kind == URL:
                end = start + len(_trim_url(match.group()))
            yield Span(start, end, kind, text[start:end])
    if _TLD.search(text):  # a cheap look for `.com`, `.br` first: most sentences name no host
        for match in _URL_HOST.finditer(text):
            host = _trim_url(match.group())
            yield Span(match.start(), match.start() + len(host), URL, host)
    for match in _PATH.finditer(text):
        path = _trim_url(match.group())
        # A relative path needs an extension ("e/ou", "km/h" and "22/04/2024" are not files).
        relative = not path.startswith(("/", "~", ".")) and ":\\" not in path[:3]
        if relative and "/" in path and not _HAS_EXTENSION.search(path):
            continue
        yield Span(match.start(), match.start() + len(path), PATH, path)
    for pattern in _VERSIONS:
        if pattern is _HYPHENATED and "-" not in text:
            continue
        for match in pattern.finditer(text):
            yield Span(match.start(), match.end(), VERSION, match.group())
    named = list(_NAMED_VERSION.finditer(text))
    if named and not shouting(text):  # in capitals every word looks like a name: no name + number rule there
        scores = {start for m in _COMMA_SCORE.finditer(text) if m.group(1) != m.group(2)
                  for start in (m.start(), m.start(2))} if "," in text else set()
        for match in named:
            if match.start() not in scores and _names_a_version(text, match):
                yield Span(match.start(), match.end(), VERSION, match.group())


def _names_a_version(text: str, match: re.Match[str]) -> bool:
    """Whether `Name 12` is a product and its version, not a word and a quantity (`tem 200`, `Foram 30`)."""
    name, number = match.group(1), match.group(2)
    if not name.isascii() or name == name.lower() or name.lower().translate(_ACCENTS) in _NOT_NAMES:
        return False
    before = text[:match.start()]
    if _OPENING.search(before) and name[1:].islower() and _VERB_ENDING.search(name):
        return False
    if _ADDRESS.search(before) or _SCORE_AFTER.match(text, match.end()):
        return False
    # a year after a name is a date (`Copa 2026`, `Censo 2022`), unless the name is an acronym (`RTX 2080`)
    return not (_YEAR.match(number) and not (name.isupper() and len(name) > 1))


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets that end a URL in prose."""
    while url:
        last = url[-1]
        if last in ".,;:!?" or (last in ")]}" and url.count(last) > url.count({")": "(", "]": "[", "}": "{"}[last])):
            url = url[:-1]
        else:
            break
    return url
