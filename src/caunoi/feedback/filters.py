"""The public list's filters, read from the address so every filtered page can be shared."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest

from caunoi.core.models import Unit
from caunoi.feedback import selectors
from caunoi.feedback.models import Category, Status


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass
class PublicFilter:
    categories: list[Category]
    category: Category | None = None
    status: str = ""
    start: date | None = None
    end: date | None = None
    statuses: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_request(cls, request: HttpRequest, unit: Unit) -> PublicFilter:
        categories = list(selectors.categories_for(unit=unit))
        code = request.GET.get("linh-vuc", "")
        status = request.GET.get("trang-thai", "")
        allowed = {"open", "closed", *Status.values}
        return cls(
            categories=categories,
            category=next((c for c in categories if c.code == code), None),
            status=status if status in allowed else "",
            start=_day(request.GET.get("tu", "")),
            end=_day(request.GET.get("den", "")),
            statuses=[(value, str(label)) for value, label in Status.choices],
        )

    def arguments(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "status": self.status,
            "start": self.start,
            "end": self.end,
        }

    def query(self) -> str:
        given = {
            "linh-vuc": self.category.code if self.category else "",
            "trang-thai": self.status,
            "tu": self.start.isoformat() if self.start else "",
            "den": self.end.isoformat() if self.end else "",
        }
        return urlencode({k: v for k, v in given.items() if v})
