from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "podium.office"
    label = "office"
