from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "caunoi.core"
    label = "core"
    verbose_name = _("Lõi")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from caunoi.core import memo
        from caunoi.core.inserts import cache_long_statements
        from caunoi.core.models import Unit

        cache_long_statements()
        memo.watch(Unit)
        post_migrate.connect(memo.install, sender=self, dispatch_uid="caunoi.core.memo")
