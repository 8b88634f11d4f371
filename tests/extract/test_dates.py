"""Date expressions resolved against the publication date."""

from datetime import date

import pytest

from graphbuild.extract.dates import resolve_date

PUBLISHED = date(2022, 2, 17)  # a Thursday


@pytest.mark.parametrize("expression, expected", [
    ("Thursday", date(2022, 2, 17)),
    ("on Tuesday", date(2022, 2, 15)),
    ("Friday", date(2022, 2, 11)),
    ("yesterday", date(2022, 2, 16)),
    ("Feb. 16", date(2022, 2, 16)),
    ("February 16, 2021", date(2021, 2, 16)),
    ("24 October 2024", date(2024, 10, 24)),
    ("the 3rd of March", date(2022, 3, 3)),
    ("December 20", date(2021, 12, 20)),
    ("2022-01-05", date(2022, 1, 5)),
    ("February 30", None),
    ("recent days", None),
    ("the past eight years", None),
    ("January", None),
])
def test_resolve_date(expression, expected):
    assert resolve_date(expression, PUBLISHED) == expected


def test_relative_dates_need_a_publication_date():
    assert resolve_date("Thursday", None) is None
    assert resolve_date("24 October 2024", None) == date(2024, 10, 24)
