"""A request's glossary: its limits at limit - 1, limit and limit + 1, and every refusal's message written out."""

from __future__ import annotations

import pytest

from service.core.terms.glossary import GlossaryError, entries_from_request


def entries(count: int) -> list[dict[str, str]]:
    return [{"source": f"termo{i}", "target": f"term{i}"} for i in range(count)]


@pytest.mark.parametrize("count", [2, 3])
def test_up_to_max_entries_is_taken(count: int) -> None:
    assert len(entries_from_request(entries(count), max_entries=3)) == count


def test_one_entry_over_max_entries_is_refused_naming_the_limit() -> None:
    with pytest.raises(GlossaryError) as caught:
        entries_from_request(entries(4), max_entries=3)
    assert (caught.value.where, caught.value.problem) == ("glossary", "has 4 entries, at most 3 are allowed")


@pytest.mark.parametrize("length", [4, 5])
def test_a_target_up_to_max_chars_is_taken(length: int) -> None:
    assert entries_from_request([{"source": "dado", "target": "x" * length}], max_chars=5)[0].target == "x" * length


def test_a_target_over_max_chars_is_refused_naming_the_field() -> None:
    with pytest.raises(GlossaryError) as caught:
        entries_from_request([{"source": "dado", "target": "x" * 6}], max_chars=5)
    assert (caught.value.where, caught.value.problem) == (
        "glossary[0]", "target has 6 characters, at most 5 are allowed")


@pytest.mark.parametrize(("raw", "where", "problem"), [
    ({"source": "dado"}, "glossary", "must be a list of entries, got dict"),
    (["dado"], "glossary[0]", "an entry must be a mapping with 'source', got str"),
    ([{"source": "dado", "colour": "red"}], "glossary[0]",
     "unknown field 'colour' (allowed: case_sensitive, inflect, source, target)"),
])
def test_refusals_say_where_and_what(raw: object, where: str, problem: str) -> None:
    with pytest.raises(GlossaryError) as caught:
        entries_from_request(raw)
    assert (caught.value.where, caught.value.problem) == (where, problem)
    assert str(caught.value) == f"{where}: {problem}"
