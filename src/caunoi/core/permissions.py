"""The one permission check. Every view, API endpoint and task asks `can` or `require`.

A role held on a unit grants its actions on that unit and its whole subtree, nothing else.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from caunoi.core.models import Role, RoleName, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from caunoi.core.models import User


class Action(StrEnum):
    UNIT_VIEW = "unit.view"
    UNIT_CHANGE = "unit.change"
    PERSON_VIEW = "person.view"
    PERSON_MANAGE = "person.manage"
    AUDIT_VIEW = "audit.view"
    ARTICLE_WRITE = "article.write"
    ARTICLE_APPROVE = "article.approve"
    REPORT_HANDLE = "report.handle"  # citizen reports (feedback)
    FEEDBACK_CONFIGURE = "feedback.configure"  # categories, areas, working calendar
    CHANNEL_MANAGE = "channel.manage"
    METRICS_IMPORT = "metrics.import"
    SURVEY_MANAGE = "survey.manage"
    PRESS_MANAGE = "press.manage"
    TRAINING_MANAGE = "training.manage"
    PERIODIC_REPORT_PREPARE = "periodic_report.prepare"
    PERIODIC_REPORT_REVIEW = "periodic_report.review"  # an upper level reviewing units below


_EVERY_ROLE = {Action.UNIT_VIEW}
# The communication officer's daily work: write, import reach figures, run surveys, press, reports.
_OFFICER = {
    Action.ARTICLE_WRITE,
    Action.METRICS_IMPORT,
    Action.SURVEY_MANAGE,
    Action.PRESS_MANAGE,
    Action.PERIODIC_REPORT_PREPARE,
}
GRANTS: dict[str, frozenset[Action]] = {
    RoleName.VIEWER: frozenset(_EVERY_ROLE),
    RoleName.EDITOR: frozenset(_EVERY_ROLE | _OFFICER),
    RoleName.APPROVER: frozenset(
        _EVERY_ROLE | _OFFICER | {Action.ARTICLE_APPROVE, Action.PERIODIC_REPORT_REVIEW}
    ),
    RoleName.CASE_HANDLER: frozenset(_EVERY_ROLE | {Action.REPORT_HANDLE}),
    RoleName.UNIT_ADMIN: frozenset(
        _EVERY_ROLE
        | {
            Action.UNIT_CHANGE,
            Action.PERSON_VIEW,
            Action.PERSON_MANAGE,
            Action.AUDIT_VIEW,
            Action.FEEDBACK_CONFIGURE,
            Action.CHANNEL_MANAGE,
            Action.TRAINING_MANAGE,
            Action.PERIODIC_REPORT_PREPARE,
            Action.PERIODIC_REPORT_REVIEW,
        }
    ),
}


def roles_granting(action: Action) -> list[str]:
    return [role for role, actions in GRANTS.items() if action in actions]


def _roles(user: User) -> list[Role]:
    # Cached per request object: a page asks many times, the roles do not change meanwhile.
    cached: list[Role] | None = getattr(user, "_caunoi_roles", None)
    if cached is None:
        cached = list(Role.objects.filter(user=user).select_related("unit"))
        user._caunoi_roles = cached  # type: ignore[attr-defined]
    return cached


def forget_roles(user: User) -> None:
    if hasattr(user, "_caunoi_roles"):
        del user._caunoi_roles


def can(user: User | AnonymousUser, action: Action, unit: Unit) -> bool:
    """May `user` do `action` on `unit`?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    path = str(unit.path)
    return any(
        action in GRANTS[role.name] and path.startswith(str(role.unit.path))
        for role in _roles(user)
    )


def require(user: User | AnonymousUser, action: Action, unit: Unit) -> None:
    """Raise PermissionDenied unless `user` may do `action` on `unit`."""
    if not can(user, action, unit):
        raise PermissionDenied(f"{action} on unit {unit.pk}")


def units_where(user: User | AnonymousUser, action: Action) -> QuerySet[Unit]:
    """Every unit on which `user` may do `action`: the subtrees of the granting roles."""
    everything: QuerySet[Unit] = Unit.objects.all()
    if not user.is_authenticated or not user.is_active:
        return everything.none()
    if user.is_superuser:
        return everything
    roots = [str(role.unit.path) for role in _roles(user) if action in GRANTS[role.name]]
    if not roots:
        return everything.none()
    query = Q()
    for root in roots:
        query |= Q(path__startswith=root)
    return everything.filter(query)


def role_units(user: User | AnonymousUser) -> list[Unit]:
    """The units a person holds roles on, in tree order (the top units for a superuser)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Unit.objects.get_root_nodes())
    return sorted({role.unit for role in _roles(user)}, key=lambda u: str(u.path))


def root_units(user: User | AnonymousUser) -> list[Unit]:
    """The units a person holds roles on, highest first, without ones inside another."""
    tops: list[Unit] = []
    for unit in role_units(user):
        if not any(unit.is_within(top) for top in tops):
            tops.append(unit)
    return tops
