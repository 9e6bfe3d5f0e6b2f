"""Spans: the sorted spans scoring asks overlap and proximity questions of (exclusions, `near` rules)."""

from __future__ import annotations

from service.core.tagging.hits import Spans


def spans(*items: tuple[int, int]) -> Spans:
    found = Spans()
    for item in items:
        found.add(item)
    return found


def test_spans_added_out_of_order_are_found() -> None:
    # the tagger adds exclusions as it meets them: not always in order of position
    found = spans((50, 55), (0, 5))
    assert found.near(0, 5, 0) is True
    assert found.overlaps((52, 53)) is True
    assert found.near(20, 25, 0) is False


def test_a_span_after_one_that_is_not_near_is_found() -> None:
    # the first candidate is too far, the second and third are checked in turn
    found = spans((0, 2), (10, 12), (20, 22))
    assert found.near(14, 15, 2) is True  # (10, 12) ends 2 characters before 14
    assert found.near(17, 18, 2) is True  # (20, 22) starts 2 characters after 18
    assert found.near(15, 16, 2) is False
    # a long span widens where the search starts: (0, 1) is looked at first, then (6, 7), which is near
    assert spans((0, 1), (6, 7), (20, 21), (100, 150)).near(8, 9, 1) is True


def test_overlap_by_one_character_and_touching() -> None:
    found = spans((10, 20))
    assert found.overlaps((19, 25)) is True  # shares character 19
    assert found.overlaps((20, 25)) is False  # touches, shares nothing
    assert found.overlaps((5, 11)) is True
    assert found.overlaps((5, 10)) is False
    assert found.near(20, 25, 0) is True  # distance 0: touching counts as near


def test_a_long_span_starting_far_before_is_found() -> None:
    # a long exclusion that began well before the hit still covers it
    found = spans((0, 100), (101, 102))
    assert found.overlaps((90, 91)) is True
    assert Spans().near(0, 10, 100) is False
