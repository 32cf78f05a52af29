"""Reads of the open311 app: keys, jurisdictions, units named on the command line."""

from __future__ import annotations

from django.db.models import QuerySet

from caunoi.core import selectors as core_selectors
from caunoi.core.models import Unit
from caunoi.feedback.models import Report
from caunoi.open311.models import ApiKey, Jurisdiction, Submission


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


def submission_of(report: Report) -> Submission | None:
    """How a 311 app sent the report (its key, its media_url), for its handlers; None if not."""
    return Submission.objects.filter(report=report).first()


def submitted_media_url(report: Report, *, public_only: bool = False) -> str:
    """The media_url a 311 app sent with the report ("" when none, or not published)."""
    found = Submission.objects.filter(report=report)
    if public_only:
        found = found.filter(media_public=True)
    return found.values_list("media_url", flat=True).first() or ""


def with_media(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Reports with what the API's media_url needs, in the same query: the first public photo
    of the citizen (`media_photo_id`) and the 311 app's link once a handler published it."""
    from django.db.models import OuterRef, Q, Subquery

    from caunoi.feedback.models import Photo

    first_photo = Photo.objects.filter(
        report=OuterRef("pk"), hidden=False, by_handler=False
    ).order_by("id")
    return reports.annotate(
        media_photo_id=Subquery(first_photo.values("id")[:1]),
        media_link=Subquery(
            Submission.objects.filter(
                Q(report=OuterRef("pk")) & Q(media_public=True) & ~Q(media_url="")
            ).values("media_url")[:1]
        ),
    )
