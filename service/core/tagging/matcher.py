"""Find the forms of many terms in a folded text at once: a trie-shaped regex and a way back to their owners.

A `Matcher` is built from (form, case rule, payload) entries and reports every (start, end, payloads) found
in a text folded with folding.py; it knows nothing of topics, so any list of terms (a taxonomy, a glossary)
can use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, Generic, TypeVar

from service.core.tagging.folding import fold
from service.core.tagging.taxonomy import CASE_INSENSITIVE, CASE_SENSITIVE, Form

# Runs of spaces or hyphens in a literal term match any run of spaces or hyphens in the text.
_SEPARATORS = re.compile(r"[\s\-]+")


def form_source(form: Form, case: str) -> str:
    """The regex source of a form, to be matched against text folded by `case`."""
    if form.regex:
        # Accents are folded in the text, so they are folded in the pattern too. Insensitive text is
        # also lower-cased, so a pattern without capitals needs no (?i), which keeps `re` fast.
        source = fold(form.text, CASE_SENSITIVE)
        if case == CASE_INSENSITIVE and any(char.isupper() for char in source):
            return f"(?i:{source})"
        return f"(?:{source})"
    return "".join(_token_source(token) for token in _tokens(fold(form.text, case)))


_SEP = "\x00separator"
_STAR = "\x00star"


@lru_cache(maxsize=16384)
def _tokens(folded: str) -> tuple[str, ...]:
    """A folded literal as characters, separators and `*` stems."""
    tokens: list[str] = []
    for piece in re.split(r"([\s\-]+|\*)", folded):
        if piece == "*":
            tokens.append(_STAR)
        elif piece and _SEPARATORS.fullmatch(piece):
            tokens.append(_SEP)
        else:
            tokens.extend(piece)
    return tuple(tokens)


def _token_source(token: str) -> str:
    if token == _SEP:
        return r"[\s\-]+"
    if token == _STAR:
        return r"\w*"
    return re.escape(token)


def _trie_source(sequences: Iterable[tuple[str, ...]]) -> str:
    """One regex for many token sequences, with common prefixes factored out.

    A flat alternation of hundreds of phrases is tried branch by branch at every word start;
    the trie tries one branch per distinct next character. Longer continuations come first
    (greedy), so the longest form at a position wins and shorter ones are found by lookup.
    """
    root: dict[str, Any] = {}
    for sequence in sequences:
        node = root
        for token in sequence:
            node = node.setdefault(token, {})
        node[""] = {}  # end of a form
    return _node_source(root)


def _node_source(node: dict[str, Any]) -> str:
    # Characters first, then separators, then stems: a stem must not swallow a longer literal.
    children = sorted((token for token in node if token), key=lambda t: (t == _STAR, t == _SEP, t))
    branches = [_token_source(token) + _node_source(node[token]) for token in children]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?" if len(branches) == 1 else body + "?"
    return body


def _literal_key(text: str) -> str:
    return _SEPARATORS.sub(" ", text)


_P = TypeVar("_P")


class Matcher(Generic[_P]):
    """All forms of one case rule compiled into two alternations, and the way back to their owners.

    Literal and `*` forms share one alternation without groups, which `re` can skip through quickly;
    `re:` forms get their own. Both are searched at every word start (not only after the end of the
    previous match), so a long phrase of one topic does not hide a term of another topic inside it,
    and every form that matches at a start is reported, not only the longest.
    """

    def __init__(self, entries: Iterable[tuple[Form, str, _P]]) -> None:
        self.literals: dict[str, list[_P]] = {}
        self.stems: dict[str, list[tuple[re.Pattern[str], list[_P]]]] = {}
        self.regexes: list[tuple[re.Pattern[str], list[_P]]] = []
        compiled: dict[str, tuple[re.Pattern[str], list[_P]]] = {}
        sequences: set[tuple[str, ...]] = set()
        regex_sources: list[str] = []
        for form, case, payload in entries:
            if not form.regex:
                sequences.add(_tokens(fold(form.text, case)))
            if not form.regex and "*" not in form.text:
                owners = self.literals.setdefault(_literal_key(fold(form.text, case)), [])
            else:
                source = form_source(form, case)
                if source not in compiled:
                    compiled[source] = (re.compile(source + r"(?!\w)"), [])
                    if form.regex:
                        regex_sources.append(source)
                        self.regexes.append(compiled[source])
                    else:
                        self.stems.setdefault(fold(form.text, case)[0], []).append(compiled[source])
                owners = compiled[source][1]
            if payload not in owners:
                owners.append(payload)
        self.words = _alternation([_trie_source(sorted(sequences))] if sequences else [])
        self.special = _alternation(regex_sources)

    def finditer(self, folded: str) -> Iterator[tuple[int, int, list[_P]]]:
        """(start, end, owners) of every form found in a folded text, in order of start."""
        found: list[tuple[int, int, list[_P]]] = []
        if self.words is not None:
            for start, end in _starts(self.words, folded):
                text = folded[start:end]
                if text.isalnum():
                    owners = self.literals.get(text)
                    if owners:
                        found.append((start, end, owners))
                else:
                    # Shorter literals ending at an inner word end ("Google" in "Google Gemini").
                    ends = {match.start() for match in _WORD_END.finditer(folded, start + 1, end)} | {end}
                    for stop in sorted(ends):
                        owners = self.literals.get(_literal_key(folded[start:stop]))
                        if owners:
                            found.append((start, stop, owners))
                for pattern, owners in self.stems.get(folded[start], ()):
                    match = pattern.match(folded, start)
                    if match is not None:
                        found.append((start, match.end(), owners))
        if self.special is not None:
            for start, _ in _starts(self.special, folded):
                for pattern, owners in self.regexes:
                    match = pattern.match(folded, start)
                    if match is not None:
                        found.append((start, match.end(), owners))
        found.sort(key=lambda item: (item[0], item[1]))
        return iter(found)


_WORD_END = re.compile(r"(?<=\w)(?!\w)")


def _alternation(sources: Sequence[str]) -> re.Pattern[str] | None:
    return re.compile(r"(?<!\w)(?:" + "|".join(sources) + r")(?!\w)") if sources else None


def _starts(regex: re.Pattern[str], text: str) -> Iterator[tuple[int, int]]:
    """Every word start where the regex matches (matches may overlap), with the match end."""
    position = 0
    while (match := regex.search(text, position)) is not None:
        yield match.span()
        position = match.start() + 1
