from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "podium.core"
    label = "core"
