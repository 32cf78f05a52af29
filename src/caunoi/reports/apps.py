from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caunoi.core.menus import MenuLink

if TYPE_CHECKING:
    from caunoi.core.models import Unit, User


class ReportsConfig(AppConfig):
    name = "caunoi.reports"
    label = "reports"
    verbose_name = gettext_lazy("Báo cáo")

    def schedule_periodic(self) -> None:
        """Every hour: fold the roll-up counters' shards of past days."""
        from caunoi.reports.tasks import fold_schedule

        fold_schedule()

    def staff_menu(self, user: User, unit: Unit) -> list[MenuLink]:
        return [MenuLink(reverse("reports:dashboard", args=[unit.pk]), _("Báo cáo"), "nav-reports")]
