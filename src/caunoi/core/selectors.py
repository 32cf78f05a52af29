"""Reads of units, people and the audit log, always scoped to a unit's subtree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from caunoi.core.models import AuditEntry, Role, Unit, UnitKind, User
from caunoi.core.text import fold


def subtree(unit: Unit) -> QuerySet[Unit]:
    units: QuerySet[Unit] = Unit.objects.filter(path__startswith=unit.path)
    return units


def unit_by_slugs(slugs: list[str]) -> Unit | None:
    """The unit at /u/<slug>/<slug>/..., or None."""
    if not slugs:
        return None
    candidates = Unit.objects.filter(slug=slugs[-1], depth=len(slugs))
    for unit in candidates:
        ancestors = [a.slug for a in Unit.objects.get_ancestors(unit)]
        if ancestors == slugs[:-1]:
            found: Unit = unit
            found._portal_url = "/u/" + "/".join(slugs) + "/"
            return found
    return None


def ancestors_of(unit: Unit) -> list[Unit]:
    """The unit's ancestors from the root down, each (and the unit) knowing its portal
    address: one query for a breadcrumb trail, not one per link."""
    ancestors = list(Unit.objects.get_ancestors(unit))
    slugs: list[str] = []
    for a in [*ancestors, unit]:
        slugs.append(a.slug)
        a._portal_url = "/u/" + "/".join(slugs) + "/"
    return ancestors


# Administrative units from the top of the tree down, then the organizations beside them.
KIND_ORDER = {
    UnitKind.PROVINCE: 0,
    UnitKind.DISTRICT: 1,
    UnitKind.COMMUNE: 2,
    UnitKind.VILLAGE: 3,
    UnitKind.ORGANIZATION: 4,
}


def child_list(unit: Unit | None) -> list[Unit]:
    """Children by kind, then name; treebeard keeps each one's `numchild`."""
    if unit is None:
        kids = list(Unit.objects.get_root_nodes())
        base = "/u/"
    else:
        kids = list(Unit.objects.get_children(unit))
        base = unit.get_portal_url()
    for kid in kids:  # one ancestor lookup for the parent, none per child
        kid._portal_url = f"{base}{kid.slug}/"
    return sorted(kids, key=lambda u: (KIND_ORDER.get(u.kind, 9), u.name_folded))


def prime_portal_urls(units: list[Unit]) -> None:
    """Give every unit its portal address with one query for all their ancestors."""
    step = Unit.steplen
    prefixes = {str(u.path)[: step * depth] for u in units for depth in range(1, u.depth + 1)}
    slug_at = dict(Unit.objects.filter(path__in=prefixes).values_list("path", "slug"))
    for u in units:
        path = str(u.path)
        slugs = [slug_at[path[: step * depth]] for depth in range(1, u.depth + 1)]
        u._portal_url = "/u/" + "/".join(slugs) + "/"


def unit_search(*, within: QuerySet[Unit], text: str, limit: int = 30) -> list[Unit]:
    key = fold(text)
    if not key:
        return []
    return list(within.filter(name_folded__contains=key).order_by("depth", "name_folded")[:limit])


@dataclass(frozen=True)
class UnitCounts:
    sub_units: int
    communes: int
    organizations: int
    people: int
    audit_last_7_days: int


def unit_counts(*, unit: Unit) -> UnitCounts:
    below = subtree(unit).exclude(pk=unit.pk)
    by_kind = dict(below.values_list("kind").annotate(n=Count("id")).order_by())
    week_ago = timezone.now() - timedelta(days=7)
    return UnitCounts(
        sub_units=sum(by_kind.values()),
        communes=by_kind.get(UnitKind.COMMUNE, 0),
        organizations=by_kind.get(UnitKind.ORGANIZATION, 0),
        people=people_in(unit=unit).count(),
        audit_last_7_days=AuditEntry.objects.filter(
            unit__path__startswith=unit.path, at__gte=week_ago
        ).count(),
    )


def people_in(*, unit: Unit, text: str = "") -> QuerySet[User]:
    """People holding a role anywhere in the unit's subtree."""
    people = User.objects.filter(roles__unit__path__startswith=unit.path).distinct()
    if text:
        key = text.strip()
        people = people.filter(
            Q(username__icontains=key) | Q(full_name__icontains=key) | Q(email__icontains=key)
        )
    return people.order_by("full_name", "username").prefetch_related(
        Prefetch("roles", queryset=Role.objects.select_related("unit").order_by("unit__path"))
    )


def roles_of(*, user: User) -> QuerySet[Role]:
    return user.roles.select_related("unit").order_by("unit__path", "name")


def audit_entries(
    *,
    unit: Unit,
    action: str = "",
    actor: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(unit__path__startswith=unit.path)
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        entries = entries.filter(
            at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone)
        )
    return entries.select_related("unit").order_by("-at", "-id")


def audit_actions(*, unit: Unit) -> list[str]:
    return list(
        AuditEntry.objects.filter(unit__path__startswith=unit.path)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
