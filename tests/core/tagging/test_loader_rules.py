"""Every rule of the taxonomy loader, pinned by the whole message a taxonomy author reads: file:line, topic, problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.core.tagging import Form, Include, IptcRef, Near, Requirement, TaxonomyError, load_taxonomy
from service.core.tagging.iptc import MediaTopic, Vocabulary
from tests.core.tagging.conftest import write

# Lines 1-5; what a case appends starts on line 6.
HEAD = (
    "topics:\n"
    "  - id: sports\n"
    "    label: Sports\n"
    "    terms:\n"
    "      - {id: football, pt: [futebol]}\n"
)

EXPECTED_FIELDS = "(expected case, concept, groups, id, near, weight, a two-letter language code or 'any')"
FORMS_OR_LIST = "pt must be a string or a non-empty list of strings"
NEAR_GROUPS = "near.groups must be a group name or a non-empty list of them"
WITHIN = "must be a number of characters or 'sentence', got"
TWO_GROUPS = "requires.groups must be a list of at least two distinct group names"
CASES = "(allowed: insensitive, sensitive)"
EXCLUSION_FIELDS = "(expected case, a two-letter language code or 'any')"


# The IPTC vocabulary the loader checks codes against: three concepts, one retired.
VOCABULARY = Vocabulary(
    {
        "medtop:15000000": MediaTopic("medtop:15000000", "", "", "sport", "esporte", "desporto"),
        "medtop:20001065": MediaTopic("medtop:20001065", "medtop:15000000", "", "football", "futebol", "futebol"),
        "medtop:20000229": MediaTopic("medtop:20000229", "", "2023-03-31", "computer security", "", ""),
    },
    "test release 1",
)


def refusal(tmp_path: Path, body: str) -> str:
    """The loader's message for `body`, after the file name it starts with."""
    path = write(tmp_path, body)
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(path, iptc=VOCABULARY)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    return message[len(str(path)) :]


# --- the document and its scoring: named by the file alone -------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("just text\n", ": the document must be a mapping, got str"),
        ("extra: 1\n" + HEAD, ": the document: unknown field 'extra' (allowed: scoring, topics, version)"),
        ("version: 2\n" + HEAD, ": version must be 1, got 2"),
        ("scoring: 5\n" + HEAD, ": scoring must be a mapping, got int"),
        ("scoring: {decay: 1}\n" + HEAD,
         ": scoring: unknown field 'decay' (allowed: repeat_decay, saturation, threshold)"),
        ("scoring: {threshold: 2}\n" + HEAD, ": scoring.threshold must be between 0 and 1, got 2"),
        ("scoring: {threshold: .nan}\n" + HEAD, ": scoring.threshold must be a number, got nan"),
        ("scoring: {saturation: 0}\n" + HEAD, ": scoring.saturation must be between 1e-06 and 1e+06, got 0"),
        ("scoring: {repeat_decay: 1}\n" + HEAD, ": scoring.repeat_decay must be between 0 and 0.999, got 1"),
        ("version: 1\n", ": topics must be a non-empty list"),
        ("topics: []\n", ": topics must be a non-empty list"),
        ("topics: {id: sports}\n", ": topics must be a non-empty list"),
    ],
)
def test_document_rules(tmp_path: Path, body: str, expected: str) -> None:
    assert refusal(tmp_path, body) == expected


# --- a topic's own fields: named by the topic's line and id (or '#number' before it has one) -----------------------

