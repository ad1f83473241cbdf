"""Stored codes are shown as words."""

from __future__ import annotations

import pytest

from mentorkit.core.words import frequency_words, slot_words, tag_words
from mentorkit.matching.reasons import tags_text


@pytest.mark.parametrize(
    ("code", "words"),
    [("tue-pm", "Tuesday afternoon"), ("mon-am", "Monday morning"), ("fri-eve", "Friday evening")],
)
def test_time_slots_read_as_days_and_parts_of_the_day(code, words):
    assert slot_words(code) == words


def test_expertise_tags_read_as_names():
    assert tag_words("specialist-technical") == "Specialist / technical"
    assert tag_words("data_science") == "Data science"
    assert tags_text({"specialist-technical", "management"}) == (
        "management and specialist / technical"
    )


def test_frequencies_read_as_how_often():
    assert frequency_words("six_weekly") == "every six weeks"
    assert frequency_words("fortnightly") == "every two weeks"
    assert frequency_words("every_so_often") == "every so often"
