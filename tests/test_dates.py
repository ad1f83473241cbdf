"""Calendar dates as people read them: one way, "Tue 2 March 2027", in English everywhere."""

from __future__ import annotations

import calendar
import datetime as dt

from mentorkit.core import dates
from mentorkit.core.dates import DAY_ABBREVIATIONS, MONTH_NAMES, date_words, short_date
from mentorkit.core.display import answer_text
from mentorkit.core.fieldtypes import check_relations


def test_a_date_reads_with_its_weekday_day_month_and_year():
    assert date_words("2027-03-02") == "Tue 2 March 2027"
    assert date_words(dt.date(2026, 12, 9)) == "Wed 9 December 2026"
    assert date_words("2027-01-31") == "Sun 31 January 2027"  # no leading zero, ever
    assert date_words("2027-03-02", year=False) == "Tue 2 March"
    assert date_words(dt.date(2030, 2, 1), year=False) == "Fri 1 February"


def test_empty_is_nothing_and_anything_else_stays_as_written():
    assert date_words(None) == date_words("") == ""
    assert date_words("after the summer") == "after the summer"
    assert date_words("2027-13-01") == "2027-13-01"
    assert date_words("soon", year=False) == "soon"


def test_every_weekday_and_month_has_its_english_name():
    assert len(DAY_ABBREVIATIONS) == 7 and len(MONTH_NAMES) == 12
    # 1 January 2029 is a Monday: a week of days, then the first of each month.
    week = [date_words(dt.date(2029, 1, day), year=False) for day in range(1, 8)]
    assert [w.split()[0] for w in week] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    months = [date_words(dt.date(2029, month, 1)).split()[2] for month in range(1, 13)]
    assert months == list(calendar.month_name)[1:]  # the C locale's names, which are English


def test_the_names_are_ours_not_the_computer_language(monkeypatch):
    """Nothing goes through strftime (which follows the locale): the names come from our
    tuples, so a German computer still writes "Tue 2 March 2027"."""

    class NoStrftime(dt.date):
        def __format__(self, spec: str) -> str:
            raise AssertionError("date_words used strftime")

        def strftime(self, spec: str) -> str:
            raise AssertionError("date_words used strftime")

    monkeypatch.setattr(dates, "parse_date", lambda value: NoStrftime(2027, 3, 2))
    assert date_words("2027-03-02") == "Tue 2 March 2027"
    monkeypatch.setattr(dates, "DAY_ABBREVIATIONS", ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"))
    monkeypatch.setattr(dates, "MONTH_NAMES", ("x", "y", "März", *("z",) * 9))
    assert date_words("2027-03-02") == "Di 2 März 2027"


def test_charts_keep_their_compact_short_date():
    assert short_date("2026-12-09") == "9 Dec 2026"
    assert short_date("") == "" and short_date("later") == "later"


def test_messages_about_dates_write_them_in_words(shipped):
    agreement = shipped["mentoring-agreement"]
    problems = check_relations(
        agreement.fields, {"start_date": "2027-01-15", "end_date": "2027-01-01"}
    )
    assert problems["end_date"] == (
        "This date is before “Start date” (Fri 15 January 2027); please choose "
        "Fri 15 January 2027 or later."
    )
    date_field = next(f for f in agreement.fields if f.id == "start_date")
    assert answer_text(date_field, "2027-01-15") == "Fri 15 January 2027"
