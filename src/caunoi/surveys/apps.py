from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caunoi.core.menus import MenuLink

if TYPE_CHECKING:
    from caunoi.core.models import Unit, User


class SurveysConfig(AppConfig):
    name = "caunoi.surveys"
    label = "surveys"
    verbose_name = gettext_lazy("Khảo sát")

    def ready(self) -> None:
        from caunoi.reports.sections import register
        from caunoi.surveys.section import SurveysSection

        register(SurveysSection())

    def schedule_periodic(self) -> None:
        """Every minute: count new answers into the results' tally."""
        from caunoi.surveys.tasks import fold_schedule

        fold_schedule()

    def staff_menu(self, user: User, unit: Unit) -> list[MenuLink]:
        return [MenuLink(reverse("surveys:list", args=[unit.pk]), _("Khảo sát"), "menu-surveys")]

    def portal_menu(self, unit: Unit) -> list[MenuLink]:
        return [
            MenuLink(f"{unit.get_portal_url()}khao-sat/", _("Khảo sát ý kiến"), "portal-surveys")
        ]
