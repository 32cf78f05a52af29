from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "caunoi.open311"
    label = "open311"
    verbose_name = _("Open311 GeoReport v2")

    def ready(self) -> None:
        from caunoi.core import memo
        from caunoi.open311.models import ApiKey, Jurisdiction

        # last_used_at is written once a minute and changes nothing a request relies on.
        memo.watch(ApiKey, columns=("unit", "key_hash", "revoked_at"))
        memo.watch(Jurisdiction)