@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("topics:\n  - {label: Sports, terms: [{id: f, pt: [futebol]}]}\n", ":2: topic '#1': missing field 'id'"),
        ("topics:\n  - {id: Sports, label: Sports, terms: [{id: f, pt: [futebol]}]}\n",
         ":2: topic 'Sports': id must be lower-case letters, digits and hyphens, got 'Sports'"),
        ("topics:\n  - {id: sports-, label: Sports, terms: [{id: f, pt: [futebol]}]}\n",
         ":2: topic 'sports-': id must be lower-case letters, digits and hyphens, got 'sports-'"),
        ("topics:\n  - {id: 5, label: Sports, terms: [{id: f, pt: [futebol]}]}\n",
         ":2: topic '#1': id must be lower-case letters, digits and hyphens, got 5"),
        ("topics:\n  - {id: sports, terms: [{id: f, pt: [futebol]}]}\n", ":2: topic 'sports': missing field 'label'"),
        ("topics:\n  - {id: sports, label: ' ', terms: [{id: f, pt: [futebol]}]}\n",
         ":2: topic 'sports': label must be a non-empty string, got ' '"),
        (HEAD + "    colour: green\n",
         ":2: topic 'sports': topic #1: unknown field 'colour' (allowed: description, exclusions, id, include, iptc, "
         "label, requires, terms, threshold)"),
        (HEAD + "    description: 5\n", ":2: topic 'sports': description must be a string"),
        (HEAD + "    threshold: true\n", ":2: topic 'sports': threshold must be a number, got True"),
        ("topics:\n  - {id: sports, label: Sports, terms: futebol}\n", ":2: topic 'sports': terms must be a list"),
        ("topics:\n  - {id: sports, label: Sports, terms: []}\n",
         ":2: topic 'sports': a topic needs at least one term or include"),
        (HEAD + "      - {id: football, pt: [bola]}\n", ":2: topic 'sports': duplicate term id 'football'"),
        (HEAD + "    exclusions: praia\n", ":2: topic 'sports': exclusions must be a list"),
        # The second topic with an id already taken is named by its own line.
        (HEAD + HEAD.removeprefix("topics:\n"), ":6: topic 'sports': duplicate topic id"),
    ],
)
def test_topic_rules(tmp_path: Path, body: str, expected: str) -> None:
    assert refusal(tmp_path, body) == expected


# --- a term, appended on line 6: named by its line and id, or '#number' when it has no id --------------------------

