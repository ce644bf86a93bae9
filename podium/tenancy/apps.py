from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "podium.tenancy"
    label = "tenancy"
