"""The academic year (учебный год): 1 September to 31 August, written «2025/2026».

This is the one place that knows where a year starts and ends. Everything else asks
``AcademicYear.of(date)`` or uses the year's ``start``/``end``; nobody re-derives it.

It is also the home of the range of every date the portal stores (``validate_date``, on every ``DateField`` of the
apps): the days of the academic years 2000/2001 to 2100/2101, so that the year of a stored date always exists and
nothing derived from one can fail.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import total_ordering

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

START_MONTH = 9  # September
_LABEL = re.compile(r"^\s*(\d{4})\s*[/\-–]\s*(\d{4})\s*$")
MIN_YEAR = 2000
MAX_YEAR = 2100


@total_ordering
@dataclass(frozen=True, slots=True)
class AcademicYear:
    """An academic year, identified by the calendar year in which it starts."""

    start_year: int

    def __post_init__(self):
        if not isinstance(self.start_year, int) or not MIN_YEAR <= self.start_year <= MAX_YEAR:
            raise ValueError(f"Academic year must start between {MIN_YEAR} and {MAX_YEAR}: {self.start_year!r}")

    @classmethod
    def of(cls, day: dt.date) -> AcademicYear:
        """The academic year that contains ``day``."""
        return cls(day.year if day.month >= START_MONTH else day.year - 1)

    @classmethod
    def current(cls) -> AcademicYear:
        return cls.of(timezone.localdate())

    @classmethod
    def parse(cls, value: str | int | AcademicYear) -> AcademicYear:
        """Accept «2025/2026», «2025-2026», 2025 or an AcademicYear; raise ValueError otherwise."""
        if isinstance(value, AcademicYear):
            return value
        if isinstance(value, int):
            return cls(value)
        text = str(value).strip()
        if text.isdigit():
            return cls(int(text))
        match = _LABEL.match(text)
        if not match:
            raise ValueError(f"Not an academic year: {value!r}")
        first, second = int(match.group(1)), int(match.group(2))
        if second != first + 1:
            raise ValueError(f"An academic year spans two consecutive years: {value!r}")
        return cls(first)

    @classmethod
    def from_query(cls, params, *, default: AcademicYear | None = None, key: str = "year") -> AcademicYear:
        """The year a page's query string asks for (``?year=2025`` or ``?year=2025/2026``): ``default`` (the
        current year unless given) when the parameter is missing or is not a year; a bad value never fails."""
        value = params.get(key)
        if value:
            try:
                return cls.parse(value)
            except (TypeError, ValueError):
                pass
        return default if default is not None else cls.current()

    @property
    def start(self) -> dt.date:
        return dt.date(self.start_year, START_MONTH, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.start_year + 1, START_MONTH, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{self.start_year + 1}"

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __lt__(self, other: AcademicYear) -> bool:
        if not isinstance(other, AcademicYear):
            return NotImplemented
        return self.start_year < other.start_year

    def __str__(self) -> str:
        return self.label

    def next(self) -> AcademicYear:
        return AcademicYear(self.start_year + 1)

    def previous(self) -> AcademicYear:
        return AcademicYear(self.start_year - 1)


FIRST_DAY = dt.date(MIN_YEAR, START_MONTH, 1)
LAST_DAY = dt.date(MAX_YEAR + 1, START_MONTH, 1) - dt.timedelta(days=1)
DATE_OUT_OF_RANGE = f"Укажите дату с {FIRST_DAY:%d.%m.%Y} по {LAST_DAY:%d.%m.%Y}."


def date_in_range(day: dt.date | None) -> bool:
    """Whether ``day`` is a date the portal can store (and take the academic year of)."""
    return isinstance(day, dt.date) and FIRST_DAY <= day <= LAST_DAY


def validate_date(day: dt.date) -> None:
    """The validator of every stored date: within the academic years 2000/2001 to 2100/2101."""
    if not date_in_range(day):
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_out_of_range")


def clamp_to_range(day: dt.date) -> dt.date:
    """A date read from the database, brought into the range (rows written before the range was enforced)."""
    return min(max(day, FIRST_DAY), LAST_DAY)


class AcademicYearFormField(forms.CharField):
    default_error_messages = {
        "invalid": "Укажите учебный год в виде «2025/2026».",
    }

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return AcademicYear(value).label
        return str(value) if value is not None else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return AcademicYear.parse(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class AcademicYearField(models.PositiveSmallIntegerField):
    """Stores an AcademicYear as the calendar year it starts in (2025 for «2025/2026»)."""

    description = "Учебный год"

    @property
    def validators(self):
        # The value type checks its own range; the integer range validators would compare
        # an AcademicYear with an int.
        return list(self._validators)

    def from_db_value(self, value, expression, connection):
        return None if value is None else AcademicYear(value)

    def to_python(self, value):
        if value is None or isinstance(value, AcademicYear):
            return value
        try:
            return AcademicYear.parse(value)
        except ValueError:
            raise ValidationError("Укажите учебный год в виде «2025/2026».", code="invalid") from None

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, AcademicYear):
            return value.start_year
        try:
            return AcademicYear.parse(value).start_year
        except ValueError:
            raise ValidationError("Укажите учебный год в виде «2025/2026».", code="invalid") from None

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else value.label

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": AcademicYearFormField, **kwargs})
