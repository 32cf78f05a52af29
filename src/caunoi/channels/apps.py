from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from caunoi.core.menus import MenuLink
    from caunoi.core.models import Unit, User


class ChannelsConfig(AppConfig):
    name = "caunoi.channels"
    label = "channels"
    verbose_name = _("Kênh")

    def schedule_periodic(self) -> None:
        """The delivery sweep: queue again what a stopped worker left half-done."""
        from caunoi.channels.tasks import sweep_schedule

        sweep_schedule()

    def staff_menu(self, user: User, unit: Unit) -> list[MenuLink]:
        from caunoi.core.menus import MenuLink

        return [
            MenuLink(reverse("channels:list", args=[unit.pk]), str(_("Kênh")), "nav-channels"),
            MenuLink(
                reverse("channels:board", args=[unit.pk]), str(_("Bảng theo dõi")), "nav-deliveries"
            ),
            MenuLink(
                reverse("channels:calendar", args=[unit.pk]), str(_("Lịch đăng")), "nav-calendar"
            ),
        ]

    def portal_menu(self, unit: Unit) -> list[MenuLink]:
        from caunoi.channels.services import newsletter_of
        from caunoi.core.menus import MenuLink

        if newsletter_of(unit) is None:
            return []
        url = f"{unit.get_portal_url()}ban-tin/"
        return [MenuLink(url, str(_("Nhận bản tin qua thư điện tử")), "newsletter")]
