"""The span of dates Tandem plans and reports within, for dates read from requests.

Python's dates end at the years 1 and 9999, and a calendar or a period moves a date by days
or months (a month's grid, a week's start, a trailing baseline): a date near either end
then overflows (OverflowError, a 500). A date from a query, a form or a body is refused
outside this span, with the field named, before anything moves it.
"""

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator
from django.core.validators import MinValueValidator

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def date_span_validators() -> list:
    return [
        MinValueValidator(EARLIEST, message=f"Enter a date on or after {EARLIEST:%Y-%m-%d}."),
        MaxValueValidator(LATEST, message=f"Enter a date on or before {LATEST:%Y-%m-%d}."),
    ]


class SpanDateField(forms.DateField):
    """A form date field that refuses dates outside EARLIEST..LATEST."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", date_span_validators())
        super().__init__(**kwargs)