@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("{pt: [golo], wieght: 2}", f"term #2: unknown field 'wieght' {EXPECTED_FIELDS}"),
        ("{id: bad, PT: [golo]}", f"term 'bad': unknown field 'PT' {EXPECTED_FIELDS}"),
        ("{id: bad, 1: [golo]}", f"term 'bad': unknown field 1 {EXPECTED_FIELDS}"),
        ("{id: bad, case: shouty, pt: [golo]}", f"term 'bad': unknown case rule 'shouty' {CASES}"),
        ("{pt: [golo], case: shouty}", f"term #2: unknown case rule 'shouty' {CASES}"),
        # Without an id, a term is named after its first form, which a regex cannot give.
        ("{pt: ['re:gol+']}", "term #2: needs an 'id' because its first form is a regex"),
        ("{id: bad, pt: 5}", f"term 'bad': {FORMS_OR_LIST}"),
        ("{id: bad, pt: [], en: [goal]}", f"term 'bad': {FORMS_OR_LIST}"),
        ("{pt: {a: golo}}", f"term #2: {FORMS_OR_LIST}"),
        ("{id: bad, pt: [5]}", "term 'bad': pt: every form must be a non-empty string (quote it), got 5"),
        ("{id: bad, pt: ['  ']}", "term 'bad': pt: every form must be a non-empty string (quote it), got '  '"),
        ("{id: bad, pt: ['--']}", "term 'bad': pt: '--': a literal needs at least one letter or digit"),
        # '*' is no letter: alone it is no literal, and inside a word (even of capitals) it is refused.
        ("{id: bad, pt: ['*']}", "term 'bad': pt: '*': a literal needs at least one letter or digit"),
        ("{id: bad, pt: ['XX*XX']}", "term 'bad': pt: 'XX*XX': '*' may only end a word (as in 'hacker*')"),
        ("{id: bad, pt: ['re:']}", "term 'bad': pt: 're:': empty pattern"),
        ("{id: bad, pt: ['re:(gol)']}",
         "term 'bad': pt: 're:(gol)': capturing groups are not allowed in a regex term, use (?:...)"),
        ("{id: bad, pt: ['re:x*']}", "term 'bad': pt: 're:x*': the regex matches the empty string"),
        ("{id: bad, pt: ['*bol']}", "term 'bad': pt: '*bol': '*' may only end a word (as in 'hacker*')"),
        ("{id: bad, pt: ['bo*la']}", "term 'bad': pt: 'bo*la': '*' may only end a word (as in 'hacker*')"),
        ("{id: bad, pt: ['gol *']}", "term 'bad': pt: 'gol *': '*' may only end a word (as in 'hacker*')"),
        ("{id: bad}", "term 'bad': no forms (give at least one language, e.g. 'pt: [...]')"),
        ("{pt: [golo], id: ''}", "term '': id must be a non-empty string, got ''"),
        ("{id: 5, pt: [golo]}", "term #2: id must be a non-empty string, got 5"),
        ("{id: bad, weight: true, pt: [golo]}", "term 'bad': weight must be a number, got True"),
        ("{id: bad, weight: 1000000.5, pt: [golo]}", "term 'bad': weight must be between 0 and 1e+06, got 1000000.5"),
        ("{id: bad, groups: [5], pt: [golo]}", "term 'bad': groups must be a list of group names"),
        ("{id: bad, groups: 5, pt: [golo]}", "term 'bad': groups must be a list of group names"),
        ("{id: bad, concept: ' ', pt: [golo]}", "term 'bad': concept must be a non-empty string, got ' '"),
        # near: a group name, or {groups, within}.
        ("{id: bad, pt: [golo], near: 5}", "term 'bad': near must be a mapping, got int"),
        ("{id: bad, pt: [golo], near: {group: g}}",
         "term 'bad': near: unknown field 'group' (allowed: groups, within)"),
        ("{id: bad, pt: [golo], near: {within: 9}}", f"term 'bad': {NEAR_GROUPS}"),
        ("{id: bad, pt: [golo], near: {groups: []}}", f"term 'bad': {NEAR_GROUPS}"),
        ("{id: bad, pt: [golo], near: {groups: 5}}", f"term 'bad': {NEAR_GROUPS}"),
        ("{id: bad, pt: [golo], near: {groups: [5]}}", f"term 'bad': {NEAR_GROUPS}"),
        ("{id: bad, pt: [golo], near: {groups: [g, '']}}", f"term 'bad': {NEAR_GROUPS}"),
        # within: 'sentence' or a whole number of characters, 0 or more.
        ("{id: bad, pt: [golo], near: {groups: g, within: -1}}", f"term 'bad': near.within {WITHIN} -1"),
        ("{id: bad, pt: [golo], near: {groups: g, within: 1.5}}", f"term 'bad': near.within {WITHIN} 1.5"),
        ("{id: bad, pt: [golo], near: {groups: g, within: true}}", f"term 'bad': near.within {WITHIN} True"),
        ("{id: bad, pt: [golo], near: {groups: g, within: far}}", f"term 'bad': near.within {WITHIN} 'far'"),
        ("{id: bad, pt: [golo], near: {groups: g, within: '9'}}", f"term 'bad': near.within {WITHIN} '9'"),
    ],
)
def test_term_rules(tmp_path: Path, term: str, expected: str) -> None:
    assert refusal(tmp_path, f"{HEAD}      - {term}\n") == f":6: topic 'sports': {expected}"


def test_a_term_that_is_not_a_mapping_is_named_by_its_number(tmp_path: Path) -> None:
    # Its line is left to test_a_non_mapping_item_names_its_own_line below.
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(write(tmp_path, HEAD + "      - futebol\n"))
    assert (caught.value.topic, caught.value.problem) == ("sports", "term #2 must be a mapping, got str")


# --- groups: checked once a topic's terms are read, so named by the topic's line ----------------------------------

