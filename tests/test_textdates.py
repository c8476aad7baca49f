"""Date expressions in news text, resolved against the publication date."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.text.dates import find_dates, resolve_weekday

MON_DEC_9 = datetime.date(2024, 12, 9)
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _one(text: str, published: datetime.date | None = MON_DEC_9):
    [mention] = find_dates(text, published=published)
    return mention


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("Assad fell on Sunday.", "on Sunday", datetime.date(2024, 12, 8)),
        ("Rebels took Homs on Saturday.", "on Saturday", datetime.date(2024, 12, 7)),
        ("Saturday saw heavy fighting.", "Saturday", datetime.date(2024, 12, 7)),
        ("The offensive began on 1 December.", "1 December", datetime.date(2024, 12, 1)),
        ("Video released on December 7, 2024.", "December 7, 2024", datetime.date(2024, 12, 7)),
        ("Fighting since 27 November 2024.", "27 November 2024", datetime.date(2024, 11, 27)),
        ("Data as of 2024-12-08.", "2024-12-08", datetime.date(2024, 12, 8)),
        ("Talks were held yesterday.", "yesterday", datetime.date(2024, 12, 8)),
        ("Jets struck on Dec. 3.", "Dec. 3", datetime.date(2024, 12, 3)),
    ],
)
def test_date_expressions_resolve_against_a_monday_publication(text, span, expected):
    mention = _one(text)
    assert (mention.text, mention.date, mention.precision) == (span, expected, "day")
    assert text[mention.start : mention.end] == span


def test_on_sunday_in_an_article_published_on_sunday_is_that_same_day():
    sunday = datetime.date(2024, 12, 8)
    assert _one("Crowds gathered on Sunday.", sunday).date == sunday


def test_last_sunday_in_an_article_published_on_sunday_is_the_week_before():
    sunday = datetime.date(2024, 12, 8)
    mention = _one("Crowds gathered last Sunday.", sunday)
    assert (mention.text, mention.date) == ("last Sunday", datetime.date(2024, 12, 1))


def test_last_week_resolves_to_the_monday_of_the_previous_week_with_week_precision():
    mention = _one("Families returned last week.", datetime.date(2024, 12, 18))
    assert (mention.date, mention.precision) == (datetime.date(2024, 12, 9), "week")


def test_last_month_has_month_precision():
    mention = _one("Prices rose last month.", datetime.date(2024, 12, 18))
    assert (mention.date, mention.precision) == (datetime.date(2024, 11, 1), "month")


def test_a_december_date_in_a_january_article_belongs_to_the_previous_year():
    assert _one("Aid arrived on 20 December.", datetime.date(2025, 1, 5)).date == datetime.date(
        2024, 12, 20
    )


def test_without_a_publication_date_only_dates_with_a_year_are_resolved():
    found = find_dates("On Sunday, on 1 December and on 8 December 2024.", published=None)
    assert [(d.text, d.date) for d in found] == [("8 December 2024", datetime.date(2024, 12, 8))]


def test_an_impossible_calendar_date_is_skipped_not_guessed():
    assert find_dates("Reported on 31 November 2024.", published=MON_DEC_9) == ()


def test_resolve_weekday_rejects_a_word_that_is_no_weekday_and_shows_it():
    with pytest.raises(ValueError, match="'Someday'"):
        resolve_weekday("Someday", published=MON_DEC_9)


@given(
    published=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2030, 12, 31)),
    weekday=st.sampled_from(WEEKDAYS),
)
def test_a_bare_weekday_is_always_that_weekday_within_the_week_before_publication(
    published, weekday
):
    resolved = resolve_weekday(weekday, published=published)
    assert resolved.strftime("%A") == weekday
    assert 0 <= (published - resolved).days <= 6
