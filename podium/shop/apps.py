from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "podium.shop"
    label = "shop"
