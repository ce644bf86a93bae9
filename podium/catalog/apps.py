from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "podium.catalog"
    label = "catalog"