@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (HEAD + "      - {id: bad, near: ball, pt: [golo]}\n",
         "term 'bad': near: no term of the topic is in group 'ball'"),
        (HEAD + "      - {id: bad, groups: [a], pt: [golo]}\n",
         "group 'a' is used neither by 'requires' nor by any 'near'"),
        (HEAD + "    requires: {groups: [a, b]}\n", "term 'football': needs 'groups' because the topic has 'requires'"),
        ("topics:\n  - id: sports\n    label: Sports\n    requires: {groups: [a, b]}\n    terms:\n"
         "      - {id: x, groups: [a], pt: [futebol]}\n      - {id: y, groups: [c], pt: [golo]}\n",
         "term 'y': group 'c' is not listed in requires.groups"),
        ("topics:\n  - id: sports\n    label: Sports\n    requires: {groups: [a, b]}\n"
         "    include: [{topic: football, group: c}]\n    terms:\n      - {id: x, groups: [a], pt: [futebol]}\n",
         "include 'football': group must be one of requires.groups"),
        ("topics:\n  - id: sports\n    label: Sports\n    requires: {groups: [a, b]}\n"
         "    include: [{topic: football}]\n    terms:\n      - {id: x, groups: [a], pt: [futebol]}\n",
         "include 'football': group must be one of requires.groups"),
        # requires itself
        (HEAD + "    requires: 5\n", "requires must be a mapping, got int"),
        (HEAD + "    requires: {groups: [a, b], near: 3}\n",
         "requires: unknown field 'near' (allowed: groups, within)"),
        (HEAD + "    requires: {within: 5}\n", TWO_GROUPS),
        (HEAD + "    requires: {groups: ab}\n", TWO_GROUPS),
        (HEAD + "    requires: {groups: [a]}\n", TWO_GROUPS),
        (HEAD + "    requires: {groups: [a, a]}\n", TWO_GROUPS),
        (HEAD + "    requires: {groups: [a, '']}\n", TWO_GROUPS),
        (HEAD + "    requires: {groups: [a, 5]}\n", TWO_GROUPS),
        (HEAD + "    requires: {groups: [a, b], within: -5}\n", f"requires.within {WITHIN} -5"),
        (HEAD + "    requires: {groups: [a, b], within: 2.5}\n", f"requires.within {WITHIN} 2.5"),
    ],
)
def test_group_rules(tmp_path: Path, body: str, expected: str) -> None:
    assert refusal(tmp_path, body) == f":2: topic 'sports': {expected}"


# --- exclusions, from line 7: named by their line and number ------------------------------------------------------

@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ("      - {pt: [praia]}\n      - {case: shouty, pt: [areia]}\n",
         f":8: topic 'sports': exclusion #2: unknown case rule 'shouty' {CASES}"),
        ("      - {pt: [praia], colour: red}\n",
         f":7: topic 'sports': exclusion #1: unknown field 'colour' {EXCLUSION_FIELDS}"),
        # A term's fields, as in a term copied into the exclusions, are named as such: 'id' is no language (Indonesian).
        ("      - {weight: 2, pt: [praia]}\n",
         ":7: topic 'sports': exclusion #1: unknown field 'weight' (expected case, a two-letter language code or "
         "'any'; an exclusion has no 'weight')"),
        ("      - {pt: [praia]}\n      - {id: beach, pt: [futebol de praia]}\n",
         ":8: topic 'sports': exclusion #2: unknown field 'id' (expected case, a two-letter language code or 'any'; "
         "an exclusion has no 'id')"),
        ("      - {pt: [praia], case: sensitive, concept: beach}\n",
         ":7: topic 'sports': exclusion #1: unknown field 'concept' (expected case, a two-letter language code or "
         "'any'; an exclusion has no 'concept')"),
        ("      - {case: sensitive}\n",
         ":7: topic 'sports': exclusion #1: no forms (give at least one language, e.g. 'pt: [...]')"),
        ("      - {pt: ['re:(praia)']}\n",
         ":7: topic 'sports': exclusion #1: pt: 're:(praia)': capturing groups are not allowed in a regex term, "
         "use (?:...)"),
    ],
)
def test_exclusion_rules(tmp_path: Path, items: str, expected: str) -> None:
    assert refusal(tmp_path, f"{HEAD}    exclusions:\n{items}") == expected


