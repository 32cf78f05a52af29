"""What the unit's staff home page shows of reach and engagement: this year by month."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from caunoi.core.models import Unit
from caunoi.metrics.charts import rollup_charts
from caunoi.metrics.selectors import rollup


def home_context(*, unit: Unit) -> dict[str, Any]:
    today = timezone.localdate()
    result = rollup(unit=unit, start=date(today.year, 1, 1), end=today, grain="month")
    return {"result": result, "charts": rollup_charts(result)}
