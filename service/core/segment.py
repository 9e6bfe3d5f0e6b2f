"""Split news text into paragraphs and sentences, and join translated sentences back.

Shape
-----
``split_sentences`` returns a frozen ``Segmentation``. Each ``Sentence`` holds its stripped text,
``start``/``end`` offsets with ``original[start:end] == sentence.text``, and the 0-based index of its
paragraph. ``Segmentation.separators[i]`` is the break that followed paragraph ``i`` in the input,
normalised to ``"\\n"`` (line break) or ``"\\n\\n"`` (blank line, whitespace-only lines included); there
is one fewer separator than paragraphs. ``join_translation`` joins the translated sentences of a
paragraph with one space and the paragraphs with those separators, so the layout survives translation;
whitespace before the first and after the last paragraph is not kept.

Rules
-----
* Paragraphs: every line break (``\\n``, ``\\r\\n``, ``\\r``, U+2028, U+2029) ends a paragraph, because
  news text often puts each paragraph on one line. Blank lines are dropped, paragraphs are trimmed, and
  sentences never cross paragraphs.
* Candidates: a run of ``. ! ? …`` (``...`` included) plus any closing quotes or brackets
  (``" ' ” ’ » ) ] }``) followed by whitespace. The end of a paragraph always ends a sentence.
  Punctuation not followed by whitespace never ends one, so decimals (``3,5``, ``3.5``, ``10.4%``),
  thousands (``1.000.000``), versions (``v2.0``), URLs, e-mails, domains and file names stay whole,
  as do amounts such as ``US$ 10 bilhões`` and ``R$ 2,5 mi``.
* A candidate ends a sentence only if the next word, after any opening quotes, brackets and dashes,
  starts with an upper-case or uncased letter, a digit or a currency sign. A lower-case start continues
  the sentence: ``etc. e``, ``hesitou... e depois`` and the dialogue tag in ``— Vamos? — perguntou
  ele.`` stay whole, while ``Vamos. — Disse ele.`` splits before the dash.
* After a single ``.``, the word before it is looked up (case-sensitive; lower-case entries also match
  capitalised at a sentence start):
  - never an end: titles and references that precede a name or a number (Sr., Dra., Prof., Av., n.,
    nº., p., pág., vol., inc., ex., Mr., Inc., Ltda., Cia., Jr., St., vs., i.e., e.g. ...), initials
    and dotted upper-case acronyms (``J. R. R. Tolkien``, ``Luiz I. Lula``, ``U.S.``, ``S.A.``).
    So a one-letter word never ends a sentence (``vitamina C. O`` stays whole): merging two
    sentences costs a translation less than cutting one in half;
  - an end only before a letter that is not a Roman numeral (never before a digit or lower case):
    words that often end a sentence or are also common words: etc., EUA., a.C., d.C., month
    abbreviations (jan., mar., out. ...), art., arts., cap.. ``nos EUA. O governo`` splits, since in
    Portuguese "EUA" follows its noun and a capital after it opens a new clause; ``U.S.`` never
    splits, since in English it often precedes a capitalised noun (``U.S. Army``). ``art. 5º``,
    ``jan. 2024``, ``cap. IV`` stay whole;
  - a number of up to three digits that opens a sentence is a list enumerator (``1. Introdução``).
* An ellipsis before an upper-case word splits, before a lower-case word does not; the omission marker
  ``(...)`` / ``[…]`` never splits.
* ``language`` picks the abbreviation table (``pt``, ``es``, ``en``; ``pt-BR`` and ``pt_BR`` use
  ``pt``); any other code uses the union of the three.

Cost is linear: compiled patterns scan the text once, with lookbehinds and possessive quantifiers so
that long runs of dots or long tokens cause no backtracking, plus constant work per candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class Sentence:
    """One sentence: its stripped text, its exact span in the input and its paragraph."""

    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Segmentation:
    """The sentences of a text in order, with the paragraph layout needed to rebuild it."""

    sentences: tuple[Sentence, ...]
    paragraph_count: int
    separators: tuple[str, ...]


@dataclass(frozen=True)
class _Abbreviations:
    never: frozenset[str]
    before_letter: frozenset[str]


_OPENERS = "\"'“‘„«([{—–-¿¡"
_CURRENCY = "$€£¥"

_PARAGRAPH = re.compile(r"\S(?:[^\n\r\u2028\u2029]*\S)?")
_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029]")
# The word is the whole token before the final run of terminators: the token must start after
# whitespace and the run must not start inside another run, which keeps the scan linear.
_CANDIDATE = re.compile(r"(?<!\S)(?P<word>\S*?)(?<![.!?…])(?P<term>[.!?…]++)(?P<close>[\"'”’»)\]}]*+)(?=\s)")
_LEAD = re.compile(r"[\s\"'“‘„«(\[{—–\-¿¡]*+")
_SPACE = re.compile(r"\s*+")
_ROMAN = re.compile(r"[IVXLCDM]+\b")


def _words(words: str) -> frozenset[str]:
    items = words.split()
    return frozenset(items) | {w[0].upper() + w[1:] for w in items if w[0].islower()}


def _table(never: str, before_letter: str) -> _Abbreviations:
    return _Abbreviations(_words(never), _words(before_letter))


_TABLES = {
    "pt": _table(
        "Sr. Sra. Srs. Sras. Srta. Dr. Dra. Drs. Dras. Prof. Profa. Profs. Eng. Enga. Exmo. Exma."
        " Dep. Sen. Gov. Pe. Av. R. n. nº. p. pp. pág. págs. séc. inc. ex. vol. tel. Ltda. Cia."
        " Sto. Sta. fig. figs. Gen. Cel. Ten. Maj."
        " Mr. Mrs. Ms. Inc. Co. Corp. Ltd. Jr. St. vs. i.e. e.g.",
        "etc. EUA. a.C. d.C. art. arts. cap. jan. fev. mar. abr. mai. jun. jul. ago. set. out. nov. dez.",
    ),
    "es": _table(
        "Sr. Sra. Sres. Sras. Srta. Dr. Dra. Dres. Prof. Profa. Lic. Ing. Av. Avda. Ud. Uds. Vd."
        " Vds. Dña. Sto. Sta. n. nº. núm. p. pp. pág. págs. vol. tel. Cía. Ltda."
        " Mr. Mrs. Ms. Inc. Co. Corp. Ltd. Jr. St. vs. i.e. e.g.",
        "etc. EE.UU. a.C. d.C. art. arts. cap. ene. feb. mar. abr. may. jun. jul. ago. sep. sept. oct. nov. dic.",
    ),
    "en": _table(
        "Mr. Mrs. Ms. Messrs. Dr. Prof. Sr. Jr. St. Mt. Gen. Gov. Sen. Rep. Rev. Capt. Col. Lt."
        " Sgt. Inc. Co. Corp. Ltd. vs. i.e. e.g. p. pp. vol. fig. approx.",
        "etc. a.m. p.m. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec.",
    ),
}
_ANY_BEFORE_LETTER = frozenset().union(*(t.before_letter for t in _TABLES.values()))
_ANY = _Abbreviations(
    frozenset().union(*(t.never for t in _TABLES.values())) - _ANY_BEFORE_LETTER,
    _ANY_BEFORE_LETTER,
)


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Return the trimmed (start, end) spans of the non-blank lines of text."""
    return [match.span() for match in _PARAGRAPH.finditer(text)]