def test_an_exclusion_that_is_not_a_mapping_is_named_by_its_number(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(write(tmp_path, HEAD + "    exclusions:\n      - {pt: [praia]}\n      - futebol de praia\n"))
    assert (caught.value.topic, caught.value.problem) == ("sports", "exclusion #2 must be a mapping, got str")


# --- include, from line 7: named by the entry's line and number --------------------------------------------------

@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ("      - {topic: a, colour: red}\n",
         ":7: topic 'sports': include #1: unknown field 'colour' (allowed: group, min_weight, topic, weight)"),
        ("      - {group: g}\n      - {topic: b}\n",
         ":7: topic 'sports': include #1: topic must be a non-empty string, got None"),
        ("      - {topic: a}\n      - {topic: ' '}\n",
         ":8: topic 'sports': include #2: topic must be a non-empty string, got ' '"),
        ("      - {topic: a, group: 5}\n", ":7: topic 'sports': include #1: group must be a string"),
        ("      - {topic: a, weight: heavy}\n", ":7: topic 'sports': include #1: weight must be a number, got 'heavy'"),
        ("      - {topic: a, weight: -1}\n",
         ":7: topic 'sports': include #1: weight must be between 0 and 1e+06, got -1"),
        ("      - {topic: a, weight: 1000000.5}\n",
         ":7: topic 'sports': include #1: weight must be between 0 and 1e+06, got 1000000.5"),
        ("      - {topic: a, min_weight: heavy}\n",
         ":7: topic 'sports': include #1: min_weight must be a number, got 'heavy'"),
        ("      - {topic: a, min_weight: 1000000.5}\n",
         ":7: topic 'sports': include #1: min_weight must be between 0 and 1e+06, got 1000000.5"),
    ],
)
def test_include_rules(tmp_path: Path, items: str, expected: str) -> None:
    assert refusal(tmp_path, f"{HEAD}    include:\n{items}") == expected


def test_include_must_be_a_list_of_mappings(tmp_path: Path) -> None:
    assert refusal(tmp_path, HEAD + "    include: football\n") == ":2: topic 'sports': include must be a list"
    with pytest.raises(TaxonomyError) as caught:
        load_taxonomy(write(tmp_path, HEAD + "    include:\n      - football\n"))
    assert (caught.value.topic, caught.value.problem) == ("sports", "include #1 must be a mapping, got str")


# Includes are resolved once every topic is read, and named by the including topic's line.
OTHER = "  - id: news\n    label: News\n    terms:\n      - {id: n, pt: [notícia]}\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (HEAD + "    include: [{topic: sports}]\n", ":2: topic 'sports': include: a topic cannot include itself"),
        (HEAD + "    include: [{topic: nowhere}]\n" + OTHER, ":2: topic 'sports': include: unknown topic 'nowhere'"),
        (HEAD + "    include: [{topic: news}]\n" + OTHER + "    include: [{topic: world}]\n"
         "  - id: world\n    label: World\n    terms:\n      - {id: w, pt: [mundo]}\n",
         ":2: topic 'sports': include: 'news' includes other topics itself"),
    ],
)
def test_include_resolution(tmp_path: Path, body: str, expected: str) -> None:
    assert refusal(tmp_path, body) == expected


# --- iptc, from line 7: an entry that is not a mapping is named by its own line ----------------------------------

IPTC_HEAD = HEAD + "    iptc:\n"


def test_an_iptc_entry_that_is_not_a_mapping_names_its_line(tmp_path: Path) -> None:
    body = IPTC_HEAD + "      - 'medtop:15000000'\n      - {code: 'medtop:20001065', relation: exact}\n"
    assert refusal(tmp_path, body) == ":7: topic 'sports': iptc #1 must be a mapping, got str"


def test_an_iptc_code_listed_again_is_named(tmp_path: Path) -> None:
    # The code named is the one listed again, not a neighbour.
    body = IPTC_HEAD + (
        "      - {code: 'medtop:15000000', relation: broader}\n"
        "      - {code: 'medtop:20001065', relation: narrower}\n"
        "      - {code: 'medtop:15000000', relation: exact}\n"
    )
    assert refusal(tmp_path, body) == ":9: topic 'sports': iptc: medtop:15000000 is listed twice"


def test_an_iptc_list_without_lines_still_names_the_topic(tmp_path: Path) -> None:
    # YAML's !!omap gives a plain list of pairs, whose items have no line: the topic's line is named.
    body = HEAD + "    iptc: !!omap\n      - a: 1\n"
    assert refusal(tmp_path, body) == ":2: topic 'sports': iptc #1 must be a mapping, got tuple"


