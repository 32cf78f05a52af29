from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from caunoi.core.menus import MenuLink
    from caunoi.core.models import Unit, User


class MetricsConfig(AppConfig):
    name = "caunoi.metrics"
    label = "metrics"
    verbose_name = _("Lượt tiếp cận, tương tác")

    def schedule_periodic(self) -> None:
        """The Facebook insights pull for connected pages."""
        from caunoi.metrics.tasks import schedule_ensure

        schedule_ensure()

    def ready(self) -> None:
        from caunoi.metrics.sections import PublishingSection
        from caunoi.reports.sections import register

        register(PublishingSection())

    def staff_menu(self, user: User, unit: Unit) -> list[MenuLink]:
        from django.urls import reverse

        from caunoi.core.menus import MenuLink
        from caunoi.core.permissions import Action, can

        if not can(user, Action.UNIT_VIEW, unit):
            return []
        return [
            MenuLink(
                reverse("metrics:overview", args=[unit.pk]), str(_("Tiếp cận")), "menu-metrics"
            )
        ]
