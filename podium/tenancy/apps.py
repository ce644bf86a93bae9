from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "podium.tenancy"
    label = "tenancy"

    def ready(self):
        from .scoping import harden_unscoped_querysets

        harden_unscoped_querysets()