# --- what loads ---------------------------------------------------------------------------------------------------

def test_forms_written_loosely_load(tmp_path: Path) -> None:
    body = (
        HEAD
        + "      - {id: golo, pt: golo}\n"  # a single form needs no list
        + "      - {id: star, '*': ataque}\n"  # '*' is another name for 'any'
        + "      - {pt: [remate, 're:chut(?:e|o)']}\n"  # only a regex FIRST form needs an id
        + "      - {id: stem, pt: ['atacante*']}\n"  # '*' may end a word
    )
    terms = {term.id: term for term in load_taxonomy(write(tmp_path, body)).topic("sports").terms}
    assert terms["golo"].forms == (Form("pt", "golo"),)
    assert terms["star"].forms == (Form("any", "ataque"),)
    assert terms["stem"].forms == (Form("pt", "atacante*"),)
    assert terms["remate"].forms == (Form("pt", "remate"), Form("pt", "chut(?:e|o)", regex=True))


def test_near_and_requires_take_a_group_name_and_zero_characters(tmp_path: Path) -> None:
    body = (
        "topics:\n  - id: sports\n    label: Sports\n    requires: {groups: [a, b], within: 0}\n    terms:\n"
        "      - {id: x, groups: a, pt: [futebol], near: {groups: b, within: 0}}\n"
        "      - {id: y, groups: [b], pt: [golo]}\n"
    )
    topic = load_taxonomy(write(tmp_path, body)).topic("sports")
    assert topic.requires == Requirement(("a", "b"), 0)
    assert topic.terms[0].near == Near(("b",), 0)
    assert topic.terms[0].groups == ("a",)


def test_weights_up_to_a_million_load(tmp_path: Path) -> None:
    body = HEAD + "    include: [{topic: news, weight: 1000000, min_weight: 1000000}]\n" + OTHER
    include = load_taxonomy(write(tmp_path, body)).topic("sports").includes[0]
    assert (include.weight, include.min_weight) == (1e6, 1e6)


def test_iptc_entries_load_in_order(tmp_path: Path) -> None:
    body = IPTC_HEAD + "      - {code: 'medtop:15000000', relation: broader}\n"
    iptc = load_taxonomy(write(tmp_path, body), iptc=VOCABULARY).topic("sports").iptc
    assert iptc == (IptcRef("medtop:15000000", "sport", "broader"),)


# --- bugs found while pinning the rules (fixed) ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("- a list\n", ": the document must be a mapping, got list"),
        (HEAD + "    requires: [a, b]\n", ":2: topic 'sports': requires must be a mapping, got list"),
        (HEAD + "      - {id: bad, pt: [golo], near: [a, b]}\n",
         ":6: topic 'sports': term 'bad': near must be a mapping, got list"),
    ],
)
def test_a_list_where_a_mapping_belongs_is_called_a_list(tmp_path: Path, body: str, expected: str) -> None:
    assert refusal(tmp_path, body) == expected


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("{id: bad, pt: ['re:a[']}", "pt: 're:a[': bad regex: unterminated character set at position 1"),
        ("{id: bad, pt: ['re:A[']}", "pt: 're:A[': bad regex: unterminated character set at position 1"),
        # the wrapper would balance it: as written it is no regex
        ("{id: bad, pt: ['re:a)(?:b']}", "pt: 're:a)(?:b': bad regex: unbalanced parenthesis at position 1"),
    ],
)
def test_a_bad_regex_names_the_position_in_the_pattern_written(tmp_path: Path, term: str, expected: str) -> None:
    assert refusal(tmp_path, f"{HEAD}      - {term}\n") == f":6: topic 'sports': term 'bad': {expected}"


GLOBAL_FLAG = "global flags not at the start of the expression (scope the flag, as in (?i:...), or leave it to 'case')"


