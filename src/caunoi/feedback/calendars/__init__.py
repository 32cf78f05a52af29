"""Public holidays to pre-load, per calendar (settings.CAUNOI_HOLIDAY_CALENDAR). Once loaded
they are ordinary rows that unit administrators edit; a country is one more module here."""

from __future__ import annotations

import importlib
from datetime import date


def holidays(calendar: str) -> list[tuple[date, str, str]]:
    """(day, kind, name) rows of a named calendar; an unknown or empty name has none."""
    if not calendar or not calendar.isidentifier():
        return []
    try:
        module = importlib.import_module(f"caunoi.feedback.calendars.{calendar}")
    except ModuleNotFoundError:
        return []
    rows: list[tuple[date, str, str]] = module.rows()
    return rows
