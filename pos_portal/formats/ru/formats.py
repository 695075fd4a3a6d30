"""Dates as the portal writes them, дд.мм.гггг, also where Django formats a date by default (the admin's lists and
read-only fields); Django's Russian formats («30 ноября 2026 г.») apply to the rest (months in the date filters)."""

DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