@pytest.mark.parametrize(
    ("written", "case", "problem"),
    [  # each a regex as written
        ("re:(?i)K", "insensitive", GLOBAL_FLAG),  # a global flag is no longer at the start once grouped
        ("re:(?i)k", "sensitive", GLOBAL_FLAG),
        ("re:\\İ", "insensitive", "bad escape \\I"),  # folded, the escaped İ is \I
    ],
)
def test_a_regex_that_breaks_once_folded_or_grouped_names_no_position(tmp_path: Path, written: str, case: str,
                                                                        problem: str) -> None:
    assert refusal(tmp_path, f"{HEAD}      - {{id: bad, case: {case}, pt: ['{written}']}}\n") == (
        f":6: topic 'sports': term 'bad': pt: {written!r}: bad regex once its accents are folded and it is put in "
        f"a group: {problem}")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (HEAD + "      - futebol\n", ":6: topic 'sports': term #2 must be a mapping, got str"),
        (HEAD + "    exclusions:\n      - futebol de praia\n",
         ":7: topic 'sports': exclusion #1 must be a mapping, got str"),
        (HEAD + "    include:\n      - football\n", ":7: topic 'sports': include #1 must be a mapping, got str"),
        # The second item names its own line, not the first's (nor the last's for the first).
        (HEAD + "    exclusions:\n      - {pt: [praia]}\n      - futebol de praia\n",
         ":8: topic 'sports': exclusion #2 must be a mapping, got str"),
        (HEAD + "    include:\n      - football\n      - {topic: news}\n",
         ":7: topic 'sports': include #1 must be a mapping, got str"),
        (HEAD + "    include:\n      - {topic: news}\n      - football\n",
         ":8: topic 'sports': include #2 must be a mapping, got str"),
        ("topics:\n  - sports\n", ":2: topic '#1': topic #1 must be a mapping, got str"),
    ],
)
def test_a_non_mapping_item_names_its_own_line(tmp_path: Path, body: str, expected: str) -> None:
    assert refusal(tmp_path, body) == expected


# --- defaults, bounds and tidying of what loads -------------------------------------------------------------------

def test_every_bound_is_inclusive(tmp_path: Path) -> None:
    body = (
        "scoring: {threshold: 0, saturation: 0.000001, repeat_decay: 0.999}\n"
        "topics:\n  - id: sports\n    label: Sports\n    threshold: 1\n    terms:\n"
        "      - {id: light, weight: 0, pt: [futebol]}\n"
        "      - {id: heavy, weight: 1000000, pt: [golo]}\n"
    )
    taxonomy = load_taxonomy(write(tmp_path, body))
    assert (taxonomy.saturation, taxonomy.repeat_decay) == (1e-6, 0.999)
    topic = taxonomy.topic("sports")
    assert topic.threshold == 1.0
    assert [term.weight for term in topic.terms] == [0.0, 1e6]


@pytest.mark.parametrize(
    ("scoring", "expected"),
    [
        ("{threshold: -0.1}", ": scoring.threshold must be between 0 and 1, got -0.1"),
        ("{saturation: 1000000.5}", ": scoring.saturation must be between 1e-06 and 1e+06, got 1000000.5"),
        ("{saturation: .inf}", ": scoring.saturation must be a number, got inf"),
        ("{repeat_decay: -0.5}", ": scoring.repeat_decay must be between 0 and 0.999, got -0.5"),
        ("{repeat_decay: '0.5'}", ": scoring.repeat_decay must be a number, got '0.5'"),
    ],
)
def test_scoring_bounds(tmp_path: Path, scoring: str, expected: str) -> None:
    assert refusal(tmp_path, f"scoring: {scoring}\n{HEAD}") == expected


def test_what_a_file_leaves_out(tmp_path: Path) -> None:
    body = (
        "scoring: {threshold: 0.25}\n"
        "topics:\n  - id: sports\n    label: '  Sports  '\n    description: ' Games. '\n    terms:\n"
        "      - {pt: [Ação Desportiva]}\n"  # no id: the first form folded
        "      - {id: gol, groups: [a, a], concept: ball, pt: [golo], near: {groups: [a, a]}}\n"
        "    exclusions:\n      - {pt: [praia]}\n"
        "    include: [{topic: news}]\n"
        "  - id: news\n    label: News\n    threshold: 0.75\n    terms:\n      - {id: n, pt: [notícia]}\n"
    )
    taxonomy = load_taxonomy(write(tmp_path, body))
    sports, news = taxonomy.topics
    assert (sports.label, sports.description, sports.threshold, news.threshold) == ("Sports", "Games.", 0.25, 0.75)
    assert news.description == ""
    first, gol = sports.terms
    assert (first.id, first.concept, first.weight, first.case, first.groups, first.near) == (
        "acao desportiva", "acao desportiva", 1.0, "insensitive", (), None)
    # Repeated group names count once.
    assert (gol.groups, gol.concept, gol.near) == (("a",), "ball", Near(("a",), "sentence"))
    assert sports.exclusions[0].case == "insensitive"
    assert sports.includes[0] == Include("news", None, 1.0, 0.0)
    assert (sports.requires, sports.iptc, news.includes) == (None, (), ())