def split_sentences(text: str, language: str = "pt") -> Segmentation:
    """Split text into sentences with exact offsets, paragraph indices and paragraph separators."""
    table = _TABLES.get(language.strip().lower().replace("_", "-").split("-")[0], _ANY)
    paragraphs = split_paragraphs(text)
    sentences = tuple(
        Sentence(text[start:end], start, end, index)
        for index, (p_start, p_end) in enumerate(paragraphs)
        for start, end in _sentence_spans(text, p_start, p_end, table)
    )
    separators = tuple(
        "\n\n" if len(_LINE_BREAK.findall(text, before_end, after_start)) > 1 else "\n"
        for (_, before_end), (after_start, _) in pairwise(paragraphs)
    )
    return Segmentation(sentences, len(paragraphs), separators)


def join_translation(segmentation: Segmentation, targets: Sequence[str]) -> str:
    """Rebuild a text from one translation per sentence, keeping the paragraph breaks."""
    if len(targets) != len(segmentation.sentences):
        raise ValueError(f"expected {len(segmentation.sentences)} translations, got {len(targets)}")
    paragraphs: list[list[str]] = [[] for _ in range(segmentation.paragraph_count)]
    for sentence, target in zip(segmentation.sentences, targets, strict=True):
        if piece := target.strip():
            paragraphs[sentence.paragraph].append(piece)
    parts = [" ".join(paragraphs[0])] if paragraphs else []
    for separator, pieces in zip(segmentation.separators, paragraphs[1:], strict=True):
        parts += [separator, " ".join(pieces)]
    return "".join(parts)


def _sentence_spans(text: str, start: int, end: int, table: _Abbreviations) -> Iterator[tuple[int, int]]:
    sentence_start = start
    for match in _CANDIDATE.finditer(text, start, end):
        stop = match.end()
        if _ends_sentence(text, match, end, match.start() == sentence_start, table):
            yield sentence_start, stop
            sentence_start = _skip(_SPACE, text, stop, end)
    yield sentence_start, end


def _ends_sentence(text: str, match: re.Match[str], end: int, opens_sentence: bool, table: _Abbreviations) -> bool:
    word, term, close = match.group("word", "term", "close")
    following = _skip(_LEAD, text, match.end(), end)
    if following == end:
        return False  # only quotes or dashes remain: they belong to this sentence
    first = text[following]
    if not (first.isdigit() or (first.isalpha() and not first.islower()) or first in _CURRENCY):
        return False
    if word in ("(", "[") and close[:1] in (")", "]"):
        return False  # "(...)" marks an omission inside a quotation
    if term != ".":
        return True
    bare = word.lstrip(_OPENERS)
    key = bare + "."
    if key in table.never or _is_initials(bare):
        return False
    if key in table.before_letter:
        return first.isalpha() and _ROMAN.match(text, following, end) is None
    return not (opens_sentence and bare.isdigit() and len(bare) <= 3)


def _is_initials(word: str) -> bool:
    return bool(word) and all(len(part) == 1 and part.isupper() for part in word.split("."))


def _skip(pattern: re.Pattern[str], text: str, pos: int, end: int) -> int:
    match = pattern.match(text, pos, end)
    return match.end() if match else pos
