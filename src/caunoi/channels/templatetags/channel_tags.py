"""`{% article_deliveries article %}` on the staff article screen: where the article went,
and what a platform refused, for the editor to see."""

from __future__ import annotations

from typing import Any

from django import template

from caunoi.channels.selectors import article_deliveries as _article_deliveries
from caunoi.publishing.models import Article

register = template.Library()


@register.inclusion_tag("channels/_article_deliveries.html")
def article_deliveries(article: Article) -> dict[str, Any]:
    found = _article_deliveries(article=article)
    return {"deliveries": found, "refused": [d for d in found if d.status == "rejected"]}
