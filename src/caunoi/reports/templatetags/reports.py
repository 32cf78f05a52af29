from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    """A number in the reader's locale (1.234,5 in Vietnamese), "—" when there is none."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return grouped(value)


def grouped(value: float) -> str:
    """1234567.5 → "1.234.567,5" in Vietnamese, "1,234,567.5" in English."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    if (get_language() or "vi").startswith("vi"):
        return text.translate(str.maketrans(",.", ".,"))
    return text


@register.filter
def lookup(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def change(value: Any, before: Any) -> str:
    """ "+12", "−3", or "" when either side is not a number."""
    numbers = (int, float)
    if not isinstance(value, numbers) or not isinstance(before, numbers):
        return ""
    delta = value - before
    if delta == 0:
        return "±0"
    return ("+" if delta > 0 else "−") + grouped(abs(delta))
