"""Reads of the open311 app: keys, jurisdictions, units named on the command line."""

from __future__ import annotations

from django.db.models import QuerySet

from caunoi.core import selectors as core_selectors
from caunoi.core.models import Unit
from caunoi.feedback.models import Report
from caunoi.open311.models import ApiKey, Jurisdiction


def key_by_raw(raw: str) -> ApiKey | None:
    """The key row for what a client sent as api_key (revoked ones too), or None."""
    from caunoi.open311.services import key_hash

    if not raw.strip():
        return None
    return ApiKey.objects.select_related("unit").filter(key_hash=key_hash(raw)).first()


def key_list(*, unit: Unit | None = None) -> QuerySet[ApiKey]:
    keys = ApiKey.objects.select_related("unit")
    if unit is not None:
        keys = keys.filter(unit__path__startswith=unit.path)
    return keys


def key_by_label(label: str) -> list[ApiKey]:
    """Keys named on the command line by id or by the start of the key (as `list` shows it)."""
    label = label.strip().rstrip("…")
    if label.isdigit():
        return list(ApiKey.objects.select_related("unit").filter(pk=int(label)))
    if len(label) < 6:
        return []
    return list(ApiKey.objects.select_related("unit").filter(prefix__startswith=label[:12]))


def jurisdiction_list() -> QuerySet[Jurisdiction]:
    return Jurisdiction.objects.select_related("unit").order_by("domain")


def jurisdiction_by_domain(domain: str) -> Jurisdiction | None:
    cleaned = domain.strip().lower()
    return Jurisdiction.objects.select_related("unit").filter(domain=cleaned).first()


def jurisdiction_of(unit: Unit) -> Jurisdiction | None:
    return Jurisdiction.objects.filter(unit=unit).first()


def units_named(text: str) -> list[Unit]:
    """Units a person means by a path of slugs (tinh-thu/xa-dong), an official code or a slug."""
    text = text.strip().strip("/")
    if not text:
        return []
    if "/" in text:
        found = core_selectors.unit_by_slugs(text.split("/"))
        return [found] if found is not None else []
    by_code = list(Unit.objects.filter(code=text))
    if by_code:
        return by_code
    return list(Unit.objects.filter(slug=text).order_by("path"))


def unit_path(unit: Unit) -> str:
    return "/".join([a.slug for a in Unit.objects.get_ancestors(unit)] + [unit.slug])


def submitted_media_url(report: Report) -> str:
    """The media_url a 311 app sent with the report, for its handlers ("" when none)."""
    from caunoi.open311.models import Submission

    found = Submission.objects.filter(report=report).values_list("media_url", flat=True).first()
    return found or ""