# --- iptc entries, from line 7 ---------------------------------------------------------------------------------------

QCODE_EXAMPLE = "code must be an IPTC Media Topic QCode such as 'medtop:20001298', got"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("{code: 'medtop:15000000', relation: exact, weight: 1}",
         "iptc #1: unknown field 'weight' (allowed: code, label, relation)"),
        ("{relation: exact}", f"iptc #1: {QCODE_EXAMPLE} None"),
        ("{code: 15000000, relation: exact}", f"iptc #1: {QCODE_EXAMPLE} 15000000"),
        ("{code: 'medtop:1500000', relation: exact}", f"iptc #1: {QCODE_EXAMPLE} 'medtop:1500000'"),
        ("{code: 'medtop:20009999', relation: exact}",
         "iptc: medtop:20009999 is not an IPTC Media Topic (release 'test release 1')"),
        ("{code: 'medtop:20000229', relation: exact}",
         "iptc: medtop:20000229 ('computer security') was retired by IPTC on 2023-03-31"),
        ("{code: 'medtop:15000000'}",
         "iptc: medtop:15000000: relation must be one of exact, broader, narrower, got None"),
        ("{code: 'medtop:15000000', relation: Exact}",
         "iptc: medtop:15000000: relation must be one of exact, broader, narrower, got 'Exact'"),
        ("{code: 'medtop:15000000', relation: exact, label: sports}",
         "iptc: medtop:15000000 is 'sport' in IPTC's vocabulary, not 'sports'"),
        ("{code: 'medtop:15000000', relation: exact, label: 5}",
         "iptc: medtop:15000000 is 'sport' in IPTC's vocabulary, not 5"),
    ],
)
def test_iptc_rules(tmp_path: Path, entry: str, expected: str) -> None:
    assert refusal(tmp_path, f"{IPTC_HEAD}      - {entry}\n") == f":7: topic 'sports': {expected}"


def test_iptc_codes_and_labels_are_tidied(tmp_path: Path) -> None:
    # Spaces around a code, and the case and spacing of a label, do not matter; IPTC's label is kept.
    body = IPTC_HEAD + "      - {code: ' medtop:20001065 ', label: '  FOOTBALL ', relation: narrower}\n"
    topic = load_taxonomy(write(tmp_path, body), iptc=VOCABULARY).topic("sports")
    assert topic.iptc == (IptcRef("medtop:20001065", "football", "narrower"),)


def test_a_topic_may_have_includes_and_no_terms(tmp_path: Path) -> None:
    body = "topics:\n  - id: all\n    label: All\n    include: [{topic: news}]\n" + OTHER
    topic = load_taxonomy(write(tmp_path, body)).topic("all")
    assert (topic.terms, topic.includes) == ((), (Include("news", None, 1.0, 0.0),))


# --- YAML that is no taxonomy's: refused as invalid YAML, with PyYAML's own words ---------------------------------

@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A key is built whole before it is checked: the set is named with its members.
        ("? !!set {a: null}\n: 1\n", "unhashable key {'a'}"),
        # A node that contains itself is refused, inside a list too.
        ("- &b !!omap [{k: *b}]\n", "found unconstructable recursive node"),
    ],
)
def test_yaml_that_cannot_be_built(tmp_path: Path, body: str, expected: str) -> None:
    assert refusal(tmp_path, body) == f': invalid YAML: {expected}\n  in "<unicode string>", line 1, column 3'
