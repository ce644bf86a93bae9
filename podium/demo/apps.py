from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo season that `make run` loads; it stands above every domain app."""

    name = "podium.demo"
    label = "demo"
