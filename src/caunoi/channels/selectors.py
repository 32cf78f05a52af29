from __future__ import annotations

from django.db.models import Count

from caunoi.channels.models import Channel
from caunoi.core.models import Unit


def channel_counts(*, unit: Unit) -> dict[str, int]:
    """Active channels of the unit's whole subtree, by kind."""
    rows = (
        Channel.objects.filter(unit__path__startswith=unit.path, active=True)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["kind"]: row["n"] for row in rows}
