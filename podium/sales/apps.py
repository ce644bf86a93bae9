from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "podium.sales"
    label = "sales"
