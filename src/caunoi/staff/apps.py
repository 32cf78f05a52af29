from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "caunoi.staff"
    label = "staff"
    verbose_name = _("Trang cán bộ")
