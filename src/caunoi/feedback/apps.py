from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from caunoi.core.menus import MenuLink
    from caunoi.core.models import Unit, User


class FeedbackConfig(AppConfig):
    name = "caunoi.feedback"
    label = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def schedule_periodic(self) -> None:
        """The hourly sweep: escalate overdue reports, close answered ones, erase contacts."""
        from caunoi.feedback.tasks import sweep_schedule

        sweep_schedule()

    def staff_menu(self, user: User, unit: Unit) -> list[MenuLink]:
        from caunoi.core.menus import MenuLink
        from caunoi.core.permissions import Action, can

        if not can(user, Action.REPORT_HANDLE, unit):
            return []
        return [MenuLink(f"/staff/units/{unit.pk}/reports/", str(_("Phản ánh")), "nav-reports")]

    def portal_menu(self, unit: Unit) -> list[MenuLink]:
        from caunoi.core.menus import MenuLink

        base = unit.get_portal_url()
        return [
            MenuLink(f"{base}phan-anh/gui/", str(_("Gửi phản ánh")), "portal-report"),
            MenuLink(f"{base}phan-anh/", str(_("Phản ánh của người dân")), "portal-reports"),
            MenuLink(
                f"{base}phan-anh/minh-bach/",
                str(_("Kết quả trả lời phản ánh")),
                "portal-transparency",
            ),
        ]

    def ready(self) -> None:
        from caunoi.core import memo
        from caunoi.feedback.models import CalendarDay, Category, CategoryAttribute, UnitArea
        from caunoi.feedback.report_section import FeedbackSection
        from caunoi.reports.sections import register

        register(FeedbackSection())
        for model in (Category, CategoryAttribute, UnitArea, CalendarDay):
            memo.watch(model)
